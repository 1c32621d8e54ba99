import { describe, expect, it } from 'vitest';
import { createTextToSpeech } from '../../src/speech/providers';
import { decodeWav, encodeWav } from '../../src/speech/wav';
import { SPEECH_SAMPLE_RATE } from '../../src/speech/types';

const REPLY =
  'Thanks for calling. I can help with that. Your order shipped on Monday. It should arrive by Friday. Is there anything else? Have a nice day.';

describe('local TTS (flite)', () => {
  it('reports the engine available', async () => {
    const status = await createTextToSpeech({ provider: 'local' }).status();
    expect(status).toMatchObject({ available: true });
  });

  it('yields 16 kHz audio sentence by sentence, the first before the last is made', async () => {
    const tts = createTextToSpeech({ provider: 'local' });
    const started = performance.now();
    const arrivals: number[] = [];
    const chunks: { sentence: string; sentenceIndex: number; samples: number }[] = [];
    for await (const c of tts.synthesize(REPLY)) {
      arrivals.push(performance.now() - started);
      chunks.push({ sentence: c.sentence, sentenceIndex: c.sentenceIndex, samples: c.pcm.length });
      expect(c.pcm).toBeInstanceOf(Int16Array);
    }
    expect(chunks.map((c) => c.sentenceIndex)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(chunks[0]?.sentence).toBe('Thanks for calling.');
    // "Thanks for calling." lasts roughly a second at 16 kHz; at another rate it would not.
    expect(chunks[0]!.samples / SPEECH_SAMPLE_RATE).toBeGreaterThan(0.5);
    expect(chunks[0]!.samples / SPEECH_SAMPLE_RATE).toBeLessThan(2.5);
    expect(arrivals[0]!).toBeLessThan(arrivals[arrivals.length - 1]!);
    const audioSec = chunks.reduce((n, c) => n + c.samples, 0) / SPEECH_SAMPLE_RATE;
    console.log(`[tts] first sentence after ${arrivals[0]!.toFixed(0)} ms, all ${chunks.length} after ${arrivals.at(-1)!.toFixed(0)} ms, ${audioSec.toFixed(1)} s of audio`);
  });

  it('accepts each built-in voice by name', async () => {
    const tts = createTextToSpeech({ provider: 'local' });
    for (const voice of ['slt', 'rms', 'awb', 'kal16']) {
      const chunks = [];
      for await (const c of tts.synthesize('Hello.', { voice })) chunks.push(c);
      expect(chunks).toHaveLength(1);
    }
    expect(() => createTextToSpeech({ provider: 'local', voice: 'nope' })).toThrow(/Unknown flite voice/);
  });

  it('stops promptly when aborted', async () => {
    const tts = createTextToSpeech({ provider: 'local' });
    const abort = new AbortController();
    const seen: number[] = [];
    for await (const c of tts.synthesize(REPLY, { signal: abort.signal })) {
      seen.push(c.sentenceIndex);
      abort.abort();
    }
    expect(seen).toEqual([0]);

    const none = [];
    for await (const c of tts.synthesize(REPLY, { signal: AbortSignal.abort() })) none.push(c);
    expect(none).toHaveLength(0);
  });

  it('falls back to the flite binary with the same output format', async () => {
    const tts = createTextToSpeech({ provider: 'local', engine: 'binary', voice: 'slt' });
    expect(await tts.status()).toMatchObject({ available: true });
    const chunks = [];
    for await (const c of tts.synthesize('Hello there. Goodbye.')) chunks.push(c);
    expect(chunks.map((c) => c.sentence)).toEqual(['Hello there.', 'Goodbye.']);
    expect(chunks[0]!.pcm.length).toBeGreaterThan(SPEECH_SAMPLE_RATE / 4);
  });

  it('says what a cloud provider chosen without its settings needs', () => {
    expect(() => createTextToSpeech({ provider: 'azure' })).toThrow(/TTS_PROVIDER=azure needs AZURE_SPEECH_KEY/);
  });
});

describe('wav', () => {
  it('round-trips 16-bit mono through the 44-byte header', () => {
    const pcm = Int16Array.from([0, 1, -1, 32767, -32768]);
    const wav = encodeWav(pcm, 16000);
    expect(wav.length).toBe(44 + 10);
    const back = decodeWav(wav);
    expect(back.sampleRate).toBe(16000);
    expect(back.channels).toBe(1);
    expect([...back.pcm]).toEqual([...pcm]);
  });
});
