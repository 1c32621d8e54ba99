// Until the caller is verified the customer card stays locked. Here the agent finds the
// caller's account (search by phone or its last digits, email, name or order id), links it to
// the call — which shows nothing of it — then asks the verification question and types the
// answer. The server checks it with the AI's own verification tool and attempt limit.
import { useState, type FormEvent } from 'react';
import type { CustomerMatchView, HandoffBriefView } from '../../../contracts/agent-channel';
import { desk } from '../state/desk';
import { useFloorStore } from '../state/floor-store';

const matchWords = { phone: 'phone', email: 'email', name: 'name', order: 'order id' } as const;

export function CallerVerification({ sessionId, brief }: { sessionId: string; brief: HandoffBriefView }) {
  const matches = useFloorStore((s) => s.matches[sessionId]);
  const [query, setQuery] = useState('');
  const [linked, setLinked] = useState<CustomerMatchView | null>(null);
  const [method, setMethod] = useState<'zip' | 'dob'>('zip');
  const [answer, setAnswer] = useState('');
  const [busy, setBusy] = useState(false);
  const callerIdMatch = brief.caller.candidateMatch;
  const canVerify = linked !== null || callerIdMatch !== undefined;

  const search = async (e: FormEvent) => {
    e.preventDefault();
    if (query.trim().length < 2) return;
    setBusy(true);
    await desk.searchCustomers(sessionId, query.trim());
    setBusy(false);
  };
  const link = async (match: CustomerMatchView) => {
    if (await desk.linkCustomer(sessionId, match.customerId)) setLinked(match);
  };
  const verify = async (e: FormEvent) => {
    e.preventDefault();
    if (!answer.trim()) return;
    setBusy(true);
    const done = await desk.verifyCaller(sessionId, method === 'zip' ? { zip: answer.trim() } : { dob: answer.trim() });
    setBusy(false);
    if (!done) setAnswer('');
  };

  return (
    <section className="card verify" aria-labelledby="verify-title">
      <h2 id="verify-title">Verify the caller</h2>
      <p className="muted verify-lock">Customer card locked until the caller is verified. Do not discuss the account before then.</p>
      {linked ? (
        <p className="verify-linked">
          Linked: <strong>{linked.name}</strong> <span className="muted">phone ending {linked.phoneEnding}</span>
        </p>
      ) : callerIdMatch ? (
        <p className="verify-linked">The caller&apos;s number matches an account. Verify to open it.</p>
      ) : null}
      <form className="verify-search" onSubmit={(e) => void search(e)} role="search" aria-label="Search the CRM">
        <label className="field">
          <span>Find the account</span>
          <input
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            placeholder="Phone, email, name or order id"
            minLength={2}
            maxLength={100}
          />
        </label>
        <button type="submit" className="btn btn-small" disabled={busy || query.trim().length < 2}>
          Search
        </button>
      </form>
      {matches ? (
        matches.length === 0 ? (
          <p className="muted">No account matches. Check the spelling, or try the phone number or an order id.</p>
        ) : (
          <ul className="verify-matches" aria-label="Matching accounts">
            {matches.map((m) => (
              <li key={m.customerId}>
                <span>
                  <strong>{m.name}</strong>{' '}
                  <span className="muted">
                    ···{m.phoneEnding}
                    {m.emailHint ? ` · ${m.emailHint}` : ''} · by {matchWords[m.matchedOn]}
                  </span>
                </span>
                <button type="button" className="btn btn-small btn-ghost" onClick={() => void link(m)} disabled={linked?.customerId === m.customerId}>
                  {linked?.customerId === m.customerId ? 'Linked' : 'Link to this call'}
                </button>
              </li>
            ))}
          </ul>
        )
      ) : null}
      <form className="verify-answer" onSubmit={(e) => void verify(e)} aria-label="Verify the caller">
        <fieldset disabled={!canVerify || busy}>
          <legend>Ask, then type the caller&apos;s answer</legend>
          <label className="radio">
            <input type="radio" name="verify-method" checked={method === 'zip'} onChange={() => setMethod('zip')} /> Zip code
          </label>
          <label className="radio">
            <input type="radio" name="verify-method" checked={method === 'dob'} onChange={() => setMethod('dob')} /> Date of birth
          </label>
          <label className="field">
            <span>Caller&apos;s answer</span>
            <input
              value={answer}
              onChange={(e) => setAnswer(e.target.value)}
              placeholder={method === 'zip' ? 'e.g. 94107' : 'e.g. April 12 1985'}
              maxLength={60}
              autoComplete="off"
            />
          </label>
          <button type="submit" className="btn btn-primary btn-small">
            Verify
          </button>
        </fieldset>
        {!canVerify ? <p className="muted">Link the caller&apos;s account first.</p> : null}
      </form>
    </section>
  );
}
