// Tells the agent when the link to the backend is down: a quiet "reconnecting" line at
// first, then an error banner with a countdown and a Retry button once it looks unreachable.
import { useAgentStore } from '../state/agent-store';
import { retryConnection } from '../state/desk';
import { useNow } from '../hooks/use-now';

export function ConnectionBanner() {
  const channel = useAgentStore((s) => s.channel);
  const now = useNow(500);
  if (
    channel.state === 'open' ||
    channel.state === 'idle' ||
    channel.state === 'stopped' ||
    channel.state === 'unauthorized'
  )
    return null;
  if (channel.state === 'connecting' || channel.state === 'reconnecting') {
    return (
      <div className="banner banner-info" role="status">
        {channel.state === 'connecting' ? 'Connecting to Switchboard…' : 'Connection lost — reconnecting…'}
      </div>
    );
  }
  const seconds = channel.nextRetryAt ? Math.max(0, Math.ceil((channel.nextRetryAt - now) / 1000)) : 0;
  return (
    <div className="banner banner-error" role="alert">
      <span>
        Cannot reach the Switchboard server. Calls cannot reach you until it is back.{' '}
        {seconds > 0 ? `Retrying in ${seconds} s.` : 'Retrying…'}
      </span>
      <button type="button" className="btn btn-small" onClick={retryConnection}>
        Retry now
      </button>
    </div>
  );
}
