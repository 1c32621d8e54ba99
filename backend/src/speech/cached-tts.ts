// Faster first audio, for any TextToSpeech: the reply's first short phrase is synthesized on
// its own (a long first sentence is cut at its first clause break, so the caller hears
// "Sure," while the rest is still being made), and sentences are kept as audio in a bounded
// cache — the fixed lines (greeting, filler, escalation and hold announcements) are rendered
// once at start, so they play at once on every call.
import { splitSentences } from './sentences';
import type { EngineStatus, SynthesizedSentence, SynthesizeOptions, TextToSpeech } from './types';

export interface CachedTtsOptions {
  /** Sentences kept as audio (least recently used goes first). ~2 s of speech is ~64 KB. */
  maxEntries?: number;
  /** The voice used when a request names none (the cache key needs it). */
  defaultVoice: string;
}

export interface CachedTextToSpeech extends TextToSpeech {
  /** Renders lines into the cache ahead of the first call. */
  prewarm(lines: readonly string[], voice?: string): Promise<void>;
  readonly cachedSentences: number;
}

/** A first sentence longer than this many words is cut at its first clause break. */
const FIRST_PHRASE_MAX_WORDS = 6;
const CACHEABLE_CHARS = 240;

/** The pieces synthesized one by one: sentences, the first one split at a clause break. */
export function speakingPieces(text: string): string[] {
  const sentences = splitSentences(text);
  const first = sentences[0];
  if (!first || first.split(/\s+/).length <= FIRST_PHRASE_MAX_WORDS) return sentences;
  const m = /^(\S+(?:\s+\S+){0,5}?[,;:—])\s+(.+)$/.exec(first);
  if (!m || m[2]!.split(/\s+/).length < 3) return sentences;
  return [m[1]!, m[2]!, ...sentences.slice(1)];
}

export function createCachedTextToSpeech(inner: TextToSpeech, options: CachedTtsOptions): CachedTextToSpeech {
  const maxEntries = options.maxEntries ?? 256;
  /** Audio by voice, format and piece: 16 kHz pcm, or µ-law 8 kHz from a provider that makes it. */
  const cache = new Map<string, Int16Array | Uint8Array>();
  const key = (voice: string, piece: string, mulaw: boolean): string => `${voice}\u0000${mulaw ? 'mulaw8k' : 'pcm16k'}\u0000${piece}`;

  function remember(k: string, audio: Int16Array | Uint8Array): void {
    cache.delete(k);
    cache.set(k, audio);
    while (cache.size > maxEntries) cache.delete(cache.keys().next().value!);
  }

  async function render(piece: string, voice: string, signal?: AbortSignal, mulaw = false): Promise<Int16Array | Uint8Array | undefined> {
    const k = key(voice, piece, mulaw);
    const hit = cache.get(k);
    if (hit) {
      remember(k, hit);
      return hit;
    }
    const parts: Array<Int16Array | Uint8Array> = [];
    for await (const chunk of inner.synthesize(piece, { voice, ...(signal ? { signal } : {}), ...(mulaw ? { mulaw8k: true } : {}) })) {
      parts.push(mulaw && chunk.mulaw8k ? chunk.mulaw8k : chunk.pcm);
    }
    if (signal?.aborted) return undefined;
    const audio = mulaw ? new Uint8Array(parts.reduce((n, p) => n + p.length, 0)) : new Int16Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      audio.set(p, at);
      at += p.length;
    }
    if (piece.length <= CACHEABLE_CHARS) remember(k, audio);
    return audio;
  }

  return {
    provider: inner.provider,
    ...(inner.capacityHint !== undefined ? { capacityHint: inner.capacityHint } : {}),
    ...(inner.producesMulaw ? { producesMulaw: true } : {}),
    status: (): Promise<EngineStatus> => inner.status(),
    get cachedSentences() {
      return cache.size;
    },

    async prewarm(lines, voice = options.defaultVoice) {
      for (const line of lines) {
        for (const piece of speakingPieces(line)) {
          await render(piece, voice);
          // Phone calls (µ-law) get the fixed lines in their own format too.
          if (inner.producesMulaw) await render(piece, voice, undefined, true);
        }
      }
    },

    async *synthesize(text: string, opts: SynthesizeOptions = {}): AsyncIterable<SynthesizedSentence> {
      const voice = opts.voice ?? options.defaultVoice;
      const { signal } = opts;
      const mulaw = opts.mulaw8k === true && inner.producesMulaw === true;
      const pieces = speakingPieces(text);
      // One piece ahead: while the caller hears piece n, piece n+1 is being made.
      let next: Promise<Int16Array | Uint8Array | undefined> | undefined;
      for (let i = 0; i < pieces.length; i++) {
        if (signal?.aborted) return;
        const current = next ?? render(pieces[i]!, voice, signal, mulaw);
        const following = pieces[i + 1];
        next = following !== undefined ? render(following, voice, signal, mulaw) : undefined;
        next?.catch(() => undefined);
        const audio = await current;
        if (audio === undefined || signal?.aborted) return;
        const sentence = pieces[i]!;
        yield audio instanceof Int16Array ? { pcm: audio, sentence, sentenceIndex: i } : { pcm: new Int16Array(0), mulaw8k: audio, sentence, sentenceIndex: i };
      }
    },
  };
}
