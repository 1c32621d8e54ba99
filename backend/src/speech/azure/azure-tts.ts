// Azure Speech synthesis (TTS_PROVIDER=azure) through the official SDK, straight into the
// format the media layer plays: raw PCM 16 kHz (what the TextToSpeech port carries), or, for a
// µ-law 8 kHz phone call, raw 8 kHz µ-law — the carrier's own format, sent as it comes. Audio is
// yielded from the `synthesizing` event chunk by chunk as the service streams it; barge-in (the
// abort signal) closes the synthesizer, which drops the connection and stops the service
// mid-sentence.
//
// Voices: a request naming a neural voice (xx-XX-NameNeural) uses it; a request naming a local
// flite voice (TTS_VOICE=kal16, the default everywhere) gets AZURE_SPEECH_VOICE instead.
import * as sdk from 'microsoft-cognitiveservices-speech-sdk';
import { splitSentences } from '../sentences';
import type { EngineStatus, SynthesizedSentence, SynthesizeOptions, TextToSpeech } from '../types';
import { azureSpeechConfig, DEFAULT_AZURE_VOICE, describeAzureCancellation, type AzureSpeechOptions } from './azure-speech-config';
import { checkAzureSpeech } from './azure-stt';

export interface AzureTtsOptions extends AzureSpeechOptions {
  /** Called with each audio chunk as it arrives (benchmarks: first chunk → first frame out). */
  onChunk?: (bytes: number) => void;
}

const NEURAL_VOICE = /^[a-z]{2,3}-[A-Z]{2,4}-\w+$/;

function voiceFor(requested: string | undefined, o: AzureTtsOptions): string {
  return requested && NEURAL_VOICE.test(requested) ? requested : (o.voice ?? DEFAULT_AZURE_VOICE);
}

/** One sentence, chunk by chunk as the service streams it (`synthesizing`); ends when the
 *  service ends the turn, or at once (without throwing) when `signal` aborts. */
async function* synthesizeSentence(text: string, voice: string, o: AzureTtsOptions, signal?: AbortSignal, mulaw = false): AsyncGenerator<Int16Array | Uint8Array> {
  const config = azureSpeechConfig(o);
  config.speechSynthesisVoiceName = voice;
  config.speechSynthesisOutputFormat = mulaw ? sdk.SpeechSynthesisOutputFormat.Raw8Khz8BitMonoMULaw : sdk.SpeechSynthesisOutputFormat.Raw16Khz16BitMonoPcm;
  // No audio output device: the bytes come back to us only.
  const synthesizer = new sdk.SpeechSynthesizer(config, null as unknown as sdk.AudioConfig);
  const queue: Array<Int16Array | Uint8Array> = [];
  let done = false;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  let odd: number | undefined; // a chunk may end mid-sample
  const notify = (): void => {
    wake?.();
    wake = undefined;
  };
  const onAbort = (): void => {
    done = true;
    notify();
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  synthesizer.synthesizing = (_s, e) => {
    let bytes = new Uint8Array(e.result.audioData);
    if (bytes.byteLength === 0) return;
    o.onChunk?.(bytes.byteLength);
    if (mulaw) {
      // One byte per sample: every chunk is whole.
      queue.push(bytes);
      notify();
      return;
    }
    if (odd !== undefined) bytes = Uint8Array.of(odd, ...bytes);
    odd = bytes.byteLength % 2 === 1 ? bytes[bytes.byteLength - 1] : undefined;
    const even = bytes.byteLength & ~1;
    if (even > 0) queue.push(new Int16Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + even)));
    notify();
  };
  synthesizer.speakTextAsync(
    text,
    (result) => {
      if (result.reason === sdk.ResultReason.Canceled) {
        const details = sdk.CancellationDetails.fromResult(result);
        failure = new Error(describeAzureCancellation(details.ErrorCode, details.errorDetails, o));
      }
      done = true;
      notify();
    },
    (message) => {
      failure = new Error(`Azure Speech synthesis failed: ${message}`);
      done = true;
      notify();
    },
  );
  try {
    for (;;) {
      if (signal?.aborted) return;
      const chunk = queue.shift();
      if (chunk) {
        yield chunk;
        continue;
      }
      if (failure) throw failure;
      if (done) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    // Closing mid-sentence drops the connection: the service stops synthesizing (barge-in).
    synthesizer.close();
  }
}

export function createAzureTextToSpeech(o: AzureTtsOptions): TextToSpeech {
  return {
    provider: 'azure',
    producesMulaw: true,
    status: (): Promise<EngineStatus> => checkAzureSpeech(o, 'Azure Speech (TTS)'),
    async *synthesize(text: string, opts: SynthesizeOptions = {}): AsyncIterable<SynthesizedSentence> {
      const voice = voiceFor(opts.voice, o);
      let sentenceIndex = 0;
      // Chunks are yielded as they arrive: one sentence may come as several pieces of audio
      // with the same sentence and index (callers that need it whole concatenate them).
      for (const sentence of splitSentences(text)) {
        for await (const audio of synthesizeSentence(sentence, voice, o, opts.signal, opts.mulaw8k === true)) {
          if (opts.signal?.aborted) return;
          yield audio instanceof Int16Array ? { pcm: audio, sentence, sentenceIndex } : { pcm: new Int16Array(0), mulaw8k: audio, sentence, sentenceIndex };
        }
        if (opts.signal?.aborted) return;
        sentenceIndex++;
      }
    },
  };
}
