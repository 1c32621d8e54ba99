// Wrap-up after the call: disposition, notes prefilled with the AI-drafted summary (kept in
// sync with the store until the agent edits them), an optional follow-up, and a timer so
// the agent sees how long wrap-up has taken. Submitting returns the desk to idle on ack.
import { useEffect, useState, type FormEvent } from 'react';
import { FollowUp } from '../../../contracts/agent-channel';
import { useNow } from '../hooks/use-now';
import { useAgentStore } from '../state/agent-store';
import type { CallState } from '../state/call-reducer';
import { desk } from '../state/desk';
import { formatElapsed } from '../state/format';

export function WrapUpForm({ call }: { call: CallState }) {
  const dispositions = useAgentStore((s) => s.dispositions);
  const now = useNow();
  const [disposition, setDisposition] = useState('');
  const [notes, setNotes] = useState(call.wrapUpDraft ?? '');
  const [notesEdited, setNotesEdited] = useState(false);
  const [kind, setKind] = useState<FollowUp['kind']>('none');
  const [subject, setSubject] = useState('');
  const [phone, setPhone] = useState(call.brief?.caller.phone ?? '');
  const [due, setDue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // The draft can arrive after wrap-up starts; take it unless the agent already typed.
  useEffect(() => {
    if (!notesEdited && call.wrapUpDraft) setNotes(call.wrapUpDraft);
  }, [call.wrapUpDraft, notesEdited]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!disposition) {
      setError('Choose a disposition.');
      return;
    }
    const candidate =
      kind === 'ticket'
        ? { kind, subject: subject.trim() }
        : kind === 'callback'
          ? { kind, phone: phone.trim(), ...(due ? { dueAt: new Date(due).toISOString() } : {}) }
          : { kind };
    const followUp = FollowUp.safeParse(candidate);
    if (!followUp.success) {
      setError(
        kind === 'ticket'
          ? 'Give the ticket a subject.'
          : 'Enter the callback number in international format, e.g. +15550100001.',
      );
      return;
    }
    setError(null);
    setBusy(true);
    await desk.submitWrapUp(call.sessionId, disposition, notes, followUp.data);
    setBusy(false);
  };

  return (
    <section className="card wrap-up" aria-labelledby="wrap-title">
      <div className="wrap-head">
        <h2 id="wrap-title">Wrap-up</h2>
        <span className="wrap-timer" role="timer" aria-label="Time in wrap-up">
          {call.wrapUpStartedAt ? formatElapsed(call.wrapUpStartedAt, now) : '0:00'}
        </span>
      </div>
      <form onSubmit={(e) => void submit(e)}>
        <label className="field">
          <span>Disposition</span>
          <select value={disposition} onChange={(e) => setDisposition(e.target.value)} required>
            <option value="">Choose…</option>
            {dispositions.map((d) => (
              <option key={d} value={d}>
                {d.replaceAll('_', ' ')}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>
            Notes{' '}
            {call.wrapUpDraft && !notesEdited ? <em className="muted">(AI draft — check and edit)</em> : null}
          </span>
          <textarea
            rows={6}
            maxLength={5000}
            value={notes}
            onChange={(e) => {
              setNotes(e.target.value);
              setNotesEdited(true);
            }}
          />
        </label>
        <fieldset>
          <legend>Follow-up</legend>
          {(['none', 'ticket', 'callback'] as const).map((k) => (
            <label key={k} className="radio">
              <input type="radio" name="follow-up" checked={kind === k} onChange={() => setKind(k)} />{' '}
              {k === 'none' ? 'None' : k === 'ticket' ? 'Ticket' : 'Callback'}
            </label>
          ))}
        </fieldset>
        {kind === 'ticket' ? (
          <label className="field">
            <span>Ticket subject</span>
            <input value={subject} maxLength={300} onChange={(e) => setSubject(e.target.value)} />
          </label>
        ) : null}
        {kind === 'callback' ? (
          <div className="field-row">
            <label className="field">
              <span>Phone (E.164)</span>
              <input
                value={phone}
                inputMode="tel"
                placeholder="+15550100001"
                onChange={(e) => setPhone(e.target.value)}
              />
            </label>
            <label className="field">
              <span>Due (optional)</span>
              <input type="datetime-local" value={due} onChange={(e) => setDue(e.target.value)} />
            </label>
          </div>
        ) : null}
        {error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Submitting…' : 'Submit wrap-up'}
        </button>
      </form>
    </section>
  );
}
