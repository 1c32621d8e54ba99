// Faster first audio over the real flite engine: a long first sentence is spoken in two pieces
// (the short phrase first), and lines rendered once play from the cache without synthesis.
import { describe, expect, it } from 'vitest';
import { createCachedTextToSpeech, speakingPieces } from '../../src/speech/cached-tts';
import { createFliteTextToSpeech } from '../../src/speech/flite-tts';
import type { SynthesizeOptions, TextToSpeech } from '../../src/speech/types';

function counting(inner: TextToSpeech): { tts: TextToSpeech; rendered: string[] } {
  const rendered: string[] = [];
  return {
    rendered,
    tts: {
      provider: inner.provider,
      status: () => inner.status(),
      synthesize(text: string, opts?: SynthesizeOptions) {
        rendered.push(text);
        return inner.synthesize(text, opts);
      },
    },
  };
}

describe('cached TTS', () => {
  it('cuts a long first sentence at its first clause break, and leaves short ones whole', () => {
    expect(speakingPieces("Sure, I can check the status of your order for you. It shipped Monday.")).toEqual([
      'Sure,',
      'I can check the status of your order for you.',
      'It shipped Monday.',
    ]);
    expect(speakingPieces('Hello! How can I help you today?')).toEqual(['Hello!', 'How can I help you today?']);
    expect(speakingPieces('Returns are accepted within thirty days of delivery for a full refund.')).toEqual([
      'Returns are accepted within thirty days of delivery for a full refund.',
    ]);
  });

  it('plays prewarmed fixed lines from the cache, and the same audio every time', async () => {
    const { tts: inner, rendered } = counting(createFliteTextToSpeech({ voice: 'kal16' }));
    const tts = createCachedTextToSpeech(inner, { defaultVoice: 'kal16' });
    await tts.prewarm(['One moment.', 'Hello! How can I help you today?']);
    expect(rendered).toEqual(['One moment.', 'Hello!', 'How can I help you today?']);
    const first: Int16Array[] = [];
    for await (const chunk of tts.synthesize('Hello! How can I help you today?')) first.push(chunk.pcm);
    expect(rendered).toHaveLength(3);
    expect(first).toHaveLength(2);
    expect(first[0]!.length).toBeGreaterThan(1000);
    // A new sentence is synthesized once, then served from the cache.
    for await (const _ of tts.synthesize('Your refund is on its way.')) void _;
    for await (const _ of tts.synthesize('Your refund is on its way.')) void _;
    expect(rendered.filter((r) => r === 'Your refund is on its way.')).toHaveLength(1);
    expect(tts.cachedSentences).toBe(4);
  });

  it('stops without yielding once the reply is cancelled', async () => {
    const tts = createCachedTextToSpeech(createFliteTextToSpeech({ voice: 'kal16' }), { defaultVoice: 'kal16' });
    const abort = new AbortController();
    abort.abort();
    const got: string[] = [];
    for await (const chunk of tts.synthesize('This is never heard. Nor is this.', { signal: abort.signal })) got.push(chunk.sentence);
    expect(got).toEqual([]);
  });
});
