// Round trips through the command-line fallback engine (STT_ENGINE=cli): flite speaks, one
// pocketsphinx_continuous process per stream listens. The default in-process engine has its
// own suite (sphinx-stt.test.ts). Audio is
// written faster than real time (the engine segments on samples, not on the wall clock) so
// the suite stays short on two cores. Latency is logged, not asserted.
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { createPocketsphinxSpeechToText } from '../../src/speech/pocketsphinx-stt';
import { checkSpeechEngines, createSpeechToText } from '../../src/speech/providers';
import type { SttFinal, SttStream } from '../../src/speech/types';
import { concatPcm, silence, synthesizeCallerUtterance } from '../support/caller-audio';

const PHRASES = {
  person: 'I would like to speak to a person.',
  order: 'Where is my order?',
  zip: 'Nine four one oh seven.',
};

let audio: Record<keyof typeof PHRASES, Int16Array>;

beforeAll(async () => {
  const entries = await Promise.all(
    Object.entries(PHRASES).map(async ([k, text]) => [k, await synthesizeCallerUtterance(text)] as const),
  );
  audio = Object.fromEntries(entries) as typeof audio;
});

/** Writes an utterance plus the trailing silence the media VAD waits for, then ends it. */
function speak(stream: SttStream, pcm: Int16Array): Promise<{ final: SttFinal; latencyMs: number }> {
  return new Promise((resolve, reject) => {
    let endedAt = 0;
    const onFinal = (final: SttFinal): void => {
      stream.off('final', onFinal);
      resolve({ final, latencyMs: performance.now() - endedAt });
    };
    stream.on('final', onFinal);
    stream.on('error', reject);
    const turn = concatPcm([silence(200), pcm, silence(500)]);
    for (let i = 0; i < turn.length; i += 320) stream.write(turn.subarray(i, i + 320));
    endedAt = performance.now();
    stream.endUtterance();
  });
}

function pocketsphinxChildren(): number[] {
  const out = execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((l) => l.includes('pocketsphinx'))
    .map((l) => Number(l.trim().split(/\s+/)[0]));
}

const digitWords = (text: string): string[] => text.split(/\s+/).filter((w) => ['nine', 'four', 'one', 'oh', 'zero', 'seven'].includes(w));

describe('local STT, command-line engine (pocketsphinx_continuous)', () => {
  it('transcribes consecutive utterances on one stream, with times in stream audio', async () => {
    const stt = createSpeechToText({ provider: 'local', engine: 'cli' });
    expect(await stt.status()).toMatchObject({ available: true });
    const stream = stt.openStream({ speaker: 'caller', sampleRate: 16000 });
    const partials: string[] = [];
    stream.on('partial', (p) => partials.push(p.text));
    try {
      const person = await speak(stream, audio.person);
      const order = await speak(stream, audio.order);
      const zip = await speak(stream, audio.zip);
      console.log(
        `[stt] finals: ${JSON.stringify([person.final, order.final, zip.final])}\n` +
          `[stt] endUtterance→final ms: ${[person, order, zip].map((r) => r.latencyMs.toFixed(0)).join(', ')}; partials: ${JSON.stringify(partials)}`,
      );
      expect(person.final.text).toMatch(/person|speak/);
      expect(order.final.text).toMatch(/order/);
      expect(digitWords(zip.final.text).length).toBeGreaterThanOrEqual(2);
      // Times count only the audio we wrote (the engine's padding is not in them).
      const firstTurnMs = ((200 + 500) / 1000) * 1000 + (audio.person.length / 16000) * 1000;
      expect(person.final.startMs).toBeGreaterThanOrEqual(100);
      expect(person.final.endMs).toBeLessThanOrEqual(firstTurnMs);
      expect(order.final.startMs).toBeGreaterThanOrEqual(firstTurnMs);
      expect(order.final.startMs).toBeLessThan(order.final.endMs);
      expect(person.final.confidence).toBeGreaterThan(0);
    } finally {
      await stream.close();
    }
  });

  it('gives an empty final when the turn held no speech', async () => {
    const stream = createSpeechToText({ provider: 'local', engine: 'cli' }).openStream({ speaker: 'caller', sampleRate: 16000 });
    try {
      const { final } = await speak(stream, silence(300));
      expect(final.text).toBe('');
    } finally {
      await stream.close();
    }
  });

  it('keeps concurrent streams apart, and close() ends their processes', async () => {
    const stt = createSpeechToText({ provider: 'local', engine: 'cli' });
    const a = stt.openStream({ speaker: 'caller', sampleRate: 16000 });
    const b = stt.openStream({ speaker: 'agent', sampleRate: 16000 });
    expect(pocketsphinxChildren().length).toBeGreaterThanOrEqual(2);
    const [ra, rb] = await Promise.all([speak(a, audio.order), speak(b, audio.person)]);
    expect(ra.final.text).toMatch(/order/);
    expect(ra.final.text).not.toMatch(/person|speak/);
    expect(rb.final.text).toMatch(/person|speak/);
    expect(rb.final.text).not.toMatch(/order/);
    await Promise.all([a.close(), b.close()]);
    expect(pocketsphinxChildren()).toEqual([]);
  });

  it('says what is missing and how to install it', async () => {
    const noBinary = await createPocketsphinxSpeechToText({ binary: 'no-such-pocketsphinx' }).status();
    expect(noBinary).toMatchObject({ available: false, howToInstall: 'sudo apt-get install pocketsphinx pocketsphinx-en-us' });
    expect(noBinary.problem).toMatch(/no-such-pocketsphinx/);
    const noModel = await createPocketsphinxSpeechToText({ modelDir: '/nonexistent/model' }).status();
    expect(noModel).toMatchObject({ available: false });
    expect(noModel.problem).toMatch(/model files missing/);
    expect(() => createSpeechToText({ provider: 'openai' })).toThrow(/"openai" is not available in this build/);
    const statuses = await checkSpeechEngines();
    expect(statuses.map((s) => s.available)).toEqual([true, true]);
  });
});
