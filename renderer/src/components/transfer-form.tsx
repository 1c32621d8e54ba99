// Hand the call on: consult first (warm — talk to the colleague while the caller holds, then
// complete, conference or cancel) or transfer now (cold), to a queue or a named agent, with a
// note the next agent sees. The picker shows who can take the call right now and starts at
// the call's own queue.
import { useEffect, useState, type FormEvent } from 'react';
import type { QueueSkill } from '../../../contracts/conversation';
import { useAgentStore } from '../state/agent-store';
import type { CallState } from '../state/call-reducer';
import { desk } from '../state/desk';
import { useFloorStore } from '../state/floor-store';
import { queueLabel } from '../state/format';

const presenceWords = { available: 'available', on_call: 'on a call', wrap_up: 'in wrap-up', away: 'away', offline: 'offline' } as const;

export function TransferForm({ call, onDone }: { call: CallState; onDone: () => void }) {
  const queues = useAgentStore((s) =>
    s.queues.length > 0 ? s.queues : (['general', 'billing', 'orders'] as QueueSkill[]),
  );
  const me = useAgentStore((s) => s.agent?.id);
  const options = useFloorStore((s) => s.options);
  const [how, setHow] = useState<'consult' | 'cold'>('consult');
  const [kind, setKind] = useState<'queue' | 'agent'>('queue');
  const [queue, setQueue] = useState<QueueSkill>(call.queue ?? queues[0] ?? 'general');
  const [agentId, setAgentId] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);

  // Availability changes by the second: ask when the picker opens and while it stays open.
  useEffect(() => {
    void desk.transferOptions();
    const timer = setInterval(() => void desk.transferOptions(), 5000);
    return () => clearInterval(timer);
  }, []);

  const colleagues = (options?.agents ?? []).filter((a) => a.id !== me);
  const figures = (q: QueueSkill) => options?.queues.find((f) => f.queue === q);
  const chosenAgent = colleagues.find((a) => a.id === agentId);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (kind === 'agent' && !agentId) return;
    setBusy(true);
    const target = kind === 'queue' ? { queue } : { agentId };
    const done = how === 'consult' ? await desk.consult(call.sessionId, target, note.trim()) : await desk.transfer(call.sessionId, target, note.trim());
    setBusy(false);
    if (done) onDone();
  };

  return (
    <form className="transfer-form" onSubmit={(e) => void submit(e)} aria-label="Transfer the call">
      <fieldset>
        <legend>How</legend>
        <label className="radio">
          <input type="radio" name="transfer-how" checked={how === 'consult'} onChange={() => setHow('consult')} /> Consult first
        </label>
        <label className="radio">
          <input type="radio" name="transfer-how" checked={how === 'cold'} onChange={() => setHow('cold')} /> Transfer now
        </label>
      </fieldset>
      <fieldset>
        <legend>To</legend>
        <label className="radio">
          <input type="radio" name="transfer-kind" checked={kind === 'queue'} onChange={() => setKind('queue')} /> A queue
        </label>
        <label className="radio">
          <input type="radio" name="transfer-kind" checked={kind === 'agent'} onChange={() => setKind('agent')} /> An agent
        </label>
      </fieldset>
      {kind === 'queue' ? (
        <label className="field">
          <span>Queue</span>
          <select aria-label="Queue" value={queue} onChange={(e) => setQueue(e.target.value as QueueSkill)}>
            {queues.map((q) => {
              const f = figures(q);
              return (
                <option key={q} value={q}>
                  {queueLabel(q)}
                  {q === call.queue ? ' (this call)' : ''}
                  {f ? ` — ${f.agentsAvailable} available, ${f.waiting} waiting` : ''}
                </option>
              );
            })}
          </select>
        </label>
      ) : (
        <label className="field">
          <span>Agent</span>
          <select aria-label="Agent" value={agentId} onChange={(e) => setAgentId(e.target.value)} required>
            <option value="">{options ? 'Choose a colleague…' : 'Loading who is available…'}</option>
            {colleagues.map((a) => (
              <option key={a.id} value={a.id} disabled={!a.free}>
                {a.name} — {a.free ? 'available' : presenceWords[a.presence]}
              </option>
            ))}
          </select>
        </label>
      )}
      {kind === 'queue' && figures(queue)?.agentsAvailable === 0 ? (
        <p className="muted transfer-hint">
          Nobody in {queueLabel(queue)} is free right now.{' '}
          {how === 'consult' ? 'Transfer now instead: the caller waits at the front of the queue.' : 'The caller will wait at the front of the queue.'}
        </p>
      ) : null}
      {kind === 'agent' && chosenAgent && !chosenAgent.free ? (
        <p className="muted transfer-hint">{chosenAgent.name} cannot take a call right now; pick someone available or a queue.</p>
      ) : null}
      <label className="field">
        <span>Note for the next agent</span>
        <textarea rows={2} maxLength={1000} value={note} onChange={(e) => setNote(e.target.value)} />
      </label>
      <div className="row-actions">
        <button type="submit" className="btn btn-primary btn-small" disabled={busy}>
          {busy ? (how === 'consult' ? 'Calling…' : 'Transferring…') : how === 'consult' ? 'Consult' : 'Transfer'}
        </button>
        <button type="button" className="btn btn-ghost btn-small" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
