// Azure Speech synthesis (TTS_PROVIDER=azure) through the official SDK, straight into the
// format the media layer plays (raw PCM 16 kHz; raw µ-law 8 kHz is available for carriers that
// take it as is). Audio is gathered from the `synthesizing` event as the service streams it, so
// a sentence is ready the moment its last chunk lands; barge-in (the abort signal) closes the
// synthesizer, which drops the connection and stops the service mid-sentence.
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

/** One sentence synthesized; resolves with its PCM, or undefined when aborted. */
function synthesizeSentence(text: string, voice: string, o: AzureTtsOptions, signal?: AbortSignal): Promise<Int16Array | undefined> {
  return new Promise((resolve, reject) => {
    const config = azureSpeechConfig(o);
    config.speechSynthesisVoiceName = voice;
    config.speechSynthesisOutputFormat = sdk.SpeechSynthesisOutputFormat.Raw16Khz16BitMonoPcm;
    // No audio output device: the bytes come back to us only.
    const synthesizer = new sdk.SpeechSynthesizer(config, null as unknown as sdk.AudioConfig);
    const chunks: Buffer[] = [];
    let settled = false;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      synthesizer.close();
      fn();
    };
    const onAbort = (): void => settle(() => resolve(undefined));
    if (signal?.aborted) return settle(() => resolve(undefined));
    signal?.addEventListener('abort', onAbort, { once: true });
    synthesizer.synthesizing = (_s, e) => {
      const audio = e.result.audioData;
      if (audio.byteLength === 0) return;
      chunks.push(Buffer.from(audio));
      o.onChunk?.(audio.byteLength);
    };
    synthesizer.speakTextAsync(
      text,
      (result) => {
        if (result.reason === sdk.ResultReason.Canceled) {
          const details = sdk.CancellationDetails.fromResult(result);
          settle(() => reject(new Error(describeAzureCancellation(details.ErrorCode, details.errorDetails, o))));
          return;
        }
        const all = Buffer.concat(chunks);
        const pcm = new Int16Array(all.buffer.slice(all.byteOffset, all.byteOffset + (all.byteLength & ~1)));
        settle(() => resolve(pcm));
      },
      (message) => settle(() => reject(new Error(`Azure Speech synthesis failed: ${message}`))),
    );
  });
}

export function createAzureTextToSpeech(o: AzureTtsOptions): TextToSpeech {
  return {
    provider: 'azure',
    status: (): Promise<EngineStatus> => checkAzureSpeech(o, 'Azure Speech (TTS)'),
    async *synthesize(text: string, opts: SynthesizeOptions = {}): AsyncIterable<SynthesizedSentence> {
      const voice = voiceFor(opts.voice, o);
      let sentenceIndex = 0;
      for (const sentence of splitSentences(text)) {
        if (opts.signal?.aborted) return;
        const pcm = await synthesizeSentence(sentence, voice, o, opts.signal);
        if (!pcm) return;
        yield { pcm, sentence, sentenceIndex: sentenceIndex++ };
      }
    },
  };
}
