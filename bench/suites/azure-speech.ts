// Azure Speech benchmark: our adapters with the real SDK against the local stand-in (same
// process, loopback WebSocket). Measures:
//  - cost of one pushed 20 ms frame (SttStream.write → the SDK's push stream) — target p95 ≤ 5 ms;
//  - `speech.phrase` sent by the service → our turn final emitted to the conversation
//    (SDK parsing + our adapter; loopback transport included) — target p95 ≤ 5 ms;
//  - first synthesized audio chunk sent by the service → that chunk yielded to the media layer
//    (SDK `synthesizing` + our adapter) — target p95 ≤ 5 ms.
// Options: --turns N (default 10).
import { createAzureSpeechToText } from '../../backend/src/speech/azure/azure-stt';
import { createAzureTextToSpeech } from '../../backend/src/speech/azure/azure-tts';
import type { SttFinal } from '../../backend/src/speech/types';
import { startAzureSpeechStandIn } from '../../backend/test/support/azure-speech-stand-in';
import { concatPcm, silence, synthesizeCallerUtterance } from '../../backend/test/support/caller-audio';

function p95(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Number((sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] ?? 0).toFixed(3));
}

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const turnsAt = args.indexOf('--turns');
  const turns = turnsAt >= 0 ? Number(args[turnsAt + 1]) : 10;
  const standIn = await startAzureSpeechStandIn();
  const options = { key: standIn.key, host: standIn.url };
  const frameMs: number[] = [];
  const phraseToFinalMs: number[] = [];
  const chunkToYieldMs: number[] = [];
  try {
    const speech = concatPcm([silence(200), await synthesizeCallerUtterance('what are your opening hours'), silence(800)]);
    const stt = createAzureSpeechToText(options);
    for (let t = 0; t < turns; t++) {
      const stream = stt.openStream({ speaker: 'caller', sampleRate: 16000 });
      let phraseSentAt = 0;
      standIn.onSent((path) => {
        if (path === 'speech.phrase') phraseSentAt = performance.now();
      });
      const final = new Promise<SttFinal>((resolve) => stream.on('final', resolve));
      // Our turn detector ends the turn before the service's phrase lands, so the final goes out
      // the moment `recognized` arrives.
      stream.endUtterance();
      for (let at = 0; at < speech.length; at += 320) {
        const frame = speech.subarray(at, at + 320);
        const started = performance.now();
        stream.write(frame);
        frameMs.push(performance.now() - started);
        if (at % 3200 === 0) await new Promise((r) => setImmediate(r));
      }
      const f = await final;
      if (f.text && phraseSentAt) phraseToFinalMs.push(performance.now() - phraseSentAt);
      await stream.close();
    }
    const tts = createAzureTextToSpeech(options);
    for (let t = 0; t < turns; t++) {
      let firstSentAt = 0;
      standIn.onSent((path) => {
        if (path === 'audio' && !firstSentAt) firstSentAt = performance.now();
      });
      for await (const chunk of tts.synthesize(`We open at nine, turn ${t}.`)) {
        void chunk;
        chunkToYieldMs.push(performance.now() - firstSentAt);
        break;
      }
    }
  } finally {
    standIn.onSent(undefined);
    await standIn.close();
  }
  return {
    turns,
    framePushP95Ms: p95(frameMs),
    phraseToFinalP95Ms: p95(phraseToFinalMs),
    phrasesMeasured: phraseToFinalMs.length,
    firstChunkToYieldP95Ms: p95(chunkToYieldMs),
  };
}
