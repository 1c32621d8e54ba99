// The speech engines one backend process shares across calls (models load once; each call
// opens its own recognizer stream), and what the start-up check found missing.
import type { AppConfig } from '../config/config';
import { joinSpokenCardGroups } from '../policy/spoken-card-groups';
import { checkSpeechEngines, createSpeechToText, createTextToSpeech } from '../speech/providers';
import type { EngineStatus, SpeechToText, TextToSpeech } from '../speech/types';

export interface SpeechEngines {
  stt: SpeechToText;
  tts: TextToSpeech;
  statuses: EngineStatus[];
  /** What keeps a call from being handled by voice, each with how to fix it. */
  problems(): string[];
}

export async function createSpeechEngines(config: AppConfig): Promise<SpeechEngines> {
  // Card groups a caller reads across several turns are joined (and so masked) before any call sees them.
  const stt = joinSpokenCardGroups(createSpeechToText({ provider: config.STT_PROVIDER }));
  const tts = createTextToSpeech({ provider: config.TTS_PROVIDER, voice: config.TTS_VOICE });
  const statuses = await checkSpeechEngines();
  return {
    stt,
    tts,
    statuses,
    problems: () =>
      statuses
        .filter((s) => !s.available)
        .map((s) => `${s.name} is not available: ${s.problem ?? 'unknown problem'}${s.howToInstall ? ` — install with: ${s.howToInstall}` : ''}`),
  };
}
