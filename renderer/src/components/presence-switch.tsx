// The agent's presence: available / away / offline by choice; on call and wrap-up are set
// by the server and shown as a read-only status while they last.
import { useState } from 'react';
import type { AgentPresence } from '../../../contracts/agent-channel';
import { useAgentStore } from '../state/agent-store';
import { desk } from '../state/desk';

const labels: Record<AgentPresence, string> = {
  available: 'Available',
  away: 'Away',
  offline: 'Offline',
  on_call: 'On a call',
  wrap_up: 'Wrap-up',
};
const selectable = ['available', 'away', 'offline'] as const;

export function PresenceSwitch() {
  const presence = useAgentStore((s) => s.presence);
  const connected = useAgentStore((s) => s.channel.state === 'open');
  const [pending, setPending] = useState(false);
  const busyWithCall = presence === 'on_call' || presence === 'wrap_up';

  const choose = async (p: (typeof selectable)[number]) => {
    if (p === presence) return;
    setPending(true);
    await desk.setPresence(p);
    setPending(false);
  };

  return (
    <div className="presence">
      <span className={`presence-dot presence-${presence}`} aria-hidden="true" />
      {busyWithCall ? (
        <span className="presence-fixed" role="status">
          {labels[presence]}
        </span>
      ) : (
        <label className="presence-select">
          <span className="visually-hidden">Your status</span>
          <select
            value={presence}
            disabled={!connected || pending}
            onChange={(e) => void choose(e.target.value as (typeof selectable)[number])}
          >
            {selectable.map((p) => (
              <option key={p} value={p}>
                {labels[p]}
              </option>
            ))}
          </select>
        </label>
      )}
    </div>
  );
}
