// The review screen: the session list, or one session when a row was opened. "Sessions"
// for leads and admins, "My sessions" (own calls, scores and comments) for agents.
import { useViewStore } from '../state/view-store';
import { SessionDetail } from './session-detail';
import { SessionList } from './session-list';

export function SessionsScreen({ own }: { own: boolean }) {
  const sessionId = useViewStore((s) => s.sessionId);
  return (
    <main className="dashboard" id="main">
      {sessionId ? <SessionDetail sessionId={sessionId} /> : <SessionList own={own} />}
    </main>
  );
}
