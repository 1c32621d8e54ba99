// Picks the STT and TTS provider from configuration, and checks the engines for the start-up
// banner: `local` (pocketsphinx + flite) and `azure` (Azure Speech through its SDK) are built;
// `openai` has its place in the switch and fails with a clear message.

import { createFliteTextToSpeech } from './flite-tts';
import type { FliteTtsOptions } from './flite-tts';
import { createPocketsphinxSpeechToText } from './pocketsphinx-stt';
import type { PocketsphinxOptions } from './pocketsphinx-stt';
import { createSphinxSpeechToText, sphinxStatus, type SphinxSttOptions } from './sphinx/sphinx-stt';
import type { EngineStatus, SpeechToText, TextToSpeech } from './types';
import { createAzureSpeechToText, type AzureSttOptions } from './azure/azure-stt';
import { createAzureTextToSpeech, type AzureTtsOptions } from './azure/azure-tts';

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
  /** Only for `azure`: key, region or host, language, phrase list. */
  azure?: AzureSttOptions;
}

export interface TextToSpeechConfig {
  provider: SpeechProvider;
  voice?: string;
  /** Only for `local`: force the WASI module or the flite binary. */
  engine?: FliteTtsOptions['engine'];
  /** Only for `azure`: key, region or host, default neural voice. */
  azure?: AzureTtsOptions;
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
      if (!config.azure) throw new Error('STT_PROVIDER=azure needs AZURE_SPEECH_KEY and AZURE_SPEECH_REGION (or AZURE_SPEECH_HOST).');
      return createAzureSpeechToText(config.azure);
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
      if (!config.azure) throw new Error('TTS_PROVIDER=azure needs AZURE_SPEECH_KEY and AZURE_SPEECH_REGION (or AZURE_SPEECH_HOST).');
      return createAzureTextToSpeech(config.azure);
    case 'openai':
      throw notInThisBuild('text-to-speech', config.provider);
    default:
      throw notInThisBuild('text-to-speech', String(config.provider satisfies never));
  }
}

/** Status of the configured engines, for the start-up banner: a local engine is checked only
 *  when it is the configured provider (a cloud-only machine needs no pocketsphinx or flite);
 *  a cloud engine checks itself (Azure: one short connection, so a wrong key shows at start). */
export async function checkSpeechEngines(
  engine: LocalSttEngine = 'in-process',
  sphinx?: SphinxSttOptions,
  configured?: { stt: SpeechToText; tts: TextToSpeech },
): Promise<EngineStatus[]> {
  const sttLocal = !configured || configured.stt.provider === 'local';
  const ttsLocal = !configured || configured.tts.provider === 'local';
  const localStt = (): Promise<EngineStatus> => (engine === 'cli' ? createPocketsphinxSpeechToText().status() : Promise.resolve(sphinxStatus(sphinx)));
  if (!sttLocal && !ttsLocal && configured.stt.provider === configured.tts.provider) {
    // One service, one check: both directions share the key and the host.
    const status = await configured.stt.status();
    return [{ ...status, name: `${status.name.replace(/ \(STT\)$/, '')} (STT and TTS)` }];
  }
  return Promise.all([sttLocal ? localStt() : configured.stt.status(), ttsLocal ? createFliteTextToSpeech().status() : configured.tts.status()]);
}
