// The speech engines one backend process shares across calls (models load once; each call
// opens its own recognizer stream), and what the start-up check found missing.
import { availableParallelism } from 'node:os';
import type { AppConfig } from '../config/config';
import { ESCALATION_LINES } from '../policy/policy';
import { LocalBrain } from '../brain/local-brain';
import { createCachedTextToSpeech } from '../speech/cached-tts';
import { joinSpokenCardGroups } from '../policy/spoken-card-groups';
import { deriveCallCapacity } from '../telephony/call-registry';
import { checkSpeechEngines, createSpeechToText, createTextToSpeech } from '../speech/providers';
import { defaultCorpusSources, type SphinxSttOptions } from '../speech/sphinx/sphinx-stt';
import type { EngineStatus, SpeechToText, TextToSpeech } from '../speech/types';
import type { AzureSpeechOptions } from '../speech/azure/azure-speech-config';
import { domainPhrases } from '../speech/azure/phrase-list';
import { FILLER_LINE } from '../telephony/voice-call';

export interface SpeechEngines {
  stt: SpeechToText;
  tts: TextToSpeech;
  statuses: EngineStatus[];
  /** What keeps a call from being handled by voice, each with how to fix it. */
  problems(): string[];
  /** The voice that says a language (Azure: the voice per language; flite: TTS_VOICE for all). */
  voiceFor?(language: string): string;
  /** Loads models and renders the fixed lines now rather than on the first call. */
  warm?(): Promise<void>;
  close?(): Promise<void>;
}

/** Lines every caller hears the same way: cached as audio once, played without synthesis. */
export function fixedLines(companyName: string): string[] {
  return [
    new LocalBrain().greet({ companyName }),
    FILLER_LINE,
    ...Object.values(ESCALATION_LINES),
    'Hello! How can I help you today?',
    'Is there anything else I can help you with?',
    'Thank you for holding. Your agent will be right back with you.',
    "If you'd rather not wait, we can call you back. Press 1 for a callback to the number you're calling from, or press 2 to key in a different number. Or stay on the line.",
  ];
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

/** The banner's words for who speaks to callers: flite's voice, or the Azure voice of each language. */
export function describeVoices(config: AppConfig): string {
  if (config.TTS_PROVIDER !== 'azure') return `voice ${config.TTS_VOICE}`;
  return `voice${config.languages.multilingual ? 's' : ''} ${config.languages.list.map((l) => `${l.code}=${config.languages.voiceFor(l.code)}`).join(', ')}`;
}

/** The banner's languages line: what is served, how the caller's is found, and translation for agents. */
export function describeLanguages(config: AppConfig, translation: { translator?: { provider: string }; why?: string }): string {
  const { languages } = config;
  const list = languages.list.map((l, i) => `${l.code}${i === 0 ? ' (default)' : ''}`).join(', ');
  const found = !languages.multilingual ? '' : `; caller's language by ${config.STT_PROVIDER === 'azure' ? 'Azure language identification or ' : ''}keypad; fallback ${languages.fallback.code}`;
  const translator = translation.translator ? `translation for agents: ${translation.translator.provider}` : 'translation for agents: off (set TRANSLATOR_PROVIDER)';
  return `languages: ${list}${found}; ${translator}`;
}

/** Azure Speech settings when either direction uses it (config validation made them complete). */
function azureSpeechOptions(config: AppConfig): AzureSpeechOptions | undefined {
  if (config.STT_PROVIDER !== 'azure' && config.TTS_PROVIDER !== 'azure') return undefined;
  return {
    key: config.AZURE_SPEECH_KEY ?? '',
    ...(config.AZURE_SPEECH_REGION ? { region: config.AZURE_SPEECH_REGION } : {}),
    ...(config.AZURE_SPEECH_HOST ? { host: config.AZURE_SPEECH_HOST } : {}),
    language: config.languages.default.code,
    voice: config.languages.voiceFor(config.languages.default.code),
  };
}

export async function createSpeechEngines(config: AppConfig): Promise<SpeechEngines> {
  const sphinx: SphinxSttOptions = {
    ...(config.STT_WORKERS > 0 ? { workers: config.STT_WORKERS } : {}),
    streamsPerWorker: config.STT_STREAMS_PER_WORKER,
    openModel: config.STT_OPEN_MODEL,
    isolation: config.STT_ISOLATION,
    corpus: defaultCorpusSources(config.KNOWLEDGE_DIR),
  };
  const azure = azureSpeechOptions(config);
  const engine = createSpeechToText({
    provider: config.STT_PROVIDER,
    engine: config.STT_ENGINE,
    sphinx,
    // Several languages: Azure identifies the caller's among them, phrase by phrase.
    ...(azure ? { azure: { ...azure, phrases: domainPhrases(defaultCorpusSources(config.KNOWLEDGE_DIR)), languages: config.languages.codes } } : {}),
  });
  // Card groups a caller reads across several turns are joined (and so masked) before any call sees them.
  const stt = joinSpokenCardGroups(engine);
  const innerTts = createTextToSpeech({ provider: config.TTS_PROVIDER, voice: config.TTS_VOICE, ...(azure ? { azure } : {}) });
  const tts = createCachedTextToSpeech(innerTts, {
    defaultVoice: config.TTS_VOICE,
  });
  const statuses = await checkSpeechEngines(config.STT_ENGINE, sphinx, { stt: engine, tts: innerTts });
  const problems = (): string[] =>
    statuses
      .filter((s) => !s.available)
      .map((s) => `${s.name} is not available: ${s.problem ?? 'unknown problem'}${s.howToInstall ? ` — install with: ${s.howToInstall}` : ''}`);
  const voiceFor = (language: string): string => (innerTts.provider === 'azure' ? config.languages.voiceFor(language) : config.TTS_VOICE);
  return {
    stt,
    tts,
    statuses,
    problems,
    voiceFor,
    async warm() {
      if (problems().length > 0) return;
      const sttWarm = (engine as { warm?: () => Promise<void> }).warm?.();
      const lines = fixedLines(config.COMPANY_NAME);
      if (config.languages.multilingual) lines.push(config.languages.keypadOffer());
      await Promise.all([sttWarm, tts.prewarm(lines, voiceFor(config.languages.default.code))]);
    },
    async close() {
      await engine.close?.();
    },
  };
}
