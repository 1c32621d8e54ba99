// Azure Speech providers through the real SDK (microsoft-cognitiveservices-speech-sdk) against
// the local stand-in that speaks the service's WebSocket protocol: recognition partials and
// finals from real (flite-spoken, pocketsphinx-recognized) audio, synthesis audio, wrong keys.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config/config';
import { createAzureSpeechToText } from '../../src/speech/azure/azure-stt';
import { createAzureTextToSpeech } from '../../src/speech/azure/azure-tts';
import type { SttFinal, SttStreamError } from '../../src/speech/types';
import { startAzureSpeechStandIn, type AzureSpeechStandIn } from '../support/azure-speech-stand-in';
import { encodeMulaw } from '../../src/media/mulaw';
import { concatPcm, silence, synthesizeCallerUtterance } from '../support/caller-audio';

let standIn: AzureSpeechStandIn;

beforeAll(async () => {
  standIn = await startAzureSpeechStandIn();
});

afterAll(async () => {
  await standIn?.close();
});

async function pushInFrames(write: (pcm: Int16Array) => void, pcm: Int16Array): Promise<void> {
  for (let at = 0; at < pcm.length; at += 320) {
    write(pcm.subarray(at, at + 320));
    if (at % 3200 === 0) await new Promise((r) => setImmediate(r));
  }
}

describe('Azure Speech recognition through the SDK', () => {
  it('gives partials and a final with offsets for spoken audio, and the phrase list reaches the service', async () => {
    const stt = createAzureSpeechToText({ key: standIn.key, host: standIn.url, phrases: ['opening hours'] });
    const stream = stt.openStream({ speaker: 'caller', sampleRate: 16000 });
    const partials: string[] = [];
    const errors: SttStreamError[] = [];
    stream.on('partial', (p) => partials.push(p.text));
    stream.on('error', (e) => errors.push(e));
    const final = new Promise<SttFinal>((resolve) => stream.on('final', resolve));
    const speech = await synthesizeCallerUtterance('what are your opening hours');
    await pushInFrames((p) => stream.write(p), concatPcm([silence(300), speech, silence(900)]));
    stream.endUtterance();
    const f = await final;
    expect(errors).toEqual([]);
    expect(f.text.toLowerCase()).toContain('hours');
    expect(f.startMs).toBeGreaterThanOrEqual(200);
    expect(f.endMs).toBeGreaterThan(f.startMs);
    expect(partials.length).toBeGreaterThan(0);
    expect(standIn.received.paths).toContain('speech.config');
    expect(standIn.received.paths).toContain('speech.context');
    expect(standIn.received.phrases).toContain('opening hours');
    await stream.close();
  }, 60_000);

  it('takes the carrier’s µ-law 8 kHz as it comes, with the format in the stream’s RIFF header', async () => {
    const stt = createAzureSpeechToText({ key: standIn.key, host: standIn.url });
    expect(stt.acceptsMulaw).toBe(true);
    const stream = stt.openStream({ speaker: 'caller', sampleRate: 16000, carrierMulaw: true });
    const final = new Promise<SttFinal>((resolve) => stream.on('final', resolve));
    const pcm16 = concatPcm([silence(300), await synthesizeCallerUtterance('where is my order'), silence(900)]);
    const pcm8 = new Int16Array(Math.floor(pcm16.length / 2));
    for (let i = 0; i < pcm8.length; i++) pcm8[i] = pcm16[2 * i]!;
    const mulaw = encodeMulaw(pcm8);
    for (let at = 0; at < mulaw.length; at += 160) {
      stream.writeMulaw!(mulaw.subarray(at, at + 160));
      if (at % 1600 === 0) await new Promise((r) => setImmediate(r));
    }
    stream.endUtterance();
    expect((await final).text).toMatch(/order/);
    await stream.close();
  }, 60_000);

  it('reports a wrong key as a fatal stream error that says what to check, never silence', async () => {
    const stt = createAzureSpeechToText({ key: 'wrong-key', host: standIn.url });
    const status = await stt.status();
    expect(status.available).toBe(false);
    expect(status.problem).toMatch(/AZURE_SPEECH_KEY/);
    const stream = stt.openStream({ speaker: 'caller', sampleRate: 16000 });
    const error = new Promise<SttStreamError>((resolve) => stream.on('error', resolve));
    stream.write(silence(200));
    const e = await error;
    expect(e.fatal).toBe(true);
    expect(e.message).toMatch(/AZURE_SPEECH_KEY/);
    await stream.close();
  }, 30_000);

  it('reports the right key as available at start', async () => {
    const status = await createAzureSpeechToText({ key: standIn.key, host: standIn.url }).status();
    expect(status).toMatchObject({ available: true });
  }, 30_000);
});

describe('Azure Speech synthesis through the SDK', () => {
  it('streams PCM 16 kHz per sentence in the voice asked for', async () => {
    const tts = createAzureTextToSpeech({ key: standIn.key, host: standIn.url, voice: 'en-GB-SoniaNeural' });
    const chunks = [];
    for await (const s of tts.synthesize('Hello there. We open at nine.', { voice: 'kal16' })) chunks.push(s);
    expect([...new Set(chunks.map((s) => s.sentence))]).toEqual(['Hello there.', 'We open at nine.']);
    // Streamed: the stand-in sends 200 ms pieces, and each reaches us as its own chunk.
    expect(chunks.length).toBeGreaterThan(2);
    for (const index of [0, 1]) {
      const samples = chunks.filter((s) => s.sentenceIndex === index).reduce((n, s) => n + s.pcm.length, 0);
      expect(samples).toBeGreaterThan(16000 * 0.3);
    }
    expect(standIn.received.outputFormats).toContain('raw-16khz-16bit-mono-pcm');
    expect(standIn.received.ssml.at(-1)).toContain('en-GB-SoniaNeural');
  }, 60_000);

  it('stops at once when the caller barges in', async () => {
    const tts = createAzureTextToSpeech({ key: standIn.key, host: standIn.url });
    const abort = new AbortController();
    const before = standIn.openConnections();
    const got = [];
    for await (const s of tts.synthesize('First sentence here. Second one. Third one.', { signal: abort.signal })) {
      got.push(s);
      abort.abort();
    }
    expect(got).toHaveLength(1);
    // The synthesizer closed its connection at once (the service stops work it would waste).
    await new Promise((r) => setTimeout(r, 200));
    expect(standIn.openConnections()).toBeLessThanOrEqual(before);
  }, 60_000);

  it('fails a wrong key with an error that says what to check', async () => {
    const tts = createAzureTextToSpeech({ key: 'wrong-key', host: standIn.url });
    const run = async (): Promise<void> => {
      for await (const s of tts.synthesize('Hello.')) void s;
    };
    await expect(run()).rejects.toThrow(/AZURE_SPEECH_KEY|Azure Speech/);
  }, 30_000);
});

describe('Azure Speech configuration', () => {
  it('names what is missing or malformed, and accepts a key with a region or a host', () => {
    expect(() => parseConfig({ STT_PROVIDER: 'azure' })).toThrow(/AZURE_SPEECH_KEY and AZURE_SPEECH_REGION \(or AZURE_SPEECH_HOST\)/);
    expect(() => parseConfig({ TTS_PROVIDER: 'azure', AZURE_SPEECH_KEY: 'k' })).toThrow(ConfigError);
    expect(() => parseConfig({ TTS_PROVIDER: 'azure', AZURE_SPEECH_KEY: 'k', AZURE_SPEECH_HOST: 'http://x' })).toThrow(/AZURE_SPEECH_HOST: must be ws\(s\)/);
    expect(() => parseConfig({ STT_PROVIDER: 'azure', AZURE_SPEECH_KEY: 'k', AZURE_SPEECH_REGION: 'West Europe' })).toThrow(/AZURE_SPEECH_REGION/);
    expect(parseConfig({ STT_PROVIDER: 'azure', AZURE_SPEECH_KEY: 'k', AZURE_SPEECH_REGION: 'westeurope' }).STT_PROVIDER).toBe('azure');
    expect(parseConfig({ TTS_PROVIDER: 'azure', AZURE_SPEECH_KEY: 'k', AZURE_SPEECH_HOST: 'ws://127.0.0.1:5000' }).languages.voiceFor('en-US')).toBe('en-US-JennyNeural');
  });
});

describe('Azure Speech turns (our turn detector ends them)', () => {
  it('gives an empty final when the turn held no speech, and joins two phrases of one turn', async () => {
    const stt = createAzureSpeechToText({ key: standIn.key, host: standIn.url });
    const stream = stt.openStream({ speaker: 'caller', sampleRate: 16000 });
    const finals: SttFinal[] = [];
    stream.on('final', (f) => finals.push(f));
    await pushInFrames((p) => stream.write(p), silence(600));
    stream.endUtterance();
    await new Promise((r) => setTimeout(r, 1700));
    expect(finals).toEqual([{ text: '', startMs: 0, endMs: 0 }]);
    // Two phrases with a pause the service endpoints (> 500 ms) but one caller turn.
    const [first, second] = await Promise.all([synthesizeCallerUtterance('what are your opening hours'), synthesizeCallerUtterance('where is my order')]);
    const hearingSecond = new Promise<void>((resolve) => stream.on('partial', (p) => void (/order/.test(p.text) && resolve())));
    await pushInFrames((p) => stream.write(p), concatPcm([first, silence(900), second, silence(900)]));
    // Our turn detector ends the turn while the service is still on the second phrase.
    await hearingSecond;
    stream.endUtterance();
    await new Promise<void>((resolve) => {
      const check = (): void => void (finals.length > 1 ? resolve() : setTimeout(check, 50));
      check();
    });
    expect(finals[1]!.text).toMatch(/hours.*order/);
    await stream.close();
  }, 60_000);
});
