// Picks the STT and TTS provider from configuration, and checks the engines for the start-up
// banner. Only `local` (pocketsphinx + flite) is built; the cloud providers have their place in
// the switch so adding one is one case, and choosing one today fails with a clear message.

import { createFliteTextToSpeech } from './flite-tts';
import type { FliteTtsOptions } from './flite-tts';
import { createPocketsphinxSpeechToText } from './pocketsphinx-stt';
import type { PocketsphinxOptions } from './pocketsphinx-stt';
import { createSphinxSpeechToText, sphinxStatus, type SphinxSttOptions } from './sphinx/sphinx-stt';
import type { EngineStatus, SpeechToText, TextToSpeech } from './types';

export type SpeechProvider = 'local' | 'azure' | 'openai';

/** How `local` recognition runs: the library in-process on worker threads (default), or one
 *  `pocketsphinx_continuous` process per stream (the fallback: no grammars, pause-level partials). */
export type LocalSttEngine = 'in-process' | 'cli';

export interface SpeechToTextConfig {
  provider: SpeechProvider;
  engine?: LocalSttEngine;
  /** Only for the `cli` engine: where the binary and model live when not at the Debian defaults. */
  pocketsphinx?: PocketsphinxOptions;
  /** Only for the `in-process` engine: threads, warm decoders, capacity, domain corpus. */
  sphinx?: SphinxSttOptions;
}

export interface TextToSpeechConfig {
  provider: SpeechProvider;
  voice?: string;
  /** Only for `local`: force the WASI module or the flite binary. */
  engine?: FliteTtsOptions['engine'];
}

function notInThisBuild(kind: string, provider: string): Error {
  return new Error(
    `The ${kind} provider "${provider}" is not available in this build. Set it to "local" (pocketsphinx/flite).`,
  );
}

export function createSpeechToText(config: SpeechToTextConfig): SpeechToText {
  switch (config.provider) {
    case 'local':
      return config.engine === 'cli' ? createPocketsphinxSpeechToText(config.pocketsphinx) : createSphinxSpeechToText(config.sphinx);
    case 'azure':
    case 'openai':
      throw notInThisBuild('speech-to-text', config.provider);
    default:
      throw notInThisBuild('speech-to-text', String(config.provider satisfies never));
  }
}

export function createTextToSpeech(config: TextToSpeechConfig): TextToSpeech {
  switch (config.provider) {
    case 'local':
      return createFliteTextToSpeech({
        ...(config.voice !== undefined ? { voice: config.voice } : {}),
        ...(config.engine !== undefined ? { engine: config.engine } : {}),
      });
    case 'azure':
    case 'openai':
      throw notInThisBuild('text-to-speech', config.provider);
    default:
      throw notInThisBuild('text-to-speech', String(config.provider satisfies never));
  }
}

/** Status of the local engines, for the start-up banner (cloud ones are checked when added). */
export async function checkSpeechEngines(engine: LocalSttEngine = 'in-process', sphinx?: SphinxSttOptions): Promise<EngineStatus[]> {
  return Promise.all([
    engine === 'cli' ? createPocketsphinxSpeechToText().status() : Promise.resolve(sphinxStatus(sphinx)),
    createFliteTextToSpeech().status(),
  ]);
}
