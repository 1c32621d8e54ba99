// The agent's own queues at a glance, on the desk: callers waiting, the longest wait, and how
// many colleagues are free to answer. Pushed by the server as they change; the longest wait
// keeps counting here between pushes.
import { useNow } from '../hooks/use-now';
import { useAgentStore } from '../state/agent-store';
import { useFloorStore } from '../state/floor-store';
import { formatDuration, queueLabel } from '../state/format';

export function QueueFigures() {
  const figures = useFloorStore((s) => s.figures);
  const at = useFloorStore((s) => s.figuresAt);
  const live = useAgentStore((s) => s.channel.state === 'open');
  const now = useNow(1000);
  if (figures.length === 0) return null;
  const since = at === null ? 0 : Math.max(0, now - at);
  return (
    <section className="queue-figures" aria-label="Your queues">
      {figures.map((q) => (
        <div key={q.queue} className={`queue-figure${q.waiting > 0 && q.agentsAvailable === 0 ? ' queue-figure-short' : ''}`}>
          <strong>{queueLabel(q.queue)}</strong>
          <span>
            <b>{q.waiting}</b> waiting
          </span>
          <span>
            longest <b>{q.waiting > 0 ? formatDuration(q.longestWaitMs + since) : '–'}</b>
          </span>
          <span>
            <b>{q.agentsAvailable}</b> available
          </span>
        </div>
      ))}
      <span className={`queue-live${live ? '' : ' queue-live-off'}`}>{live ? '● Live' : '○ Reconnecting…'}</span>
    </section>
  );
}
