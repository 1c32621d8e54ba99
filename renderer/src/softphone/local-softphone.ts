// The local carrier's softphone: one AgentAudioLeg (WebSocket /agent/media, 16 kHz L16) per
// call the agent holds, through the backend.
import { AgentAudioLeg } from '../audio/agent-audio';
import type { Softphone, SoftphoneEvents } from './softphone';

export interface LocalSoftphoneOptions extends SoftphoneEvents {
  baseUrl: () => string;
  token: () => string | null;
  devices: () => { microphoneId: string | null; speakerId: string | null };
}

export class LocalSoftphone implements Softphone {
  readonly kind = 'local' as const;
  readonly #o: LocalSoftphoneOptions;
  readonly #legs = new Map<string, AgentAudioLeg>();

  constructor(options: LocalSoftphoneOptions) {
    this.#o = options;
  }

  async start(): Promise<void> {
    // Nothing to register: each call opens its own leg.
  }

  stop(): void {
    for (const leg of this.#legs.values()) leg.stop();
    this.#legs.clear();
  }

  join(sessionId: string, mediaUrl?: string): void {
    const token = this.#o.token();
    if (!token || this.#legs.has(sessionId)) return;
    const { microphoneId, speakerId } = this.#o.devices();
    const leg = new AgentAudioLeg({
      // The call's own backend in a cluster: a caller's media never crosses backends.
      baseUrl: mediaUrl ?? this.#o.baseUrl(),
      token,
      sessionId,
      onState: (state, detail) => this.#o.onLegState(sessionId, state, detail),
      microphoneId,
      speakerId,
    });
    this.#legs.set(sessionId, leg);
    void leg.start();
  }

  leave(sessionId: string): void {
    this.#legs.get(sessionId)?.stop();
    this.#legs.delete(sessionId);
  }

  setMuted(sessionId: string, muted: boolean): void {
    this.#legs.get(sessionId)?.setMuted(muted);
  }

  setHeld(sessionId: string, held: boolean): void {
    this.#legs.get(sessionId)?.setHeld(held);
  }

  sendDigits(): boolean {
    // The server plays the tones into the call.
    return false;
  }

  async dial(): Promise<boolean> {
    // The server rings the customer's call page (LocalLines).
    return false;
  }

  hangUpDialled(): void {}

  async setMicrophone(deviceId: string | null): Promise<void> {
    for (const leg of this.#legs.values()) await leg.setMicrophone(deviceId);
  }

  async setSpeaker(deviceId: string | null): Promise<void> {
    for (const leg of this.#legs.values()) await leg.setSpeaker(deviceId);
  }
}
