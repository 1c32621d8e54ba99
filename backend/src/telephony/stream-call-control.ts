// Call control over a call's own bidirectional media stream: hold music and announcements
// are paced out like the AI's speech, the agent's voice is relayed from their audio leg
// (/agent/media), keypad tones are generated here. The local carrier uses it for the whole
// call; Twilio uses it until the caller moves into a conference (and if that move fails).
import { dtmfSequence, holdMusic } from '../media/tones';
import type { CallControl, CarrierName, EndedBy } from './call-control';
import type { VoiceCall } from './voice-call';

const MUSIC_CHUNK_MS = 1000;

export class StreamCallControl implements CallControl {
  readonly carrier: CarrierName;
  readonly #voice: VoiceCall;
  #musicSample = 0;

  constructor(voice: VoiceCall, carrier: CarrierName = 'local') {
    this.#voice = voice;
    this.carrier = carrier;
  }

  get callerId(): string {
    return this.#voice.callerId;
  }
  get ended(): boolean {
    return this.#voice.ended;
  }
  get busy(): boolean {
    return this.#voice.speaking || this.#voice.playoutQueuedMs > 0;
  }

  async announce(text: string): Promise<void> {
    // Digits always arrive on the media stream here: nothing extra to ask for.
    await this.#voice.announce(text);
  }

  continueHoldAudio(): void {
    // Keep about a second of soft audio queued so it never runs dry between ticks.
    if (this.#voice.playoutQueuedMs >= MUSIC_CHUNK_MS) return;
    const chunk = holdMusic(MUSIC_CHUNK_MS, this.#musicSample);
    this.#musicSample += chunk.length;
    this.#voice.playAudio(chunk);
  }

  stopHoldAudio(): void {
    this.#voice.stopAudio();
  }

  async waitForPerson(): Promise<void> {
    // The caller stays on this stream; the hold line plays over it.
  }

  async bridgeAgent(): Promise<void> {
    // The agent's audio leg joins through /agent/media and is relayed by relayAgentAudio.
  }

  relayAgentAudio(pcm16k: Int16Array): void {
    this.#voice.sendToCaller(pcm16k);
  }

  async mute(): Promise<void> {
    // The desk stops relaying a muted agent's audio; nothing to tell the stream.
  }

  async hold(held: boolean): Promise<void> {
    this.#voice.setHeld(held);
  }

  async transfer(): Promise<void> {
    this.#voice.setHeld(false);
  }

  async sendDigits(digits: string): Promise<void> {
    this.#voice.playAudio(dtmfSequence(digits));
  }

  async pauseRecording(): Promise<void> {
    // The only recording of a stream call is the desk's own (media/recording-guard.ts).
  }

  async hangUp(by: Exclude<EndedBy, 'caller'>, reason: string, farewell?: string): Promise<void> {
    if (farewell && !this.#voice.ended) {
      await this.#voice.announce(farewell);
      while (this.busy && !this.#voice.ended) await new Promise((r) => setTimeout(r, 100));
    }
    if (by === 'agent') await this.#voice.hangUpByAgent(reason);
    else await this.#voice.hangUpBySystem(reason);
  }
}
