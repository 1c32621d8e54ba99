// The speech engines one backend process shares across calls (models load once; each call
// opens its own recognizer stream), and what the start-up check found missing.
import { availableParallelism } from 'node:os';
import type { AppConfig } from '../config/config';
import { joinSpokenCardGroups } from '../policy/spoken-card-groups';
import { deriveCallCapacity } from '../telephony/call-registry';
import { checkSpeechEngines, createSpeechToText, createTextToSpeech } from '../speech/providers';
import type { EngineStatus, SpeechToText, TextToSpeech } from '../speech/types';

export interface SpeechEngines {
  stt: SpeechToText;
  tts: TextToSpeech;
  statuses: EngineStatus[];
  /** What keeps a call from being handled by voice, each with how to fix it. */
  problems(): string[];
}

/** Calls this server carries at once: MAX_CALLS when set, else what the engines sustain here. */
export function callCapacity(config: AppConfig, speech: Pick<SpeechEngines, 'stt' | 'tts'>): { capacity: number; source: string } {
  if (config.MAX_CALLS !== undefined) return { capacity: config.MAX_CALLS, source: 'MAX_CALLS' };
  const cores = availableParallelism();
  const hints = [speech.stt.capacityHint, speech.tts.capacityHint];
  const capacity = deriveCallCapacity(hints, cores * 8);
  const parts = [
    `${cores} cores`,
    speech.stt.capacityHint !== undefined ? `stt ${speech.stt.provider} ≈${speech.stt.capacityHint} streams` : undefined,
    speech.tts.capacityHint !== undefined ? `tts ${speech.tts.provider} ≈${speech.tts.capacityHint} calls` : undefined,
  ].filter(Boolean);
  return { capacity, source: `derived: ${parts.join(', ')}; set MAX_CALLS to override` };
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
