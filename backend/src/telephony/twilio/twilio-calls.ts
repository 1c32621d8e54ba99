// Live Twilio calls by the SIDs Twilio uses in its callbacks (the caller's call, the agent's
// leg) and by session: a callback naming a call we do not hold is answered 404 and changes nothing.
import type { TwilioCallControl } from './twilio-call-control';

export class TwilioCalls {
  readonly #byCallSid = new Map<string, TwilioCallControl>();
  readonly #bySession = new Map<string, TwilioCallControl>();

  add(control: TwilioCallControl): void {
    this.#byCallSid.set(control.callSid, control);
    if (control.sessionId) this.#bySession.set(control.sessionId, control);
  }

  /** The agent's leg of a call, once Twilio created it. */
  addLeg(callSid: string, control: TwilioCallControl): void {
    this.#byCallSid.set(callSid, control);
  }

  byCallSid(callSid: string | undefined): TwilioCallControl | undefined {
    return callSid ? this.#byCallSid.get(callSid) : undefined;
  }

  bySession(sessionId: string | undefined): TwilioCallControl | undefined {
    return sessionId ? this.#bySession.get(sessionId) : undefined;
  }

  remove(control: TwilioCallControl): void {
    for (const [sid, c] of this.#byCallSid) if (c === control) this.#byCallSid.delete(sid);
    if (control.sessionId) this.#bySession.delete(control.sessionId);
  }

  get size(): number {
    return this.#bySession.size;
  }

  all(): TwilioCallControl[] {
    return [...this.#bySession.values()];
  }
}
