// Transfer the call to another queue or to a named agent, with a note the next agent sees
// on their offer card.
import { useState, type FormEvent } from 'react';
import type { QueueSkill } from '../../../contracts/conversation';
import { useAgentStore } from '../state/agent-store';
import { desk } from '../state/desk';
import { queueLabel } from '../state/format';

export function TransferForm({ sessionId, onDone }: { sessionId: string; onDone: () => void }) {
  const queues = useAgentStore((s) =>
    s.queues.length > 0 ? s.queues : (['general', 'billing', 'orders'] as QueueSkill[]),
  );
  const [kind, setKind] = useState<'queue' | 'agent'>('queue');
  const [queue, setQueue] = useState<QueueSkill>(queues[0] ?? 'general');
  const [agentId, setAgentId] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (kind === 'agent' && !agentId.trim()) return;
    setBusy(true);
    const ok = await desk.transfer(
      sessionId,
      kind === 'queue' ? { queue } : { agentId: agentId.trim() },
      note.trim(),
    );
    setBusy(false);
    if (ok) onDone();
  };

  return (
    <form className="transfer-form" onSubmit={(e) => void submit(e)} aria-label="Transfer the call">
      <fieldset>
        <legend>Transfer to</legend>
        <label className="radio">
          <input
            type="radio"
            name="transfer-kind"
            checked={kind === 'queue'}
            onChange={() => setKind('queue')}
          />{' '}
          A queue
        </label>
        <label className="radio">
          <input
            type="radio"
            name="transfer-kind"
            checked={kind === 'agent'}
            onChange={() => setKind('agent')}
          />{' '}
          An agent
        </label>
      </fieldset>
      {kind === 'queue' ? (
        <label className="field">
          <span>Queue</span>
          <select value={queue} onChange={(e) => setQueue(e.target.value as QueueSkill)}>
            {queues.map((q) => (
              <option key={q} value={q}>
                {queueLabel(q)}
              </option>
            ))}
          </select>
        </label>
      ) : (
        <label className="field">
          <span>Agent id</span>
          <input value={agentId} onChange={(e) => setAgentId(e.target.value)} required />
        </label>
      )}
      <label className="field">
        <span>Note for the next agent</span>
        <textarea rows={2} maxLength={1000} value={note} onChange={(e) => setNote(e.target.value)} />
      </label>
      <div className="row-actions">
        <button type="submit" className="btn btn-primary btn-small" disabled={busy}>
          {busy ? 'Transferring…' : 'Transfer'}
        </button>
        <button type="button" className="btn btn-ghost btn-small" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
