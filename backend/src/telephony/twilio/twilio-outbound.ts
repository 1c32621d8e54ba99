// Agents' outbound calls through the TwiML App. The softphone dials Twilio directly; Twilio
// asks /twilio/agent what to do, and we answer with a fork of the softphone's leg (so the
// call is transcribed and becomes a session) and a <Dial> of the number. Between the two the
// placed call waits here under a one-time id the fork presents; one the fork never claims
// gives the agent their status back after a minute.
import { randomUUID } from 'node:crypto';

export interface PlacedCall {
  agentId: string;
  phone: string;
  /** The softphone's call (CA…), which the fork and the status callbacks name. */
  callSid: string;
}

const CLAIM_WITHIN_MS = 60_000;

export class TwilioOutbound {
  readonly #placed = new Map<string, PlacedCall & { timer: NodeJS.Timeout }>();
  readonly #unclaimed: (call: PlacedCall) => void;

  constructor(unclaimed: (call: PlacedCall) => void) {
    this.#unclaimed = unclaimed;
  }

  place(call: PlacedCall): string {
    const id = randomUUID();
    const timer = setTimeout(() => {
      this.#placed.delete(id);
      this.#unclaimed(call);
    }, CLAIM_WITHIN_MS);
    timer.unref();
    this.#placed.set(id, { ...call, timer });
    return id;
  }

  /** Once, by the fork of the same call to the same number. */
  claim(id: string, phone: string, callSid: string): { agentId: string } | undefined {
    const placed = this.#placed.get(id);
    if (!placed || placed.phone !== phone || placed.callSid !== callSid) return undefined;
    clearTimeout(placed.timer);
    this.#placed.delete(id);
    return { agentId: placed.agentId };
  }

  close(): void {
    for (const placed of this.#placed.values()) clearTimeout(placed.timer);
    this.#placed.clear();
  }
}
