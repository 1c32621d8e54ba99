// Speech engines for fault-injection tests (adapter test doubles, not a product path). Each
// recognizer stream holds what a real engine holds — a child process and an open file — so a
// stream that is never closed shows up as a live child and a descriptor in /proc, exactly as a
// leaked pocketsphinx would. Faults are injected on command: a stream's engine dies (a fatal
// error), opening a stream throws, a synthesis throws.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SpeechEngines } from '../../src/runtime/speech-engines';
import type { SpeechToText, SttEvents, SttStream, SttStreamError, TextToSpeech } from '../../src/speech/types';

export class FaultySpeech {
  readonly open = new Set<FaultyStream>();
  opened = 0;
  closed = 0;
  failNextOpen = false;
  failNextSynthesis = false;
  /** What every final says; unset, a third of the turns are heard as silence (empty text). */
  fixedFinal: string | undefined;
  readonly dir = mkdtempSync(join(tmpdir(), 'switchboard-faulty-speech-'));

  readonly stt: SpeechToText = {
    provider: 'faulty',
    status: () => Promise.resolve({ name: 'faulty stt', available: true }),
    openStream: () => {
      if (this.failNextOpen) {
        this.failNextOpen = false;
        throw new Error('injected: the recognizer could not be opened');
      }
      const stream = new FaultyStream(this);
      this.open.add(stream);
      this.opened++;
      return stream;
    },
  };

  readonly tts: TextToSpeech = {
    provider: 'faulty',
    status: () => Promise.resolve({ name: 'faulty tts', available: true }),
    synthesize: (text, opts) => this.#synthesize(text, opts?.signal),
  };

  engines(): SpeechEngines {
    return { stt: this.stt, tts: this.tts, statuses: [], problems: () => [] };
  }

  /** The engine behind one open stream dies. */
  killRandomStream(random: () => number): boolean {
    const streams = [...this.open];
    const victim = streams[Math.floor(random() * streams.length)];
    if (!victim) return false;
    victim.die();
    return true;
  }

  async *#synthesize(text: string, signal: AbortSignal | undefined): AsyncIterable<{ pcm: Int16Array; sentence: string; sentenceIndex: number }> {
    const sentences = text.split(/(?<=[.!?])\s+/).filter(Boolean);
    for (let i = 0; i < sentences.length; i++) {
      await new Promise((r) => setTimeout(r, 1));
      if (signal?.aborted) return;
      if (this.failNextSynthesis) {
        this.failNextSynthesis = false;
        throw new Error('injected: the synthesis worker crashed');
      }
      // 60 ms of a quiet tone per sentence: short playout keeps runs fast.
      const pcm = new Int16Array(960);
      for (let s = 0; s < pcm.length; s++) pcm[s] = Math.round(800 * Math.sin(s / 5));
      yield { pcm, sentence: sentences[i] ?? '', sentenceIndex: i };
    }
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

class FaultyStream implements SttStream {
  readonly #engine: FaultySpeech;
  readonly #child: ChildProcess;
  readonly #fd: number;
  readonly #listeners: { [E in keyof SttEvents]: Set<SttEvents[E]> } = { partial: new Set(), final: new Set(), error: new Set() };
  #closed = false;
  #exited: Promise<void>;
  #heard = 0;

  constructor(engine: FaultySpeech) {
    this.#engine = engine;
    this.#child = spawn('sleep', ['300'], { stdio: 'ignore' });
    this.#exited = new Promise((resolve) => this.#child.once('exit', () => resolve()));
    this.#fd = openSync(join(engine.dir, `${engine.opened}.raw`), 'w');
  }

  write(pcm: Int16Array): void {
    if (!this.#closed) this.#heard += pcm.length;
  }

  endUtterance(): void {
    if (this.#closed) return;
    setTimeout(() => {
      if (this.#closed) return;
      const text = this.#engine.fixedFinal ?? (this.#heard % 3 === 0 ? '' : 'what are your opening hours');
      for (const l of this.#listeners.final) l({ text, startMs: 0, endMs: 100 });
    }, 2);
  }

  on<E extends keyof SttEvents>(event: E, listener: SttEvents[E]): this {
    this.#listeners[event].add(listener);
    return this;
  }

  off<E extends keyof SttEvents>(event: E, listener: SttEvents[E]): this {
    this.#listeners[event].delete(listener);
    return this;
  }

  /** The engine process dies on its own: the stream reports a fatal error (it still needs close()). */
  die(): void {
    if (this.#closed) return;
    this.#child.kill('SIGKILL');
    const error: SttStreamError = Object.assign(new Error('injected: the recognizer process died'), { fatal: true });
    for (const l of this.#listeners.error) l(error);
  }

  async close(): Promise<void> {
    if (this.#closed) return this.#exited;
    this.#closed = true;
    this.#child.kill('SIGKILL');
    closeSync(this.#fd);
    await this.#exited;
    this.#engine.open.delete(this);
    this.#engine.closed++;
  }
}

/** What this process holds right now: open descriptors and live child processes. */
export function processHoldings(): { fds: number; children: number[] } {
  const fds = readdirSync('/proc/self/fd').length;
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/self/task/${process.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    children = [];
  }
  return { fds, children };
}
