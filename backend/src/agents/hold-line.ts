// The caller's experience while queued for a person: soft hold audio, their position and
// estimated wait at intervals, and after a while the offer of a callback (to the number
// they called from, or one they key in) that ends the call politely. One per queued call.
import { detectIntent, extractPhone } from '../brain/caller-understanding';
import type { CallControl } from '../telephony/call-control';

export interface HoldLineOptions {
  call: CallControl;
  /** Where the caller stands now; undefined once they left the queue. */
  position: () => { position: number; estimatedWaitMs: number } | undefined;
  announceEveryMs: number;
  callbackOfferAfterMs: number;
  onAnnounced: (position: number, estimatedWaitMs: number) => Promise<void>;
  onCallbackOffered: (afterMs: number) => Promise<void>;
  /** Schedules the callback; the hold line then says goodbye and hangs up. */
  onCallbackRequested: (phone: string) => Promise<void>;
  log: { warn: (obj: object, msg: string) => void };
  /** Announcements only, no callback offer (an agent put the caller on hold). */
  musicOnly?: boolean;
}

const TICK_MS = 250;

export function describeWait(ms: number): string {
  const minutes = Math.ceil(ms / 60_000);
  if (minutes <= 1) return 'less than a minute';
  return `about ${minutes} minutes`;
}

export class HoldLine {
  readonly #o: HoldLineOptions;
  #timer: NodeJS.Timeout | undefined;
  #startedAt = 0;
  #nextAnnounceAt = 0;
  #speaking = false;
  #callbackOffered = false;
  #collectingNumber = false;
  #stopped = false;
  #done = false;

  constructor(options: HoldLineOptions) {
    this.#o = options;
  }

  start(): void {
    this.#startedAt = Date.now();
    this.#nextAnnounceAt = this.#startedAt + this.#o.announceEveryMs;
    this.#timer = setInterval(() => this.#tick(), TICK_MS);
  }

  stop(): void {
    this.#stopped = true;
    clearInterval(this.#timer);
    this.#o.call.stopHoldAudio();
  }

  /** Digits the caller keyed while waiting. */
  digits(digits: string): void {
    if (this.#stopped || this.#done) return;
    if (this.#collectingNumber) {
      const phone = extractPhone(digits);
      if (phone) void this.#requestCallback(phone);
      else void this.#say("Sorry, that doesn't look like a phone number. Please key the ten-digit number, then the pound key.", true);
      return;
    }
    if (!this.#callbackOffered) return;
    if (digits.startsWith('1')) void this.#requestCallback(this.#o.call.callerId);
    else if (digits.startsWith('2')) {
      this.#collectingNumber = true;
      void this.#say('Please key the number we should call, then the pound key.', true);
    }
  }

  /** Something the caller said while waiting. */
  said(text: string): void {
    if (this.#stopped || this.#done || !this.#callbackOffered) return;
    const intent = detectIntent(text);
    const phone = extractPhone(text);
    if (phone) void this.#requestCallback(phone);
    else if (intent.name === 'affirm' || intent.name === 'callback') void this.#requestCallback(this.#o.call.callerId);
  }

  async #tick(): Promise<void> {
    if (this.#stopped || this.#speaking || this.#done) return;
    const call = this.#o.call;
    if (call.ended) return this.stop();
    const now = Date.now();
    if (!this.#o.musicOnly && !this.#callbackOffered && now - this.#startedAt >= this.#o.callbackOfferAfterMs) {
      this.#callbackOffered = true;
      await this.#o.onCallbackOffered(now - this.#startedAt);
      await this.#say(
        "If you'd rather not wait, we can call you back. Press 1 for a callback to the number you're calling from, or press 2 to key in a different number. Or stay on the line.",
        true,
      );
      return;
    }
    if (now >= this.#nextAnnounceAt) {
      this.#nextAnnounceAt = now + this.#o.announceEveryMs;
      const where = this.#o.position();
      if (where && !this.#o.musicOnly) {
        await this.#o.onAnnounced(where.position, where.estimatedWaitMs);
        await this.#say(
          `You are number ${where.position} in line. The estimated wait is ${describeWait(where.estimatedWaitMs)}. Thank you for holding.`,
        );
      } else if (this.#o.musicOnly) {
        await this.#say('Thank you for holding. Your agent will be right back with you.');
      }
      return;
    }
    call.continueHoldAudio();
  }

  async #say(text: string, expectDigits = false): Promise<void> {
    this.#speaking = true;
    try {
      this.#o.call.stopHoldAudio();
      await this.#o.call.announce(text, { expectDigits });
    } catch (err) {
      this.#o.log.warn({ err: String(err) }, 'hold line announcement failed');
    } finally {
      // Let the line finish before the music comes back.
      while (!this.#stopped && this.#o.call.busy) await new Promise((r) => setTimeout(r, 100));
      this.#speaking = false;
    }
  }

  async #requestCallback(phone: string): Promise<void> {
    if (this.#done) return;
    this.#done = true;
    clearInterval(this.#timer);
    await this.#o.onCallbackRequested(phone);
  }
}
