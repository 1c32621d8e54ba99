// A caller driven by a script rather than a microphone: it streams 16 kHz L16 audio over
// /local/media in real time (silence between lines, as a live microphone would), behaves
// like a remote playout buffer for the AI's audio (plays at real time, echoes each mark
// once the audio before it has played, drops everything on clear), and reads captions.
// The CLI caller, the voice integration tests and the voice benchmark all use it.
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import type { OutboundFrame } from '../../../../contracts/media-stream';
import { encodeMulaw } from '../../media/mulaw';
import { createResampler, type Resampler } from '../../media/resampler';

const FRAME_MS = 20;
const FRAME_SAMPLES = 320;

export interface ScriptedCallerOptions {
  /** Base URL of the backend, e.g. http://127.0.0.1:8080 */
  baseUrl: string;
  from: string;
  name?: string;
  encoding?: 'audio/x-l16' | 'audio/x-mulaw';
  /** Extra start.customParameters, e.g. the outboundCallId of a call being answered. */
  customParameters?: Record<string, string>;
  /** Another media-stream endpoint (the Twilio stand-in opens /twilio/media), and headers for its upgrade. */
  url?: string;
  headers?: Record<string, string>;
  /** The call's SID in the start frame (Twilio's CA…); random by default. */
  callSid?: string;
}

export interface CaptionLine {
  seq: number;
  speaker: 'ai' | 'caller';
  text: string;
}

type Playout = { pcmMs: number } | { mark: string };

export class ScriptedCaller {
  readonly #o: ScriptedCallerOptions;
  readonly streamSid = `MZ${randomUUID().replaceAll('-', '')}`;
  #ws: WebSocket | undefined;
  #seq = 0;
  #chunk = 0;
  #outgoing: Int16Array[] = [];
  #ticker: NodeJS.Timeout | undefined;
  #nextTick = 0;
  #playout: Playout[] = [];
  #lastAudioAt = 0;
  sessionId: string | undefined;
  readonly received: OutboundFrame[] = [];
  readonly clears: number[] = [];
  /** Wall times (performance.now) at which each AI media frame arrived. */
  readonly mediaArrivals: number[] = [];
  closeCode: number | undefined;
  closeReason = '';
  #closed: Promise<void> | undefined;
  #downsampler: Resampler | undefined;

  constructor(options: ScriptedCallerOptions) {
    this.#o = options;
  }

  async connect(): Promise<void> {
    const url = this.#o.url ?? this.#o.baseUrl.replace(/^http/, 'ws') + '/local/media';
    const ws = new WebSocket(url, this.#o.headers ? { headers: this.#o.headers } : {});
    this.#ws = ws;
    this.#closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => {
        this.closeCode = code;
        this.closeReason = reason.toString();
        this.#stopTicker();
        resolve();
      }),
    );
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    ws.on('message', (data) => this.#onFrame(JSON.parse(data.toString()) as OutboundFrame));
    this.sendRaw({ event: 'connected', protocol: 'Call', version: '1.0.0' });
    this.sendRaw({
      event: 'start',
      streamSid: this.streamSid,
      start: {
        streamSid: this.streamSid,
        accountSid: 'local',
        callSid: this.#o.callSid ?? `CA${randomUUID().replaceAll('-', '')}`,
        tracks: ['inbound'],
        customParameters: { from: this.#o.from, ...(this.#o.name ? { name: this.#o.name } : {}), ...this.#o.customParameters },
        mediaFormat:
          this.#o.encoding === 'audio/x-mulaw'
            ? { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 }
            : { encoding: 'audio/x-l16', sampleRate: 16000, channels: 1 },
      },
    });
    this.#nextTick = performance.now();
    this.#tick();
  }

  /** Sends any frame as-is (tests use it for bad frames). */
  sendRaw(frame: unknown): void {
    const body = typeof frame === 'string' ? frame : JSON.stringify({ sequenceNumber: String(++this.#seq), ...(frame as object) });
    if (this.#ws?.readyState === WebSocket.OPEN) this.#ws.send(body);
  }

  /** Queue 16 kHz audio to be streamed at real time; resolves when its last frame has been sent. */
  say(pcm: Int16Array): Promise<void> {
    for (let i = 0; i < pcm.length; i += FRAME_SAMPLES) {
      const frame = new Int16Array(FRAME_SAMPLES);
      frame.set(pcm.subarray(i, Math.min(pcm.length, i + FRAME_SAMPLES)));
      this.#outgoing.push(frame);
    }
    const target = this.#outgoing.length;
    return this.#waitFor(() => this.#outgoing.length === 0 || this.#ws?.readyState !== WebSocket.OPEN, target * FRAME_MS + 5_000);
  }

  dtmf(digit: string): void {
    this.sendRaw({ event: 'dtmf', streamSid: this.streamSid, dtmf: { track: 'inbound_track', digit } });
  }

  /** True while AI audio is queued in our playout buffer. */
  get aiSpeaking(): boolean {
    return this.#playout.some((p) => 'pcmMs' in p);
  }

  /** Waits until the AI has been silent (nothing queued, nothing new) for `quietMs`. */
  waitForAiIdle(quietMs = 1200, timeoutMs = 30_000): Promise<void> {
    return this.#waitFor(
      () => !this.aiSpeaking && performance.now() - this.#lastAudioAt >= quietMs,
      timeoutMs,
    );
  }

  /** Waits until AI audio starts arriving (e.g. a reply after a caller line). */
  waitForAiAudio(after: number, timeoutMs = 30_000): Promise<void> {
    return this.#waitFor(() => this.#lastAudioAt > after, timeoutMs);
  }

  async hangUp(): Promise<void> {
    this.sendRaw({ event: 'stop', streamSid: this.streamSid, stop: { accountSid: 'local', callSid: this.streamSid } });
    this.#ws?.close(1000, 'caller hung up');
    await this.closed();
  }

  async closed(): Promise<void> {
    await this.#closed;
  }

  async captions(): Promise<{ state: string; lines: CaptionLine[] }> {
    if (!this.sessionId) return { state: 'unknown', lines: [] };
    const res = await fetch(`${this.#o.baseUrl}/local/calls/${this.sessionId}/captions`);
    if (!res.ok) return { state: 'unknown', lines: [] };
    return (await res.json()) as { state: string; lines: CaptionLine[] };
  }

  #onFrame(frame: OutboundFrame): void {
    this.received.push(frame);
    if (frame.event === 'media') {
      const bytes = Buffer.from(frame.media.payload, 'base64').length;
      const ms = this.#o.encoding === 'audio/x-mulaw' ? bytes / 8 : bytes / 32;
      this.#playout.push({ pcmMs: ms });
      this.#lastAudioAt = performance.now();
      this.mediaArrivals.push(this.#lastAudioAt);
    } else if (frame.event === 'mark') {
      this.#playout.push({ mark: frame.mark.name });
      const id = frame.mark.name.split(':')[0];
      if (id && id !== 'call' && !this.sessionId) this.sessionId = id;
    } else if (frame.event === 'clear') {
      this.clears.push(performance.now());
      this.#playout = [];
    }
  }

  /** Every 20 ms: send one frame of caller audio (or silence) and play 20 ms of AI audio. */
  #tick(): void {
    if (this.#ws?.readyState !== WebSocket.OPEN) return;
    const pcm = this.#outgoing.shift() ?? new Int16Array(FRAME_SAMPLES);
    let payload: Buffer;
    if (this.#o.encoding === 'audio/x-mulaw') {
      this.#downsampler ??= createResampler(16000, 8000);
      payload = Buffer.from(encodeMulaw(this.#downsampler.process(pcm)));
    } else {
      payload = Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength);
    }
    this.sendRaw({
      event: 'media',
      streamSid: this.streamSid,
      media: { track: 'inbound', chunk: String(++this.#chunk), timestamp: String(this.#chunk * FRAME_MS), payload: payload.toString('base64') },
    });
    let budget = FRAME_MS;
    while (this.#playout.length > 0) {
      const head = this.#playout[0]!;
      if ('mark' in head) {
        this.sendRaw({ event: 'mark', streamSid: this.streamSid, mark: { name: head.mark } });
        this.#playout.shift();
        continue;
      }
      if (budget <= 0) break;
      const used = Math.min(budget, head.pcmMs);
      head.pcmMs -= used;
      budget -= used;
      if (head.pcmMs <= 0.001) this.#playout.shift();
    }
    this.#nextTick += FRAME_MS;
    this.#ticker = setTimeout(() => this.#tick(), Math.max(0, this.#nextTick - performance.now()));
  }

  #stopTicker(): void {
    clearTimeout(this.#ticker);
  }

  #waitFor(done: () => boolean, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const started = performance.now();
      const check = () => {
        if (done()) return resolve();
        if (performance.now() - started > timeoutMs) return reject(new Error(`scripted caller: timed out after ${timeoutMs} ms`));
        setTimeout(check, 10);
      };
      check();
    });
  }
}
