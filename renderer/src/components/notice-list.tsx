// Short messages from failed commands and the server (e.g. "transfer target is offline"),
// each dismissible; errors are announced assertively, information politely.
import { useAgentStore } from '../state/agent-store';

export function NoticeList() {
  const notices = useAgentStore((s) => s.notices);
  const dismiss = useAgentStore((s) => s.dismissNotice);
  return (
    <div className="notices" aria-live="assertive">
      {notices.map((n) => (
        <div key={n.id} className={`notice notice-${n.kind}`} role={n.kind === 'error' ? 'alert' : 'status'}>
          <span>{n.text}</span>
          <button
            type="button"
            className="btn btn-ghost btn-small"
            onClick={() => dismiss(n.id)}
            aria-label="Dismiss message"
          >
            ✕
          </button>
        </div>
      ))}
    </div>
  );
}
