// The in-process recognizer with real audio: flite speaks caller lines, pocketsphinx (through
// koffi, on a worker thread) listens. Audio is written faster than real time; the decoder
// works on samples, so results are the same. Latency is logged, never asserted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digitRuns, extractDate } from '../../src/brain/slots';
import { createSphinxSpeechToText, type SphinxSpeechToText } from '../../src/speech/sphinx/sphinx-stt';
import type { ExpectedAnswer, SttFinal, SttStream } from '../../src/speech/types';
import { concatPcm, silence, synthesizeCallerUtterance } from '../support/caller-audio';

let stt: SphinxSpeechToText;
const audio = new Map<string, Int16Array>();

const LINES = [
  'Where is my order?',
  'How long do I have to return something?',
  'Nine four one oh seven.',
  'Six oh six one four.',
  'April twelfth, nineteen eighty five.',
  'Yes please.',
  'No, that is all, thanks.',
  'Order one zero zero four.',
  "I don't know my zip code.",
];

beforeAll(async () => {
  stt = createSphinxSpeechToText({ workers: 1, warmDecoders: 2 });
  await stt.warm();
  for (const line of LINES) audio.set(line, await synthesizeCallerUtterance(line));
}, 60_000);

afterAll(async () => {
  await stt.close();
});

interface Heard {
  final: SttFinal;
  partials: string[];
  partialsBeforeEnd: number;
  finalMs: number;
}

function say(stream: SttStream, line: string, expected: ExpectedAnswer = 'open'): Promise<Heard> {
  const pcm = audio.get(line)!;
  return new Promise((resolve, reject) => {
    const partials: string[] = [];
    let partialsBeforeEnd = -1;
    let endedAt = 0;
    const onPartial = (p: { text: string }): void => void partials.push(p.text);
    const onFinal = (final: SttFinal): void => {
      stream.off('final', onFinal).off('partial', onPartial).off('error', reject);
      resolve({ final, partials, partialsBeforeEnd, finalMs: performance.now() - endedAt });
    };
    stream.on('partial', onPartial).on('final', onFinal).on('error', reject);
    stream.expect?.(expected);
    const turn = concatPcm([silence(200), pcm, silence(250)]);
    for (let i = 0; i < turn.length; i += 320) stream.write(turn.subarray(i, i + 320));
    // Partials are posted as the worker decodes: wait until it has caught up with the audio
    // (a busy machine may take a while for the first one; silence never gives one).
    const deadline = performance.now() + 10_000;
    const settle = (): void => {
      const before = partials.length;
      setTimeout(() => {
        const waitingForFirst = partials.length === 0 && pcm.some((v) => Math.abs(v) > 1000);
        if ((partials.length !== before || waitingForFirst) && performance.now() < deadline) return settle();
        partialsBeforeEnd = partials.length;
        endedAt = performance.now();
        stream.endUtterance();
      }, 300);
    };
    settle();
  });
}

describe('in-process pocketsphinx', () => {
  it('gives word-by-word partials during the utterance, then the final with stream times', async () => {
    const stream = stt.openStream({ speaker: 'caller', sampleRate: 16000 });
    try {
      const first = await say(stream, 'How long do I have to return something?');
      console.log(`[sphinx] partials ${JSON.stringify(first.partials)} final ${JSON.stringify(first.final)} in ${first.finalMs.toFixed(1)} ms`);
      expect(first.final.text).toMatch(/return/);
      expect(first.partialsBeforeEnd).toBeGreaterThanOrEqual(3);
      // Partials grow word by word toward the final.
      expect(first.partials.some((p) => p.split(' ').length === 1)).toBe(true);
      expect(first.partials.at(-1)!.split(' ').length).toBeGreaterThanOrEqual(4);
      expect(first.final.confidence).toBeGreaterThan(0);
      expect(first.final.startMs).toBeGreaterThanOrEqual(100);
      const firstTurnMs = 200 + 250 + (audio.get('How long do I have to return something?')!.length / 16000) * 1000;
      expect(first.final.endMs).toBeLessThanOrEqual(firstTurnMs);
      const second = await say(stream, 'Where is my order?');
      expect(second.final.text).toMatch(/order/);
      expect(second.final.startMs).toBeGreaterThanOrEqual(firstTurnMs);
      expect(second.final.endMs).toBeGreaterThan(second.final.startMs);
    } finally {
      await stream.close();
    }
  });

  it('listens for what was asked: zip, date, zip-or-date, yes-no, order id', async () => {
    const stream = stt.openStream({ speaker: 'caller', sampleRate: 16000 });
    try {
      const zip = await say(stream, 'Nine four one oh seven.', 'zip');
      expect(zip.final).toMatchObject({ context: 'zip' });
      expect(digitRuns(zip.final.text).join('')).toBe('94107');
      const zip2 = await say(stream, 'Six oh six one four.', 'zip-or-date');
      expect(digitRuns(zip2.final.text).join('')).toBe('60614');
      const date = await say(stream, 'April twelfth, nineteen eighty five.', 'date');
      expect(date.final.context).toBe('date');
      expect(extractDate(date.final.text)).toBe('1985-04-12');
      const dateOrZip = await say(stream, 'April twelfth, nineteen eighty five.', 'zip-or-date');
      expect(extractDate(dateOrZip.final.text)).toBe('1985-04-12');
      const yes = await say(stream, 'Yes please.', 'yes-no');
      expect(yes.final).toMatchObject({ context: 'yes-no' });
      expect(yes.final.text).toMatch(/^yes/);
      const no = await say(stream, 'No, that is all, thanks.', 'yes-no');
      expect(no.final.text).toMatch(/^no/);
      const order = await say(stream, 'Order one zero zero four.', 'order-id');
      expect(order.final.context).toBe('order-id');
      expect(digitRuns(order.final.text).join('')).toBe('1004');
      const open = await say(stream, 'Where is my order?', 'open');
      expect(open.final).toMatchObject({ context: 'open' });
      console.log(`[sphinx] finals ms: ${[zip, zip2, date, dateOrZip, yes, no, order, open].map((h) => h.finalMs.toFixed(1)).join(', ')}`);
    } finally {
      await stream.close();
    }
  });

  it('falls back to the open model when the caller does not give the expected answer', async () => {
    const stream = stt.openStream({ speaker: 'caller', sampleRate: 16000 });
    try {
      const heard = await say(stream, "I don't know my zip code.", 'zip');
      expect(heard.final.context).toBe('open');
      expect(heard.final.text).toMatch(/zip/);
      expect(digitRuns(heard.final.text).join('')).toBe('');
      const question = await say(stream, 'Where is my order?', 'yes-no');
      expect(question.final).toMatchObject({ context: 'open' });
      expect(question.final.text).toMatch(/where|order/);
    } finally {
      await stream.close();
    }
  });

  it('gives an empty final for a turn with no speech', async () => {
    const stream = stt.openStream({ speaker: 'caller', sampleRate: 16000 });
    try {
      const final = await new Promise<SttFinal>((resolve) => {
        stream.on('final', resolve);
        stream.write(silence(400));
        stream.endUtterance();
      });
      expect(final.text).toBe('');
      const nothing = await new Promise<SttFinal>((resolve) => {
        stream.on('final', resolve);
        stream.endUtterance();
      });
      expect(nothing.text).toBe('');
    } finally {
      await stream.close();
    }
  });

  it('a decoder failure ends only its own stream; the others keep recognizing', async () => {
    const broken = stt.openStream({ speaker: 'caller', sampleRate: 16000 });
    const healthy = stt.openStream({ speaker: 'caller', sampleRate: 16000 });
    try {
      const errors: string[] = [];
      broken.on('error', (e) => errors.push(e.message));
      (broken as unknown as { injectFault(): void }).injectFault();
      const finalOfBroken = new Promise<SttFinal>((resolve) => broken.on('final', resolve));
      broken.write(audio.get('Yes please.')!);
      broken.endUtterance();
      expect((await finalOfBroken).text).toBe('');
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/speech recognition failed for this call: injected decoder fault/);
      const heard = await say(healthy, 'Where is my order?');
      expect(heard.final.text).toMatch(/order/);
      // The engine keeps serving new calls after the fault.
      const next = stt.openStream({ speaker: 'caller', sampleRate: 16000 });
      expect((await say(next, 'Yes please.', 'yes-no')).final.text).toMatch(/yes/);
      await next.close();
    } finally {
      await Promise.all([broken.close(), healthy.close()]);
    }
  });

  it('states its capacity, and names a missing library with how to install it', async () => {
    const before = stt.capacity();
    const stream = stt.openStream({ speaker: 'agent', sampleRate: 16000 });
    expect(stt.capacity()).toEqual({ activeStreams: before.activeStreams + 1, maxStreams: 12 });
    await stream.close();
    expect(stt.capacity().activeStreams).toBe(before.activeStreams);
    const missing = await createSphinxSpeechToText({ libraries: { sphinxbase: 'libsphinxbase.so.3', pocketsphinx: 'libno-such-pocketsphinx.so.9' } }).status();
    expect(missing).toMatchObject({ available: false, howToInstall: 'sudo apt-get install libpocketsphinx3 pocketsphinx-en-us' });
    expect(missing.problem).toMatch(/libno-such-pocketsphinx\.so\.9/);
    const noModel = await createSphinxSpeechToText({ modelDir: '/nonexistent/model' }).status();
    expect(noModel.problem).toMatch(/model files missing/);
    expect(() => createSphinxSpeechToText({ modelDir: '/nonexistent/model' }).openStream({ speaker: 'caller', sampleRate: 16000 })).toThrow(/apt-get install/);
  });

  it('with process isolation, a crash inside the C library fails only that process’s calls', async () => {
    const isolated = createSphinxSpeechToText({ workers: 2, warmDecoders: 1, isolation: 'process' });
    try {
      await isolated.warm();
      const [first, second] = isolated.processIds();
      expect(first).toBeGreaterThan(0);
      expect(second).toBeGreaterThan(0);
      const victim = isolated.openStream({ speaker: 'caller', sampleRate: 16000 });
      const survivor = isolated.openStream({ speaker: 'caller', sampleRate: 16000 });
      const errors: string[] = [];
      victim.on('error', (e) => errors.push(e.message));
      survivor.on('error', (e) => errors.push(`survivor: ${e.message}`));
      // Streams go to the least busy process: the first to one, the second to the other.
      process.kill(first!, 'SIGSEGV');
      await new Promise<void>((resolve) => {
        const poll = (): void => void (errors.length > 0 ? resolve() : setTimeout(poll, 20));
        poll();
      });
      expect(errors).toEqual([expect.stringMatching(/speech recognition failed for this call: speech process stopped \(SIGSEGV\)/)]);
      expect((await say(survivor, 'Where is my order?')).final.text).toMatch(/order/);
      // The lost process is replaced for the next call.
      const next = isolated.openStream({ speaker: 'caller', sampleRate: 16000 });
      expect((await say(next, 'Yes please.', 'yes-no')).final.text).toMatch(/yes/);
      expect(isolated.processIds()).not.toContain(first);
      await Promise.all([victim.close(), survivor.close(), next.close()]);
    } finally {
      await isolated.close();
    }
  }, 60_000);
});
