// Outbound call: a number in E.164 typed or keyed in, then `call.dial`. The server assigns
// the call like any other, so the workspace opens when it connects. A switchboard://dial
// link fills the number in (desktop/dial-prefill.ts); the agent still presses Call. On the
// local carrier the person's call page needs a one-time line code to wait for calls at that
// number; the agent gets one here and reads it to them.
import { useEffect, useState, type FormEvent } from 'react';
import { takeDialPrefill, useDialPrefill } from '../desktop/dial-prefill';
import { desk, http } from '../state/desk';
import { DtmfKeypad } from './dtmf-keypad';

const E164 = /^\+[1-9]\d{7,14}$/;

export function DialPad({ disabled }: { disabled: boolean }) {
  const [phone, setPhone] = useState('+');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [lineCode, setLineCode] = useState<string | null>(null);
  const prefill = useDialPrefill((s) => s.phone);

  useEffect(() => {
    if (prefill === null) return;
    const number = takeDialPrefill();
    if (number) {
      setPhone(number);
      setError(null);
    }
  }, [prefill]);

  const issueLineCode = async () => {
    const number = phone.replace(/[\s().-]/g, '');
    if (!E164.test(number)) {
      setError('Enter the number first: a line code is issued for one number.');
      return;
    }
    setError(null);
    try {
      const issued = await http.post<{ code: string }>('/api/local/line-codes', { number });
      setLineCode(`Line code for ${number}: ${issued.code} (works once, for 10 minutes; the customer enters it at /call/wait).`);
    } catch (err) {
      setError((err as Error).message);
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const number = phone.replace(/[\s().-]/g, '');
    if (!E164.test(number)) {
      setError(
        'Enter the number in international format: + then country code and number, e.g. +15550100001.',
      );
      return;
    }
    setError(null);
    setBusy(true);
    await desk.dial(number);
    setBusy(false);
  };

  return (
    <section className="card dial" aria-labelledby="dial-title">
      <h2 id="dial-title">Outbound call</h2>
      <form onSubmit={(e) => void submit(e)}>
        <label className="field">
          <span>Number</span>
          <input
            className="dial-number"
            value={phone}
            inputMode="tel"
            autoComplete="off"
            onChange={(e) => setPhone(e.target.value)}
            aria-describedby="dial-hint"
          />
        </label>
        <p id="dial-hint" className="muted small">
          International format, e.g. +15550100001
        </p>
        <DtmfKeypad
          label="Dial pad"
          onDigit={(d) => d !== '*' && d !== '#' && setPhone((p) => p + d)}
          disabled={disabled}
        />
        {error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : null}
        <div className="row-actions">
          <button type="submit" className="btn btn-accept" disabled={disabled || busy}>
            {busy ? 'Dialling…' : 'Call'}
          </button>
          <button
            type="button"
            className="btn btn-ghost"
            onClick={() => setPhone((p) => (p.length > 1 ? p.slice(0, -1) : p))}
            aria-label="Delete last digit"
          >
            ⌫
          </button>
          <button type="button" className="btn btn-ghost" onClick={() => void issueLineCode()} disabled={disabled}>
            Line code
          </button>
        </div>
        {lineCode ? (
          <p className="muted small" role="status">
            {lineCode}
          </p>
        ) : null}
      </form>
    </section>
  );
}
