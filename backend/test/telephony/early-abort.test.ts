// A reply cut off at the earliest moments must not stall the call's turn queue: the caller
// barges in right at the reply's first chunk (or while a filler plays and the reply has not
// made a sound yet), and the synthesis reacts to the abort in each way a provider can — it
// stops, it ignores the signal and yields more audio, or it throws an abort error. Each time
// the caller's next question must still be answered, and the call must stay up.
// Real /local/media socket, VoiceCall, Conversation and pacer; the engines are adapter test
// doubles (recognizer: a fixed final per turn; synthesis: gated on the abort signal).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { buildApp } from '../../src/app';
import { defaultConfig } from '../../src/config/config';
import { createServices, type Services } from '../../src/runtime/services';
import type { SynthesizedSentence, TextToSpeech } from '../../src/speech/types';
import { FaultySpeech } from '../support/faulty-speech';
import { waitUntil } from './harness';

type OnAbort = 'stop' | 'ignore' | 'throw';

/** Synthesis whose first chunk comes at once; what it does after an abort is the test's choice. */
class GatedSynthesis {
  onAbort: OnAbort = 'stop';
  /** Delay before the first chunk (a slow reply, so the filler plays first). */
  firstChunkDelayMs = 0;
  /** Off: every line is a short tone (the greeting). On: replies behave as set above. */
  armed = false;
  readonly texts: string[] = [];
  aborted = 0;

  readonly tts: TextToSpeech = {
    provider: 'gated',
    status: () => Promise.resolve({ name: 'gated tts', available: true }),
    synthesize: (text, opts) => this.#synthesize(text, opts?.signal),
  };

  async *#synthesize(text: string, signal: AbortSignal | undefined): AsyncIterable<SynthesizedSentence> {
    this.texts.push(text);
    const greeting = !this.armed;
    if (this.firstChunkDelayMs && !greeting) await untilAbortedOr(signal, this.firstChunkDelayMs);
    if (signal?.aborted) return this.#afterAbort(text);
    // Two seconds of tone: long enough that the caller can talk over it.
    yield { pcm: tone(greeting ? 200 : 2000), sentence: text, sentenceIndex: 0 };
    if (greeting) return;
    await untilAbortedOr(signal, 3000);
    if (signal?.aborted) yield* this.#afterAbort(text);
  }

  async *#afterAbort(text: string): AsyncGenerator<SynthesizedSentence> {
    this.aborted++;
    if (this.onAbort === 'throw') throw Object.assign(new Error('synthesis aborted'), { name: 'AbortError' });
    if (this.onAbort === 'ignore') yield { pcm: tone(400), sentence: text, sentenceIndex: 1 };
  }
}

function untilAbortedOr(signal: AbortSignal | undefined, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function tone(ms: number): Int16Array {
  const pcm = new Int16Array(16 * ms);
  for (let i = 0; i < pcm.length; i++) pcm[i] = Math.round(800 * Math.sin(i / 5));
  return pcm;
}

let dataDir: string;
let services: Services;
let app: FastifyInstance;
let speech: FaultySpeech;
let synthesis: GatedSynthesis;
let url: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'switchboard-early-abort-'));
  const config = defaultConfig({
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    END_OF_TURN_SILENCE_MS: 100,
    BARGE_IN_MS: 60,
    FILLER_AFTER_MS: 200,
    MEDIA_BURST_MS: 10_000,
  });
  services = await createServices({ config, databaseFile: ':memory:' });
  speech = new FaultySpeech();
  speech.fixedFinal = 'what are your opening hours';
  synthesis = new GatedSynthesis();
  app = await buildApp(services, { speech: { ...speech.engines(), tts: synthesis.tts } });
  url = (await app.listen({ port: 0, host: '127.0.0.1' })).replace('http', 'ws') + '/local/media';
});

afterAll(async () => {
  await app.close();
  await services.close();
  speech.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A caller on /local/media that can speak (a voiced tone), stay quiet, and count what it gets. */
class Caller {
  readonly ws: WebSocket;
  media = 0;
  clears = 0;
  closed = false;
  #chunk = 0;
  readonly #sid: string;

  constructor(n: number) {
    this.#sid = `MZearly${n}`;
    this.ws = new WebSocket(url);
    this.ws.on('error', () => undefined);
    this.ws.on('close', () => (this.closed = true));
    this.ws.on('message', (data: Buffer) => {
      const f = JSON.parse(data.toString()) as { event: string; mark?: { name: string } };
      if (f.event === 'media') this.media++;
      if (f.event === 'clear') this.clears++;
      // Marks come back as a playout buffer would return them.
      if (f.event === 'mark') this.#send({ event: 'mark', sequenceNumber: '9', streamSid: this.#sid, mark: f.mark });
    });
  }

  async start(n: number): Promise<void> {
    await new Promise<void>((resolve) => this.ws.once('open', () => resolve()));
    this.#send({
      event: 'start',
      sequenceNumber: '1',
      streamSid: this.#sid,
      start: {
        streamSid: this.#sid,
        callSid: `CAearly${n}`,
        tracks: ['inbound'],
        customParameters: { from: `+1555013${String(n).padStart(4, '0')}` },
        mediaFormat: { encoding: 'audio/x-l16', sampleRate: 16000, channels: 1 },
      },
    });
  }

  /** Frames of a voiced vowel (speech to the VAD) or near silence, 20 ms each. */
  async frames(count: number, voiced: boolean): Promise<void> {
    for (let i = 0; i < count; i++) {
      const pcm = new Int16Array(320);
      for (let s = 0; s < pcm.length; s++) {
        const t = (this.#chunk * 320 + s) / 16000;
        let v = 0;
        for (let k = 1; k <= 12; k++) v += Math.sin(2 * Math.PI * 130 * k * t) / k;
        pcm[s] = voiced ? Math.round(6000 * v) : (s % 7) - 3;
      }
      this.#send({
        event: 'media',
        sequenceNumber: String(this.#chunk + 2),
        streamSid: this.#sid,
        media: { track: 'inbound', chunk: String(this.#chunk), timestamp: String(this.#chunk * 20), payload: Buffer.from(pcm.buffer).toString('base64') },
      });
      this.#chunk++;
      // Roughly real time, so the VAD and the pacer see the same clock the test does.
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** A question, then the pause that ends the turn. */
  async ask(): Promise<void> {
    await this.frames(25, true);
    await this.frames(15, false);
  }

  hangUp(): void {
    this.ws.close();
  }

  #send(f: object): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(f));
  }
}

async function connected(n: number): Promise<Caller> {
  const caller = new Caller(n);
  await caller.start(n);
  await waitUntil(() => caller.media > 0, 10_000, 'the greeting');
  // Let the short greeting finish so the first question is not a barge-in.
  await caller.frames(25, false);
  synthesis.armed = true;
  return caller;
}

describe('a reply aborted at its earliest moments', () => {
  for (const onAbort of ['stop', 'ignore', 'throw'] as const) {
    it(`barge-in at the first chunk (synthesis ${onAbort}s on abort) leaves the next turn answered`, { timeout: 60_000 }, async () => {
      synthesis.onAbort = onAbort;
      synthesis.firstChunkDelayMs = 0;
      const caller = await connected(onAbort.length);
      const textsBefore = synthesis.texts.length;
      const abortedBefore = synthesis.aborted;
      await caller.ask();
      await waitUntil(() => synthesis.texts.length > textsBefore, 10_000, 'the reply to be synthesized');
      const mediaAtReply = caller.media;
      await waitUntil(() => caller.media > mediaAtReply, 10_000, 'the reply to start playing');
      // The caller cuts in at once: the reply has sent its first frames only.
      await caller.frames(10, true);
      await waitUntil(() => caller.clears > 0, 10_000, 'the reply to be cleared');
      await caller.frames(15, false);
      await waitUntil(() => synthesis.aborted > abortedBefore, 10_000, 'the synthesis to see its abort');
      // The next question is answered: the queue did not stall on the aborted reply.
      const textsBeforeNext = synthesis.texts.length;
      await caller.ask();
      await waitUntil(() => synthesis.texts.length > textsBeforeNext, 15_000, 'the next question to be answered');
      expect(caller.closed).toBe(false);
      caller.hangUp();
      await waitUntil(() => app.calls.size === 0, 10_000, 'the call to be released');
      synthesis.armed = false;
    });
  }

  it('barge-in over the filler, before the slow reply made a sound, leaves the next turn answered', { timeout: 60_000 }, async () => {
    synthesis.onAbort = 'throw';
    synthesis.firstChunkDelayMs = 1500;
    const caller = await connected(9);
    const textsBefore = synthesis.texts.length;
    await caller.ask();
    // The filler line plays while the reply is still being made.
    await waitUntil(() => synthesis.texts.length >= textsBefore + 2, 10_000, 'the reply and the filler to be synthesized');
    const mediaAtFiller = caller.media;
    await waitUntil(() => caller.media > mediaAtFiller, 10_000, 'the filler to play');
    await caller.frames(10, true);
    await caller.frames(15, false);
    synthesis.firstChunkDelayMs = 0;
    const textsBeforeNext = synthesis.texts.length;
    await caller.ask();
    await waitUntil(() => synthesis.texts.length > textsBeforeNext, 15_000, 'the next question to be answered');
    expect(caller.closed).toBe(false);
    caller.hangUp();
    await waitUntil(() => app.calls.size === 0, 10_000, 'the call to be released');
    synthesis.armed = false;
  });
});
