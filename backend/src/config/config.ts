// Configuration from the environment and an optional config file (JSON or YAML, same
// variable names as keys; the environment wins). Validated with zod: an invalid value
// stops the server with a message naming the variable and what it accepts.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { DEFAULT_POLICY_TOPICS } from '../policy/policy';
import { LanguageConfigError, parseLanguages, type Languages } from '../languages/languages';

const bool = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no'])])
  .transform((v) => v === true || v === 'true' || v === '1' || v === 'yes');
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** Every setting, its default and what it does; the README's configuration table mirrors this. */
export const ConfigSchema = z.object({
  PORT: int(0, 65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  COMPANY_NAME: z.string().min(1).max(100).default('Brightline Audio'),
  ADMIN_EMAIL: z.string().email().optional(),
  ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  TOKEN_TTL_HOURS: int(1, 24 * 30).default(12),
  DEMO_DATA: bool.default(true),
  KNOWLEDGE_DIR: z.string().min(1).optional(),
  BRAIN_PROVIDER: z.enum(['local', 'openai', 'azure-openai']).default('local'),
  // The model brain (BRAIN_PROVIDER=openai | azure-openai); see docs/providers.md.
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: z.string().url('must be a URL such as http://127.0.0.1:11434/v1').optional(),
  OPENAI_MODEL: z.string().min(1).optional(),
  AZURE_OPENAI_ENDPOINT: z.string().url('must be a URL such as https://my-resource.openai.azure.com').optional(),
  AZURE_OPENAI_API_KEY: z.string().min(1).optional(),
  AZURE_OPENAI_DEPLOYMENT: z.string().min(1).optional(),
  AZURE_OPENAI_API_VERSION: z.string().regex(/^\d{4}-\d{2}-\d{2}(-preview)?$/, 'must be an API version such as 2024-10-21').default('2024-10-21'),
  BRAIN_HARD_DEADLINE_MS: int(500, 60_000).default(5000),
  BRAIN_TURN_BUDGET_MS: int(1000, 120_000).default(20_000),
  BRAIN_MAX_RETRIES: int(0, 10).default(2),
  BRAIN_MAX_FAILURES: int(1, 20).default(2),
  BRAIN_HISTORY_LINES: int(2, 200).default(24),
  MODEL_PRICE_INPUT_PER_MTOK: z.coerce.number().min(0).max(1000).default(0),
  MODEL_PRICE_OUTPUT_PER_MTOK: z.coerce.number().min(0).max(1000).default(0),
  CALLBACK_RESUME_HOURS: int(0, 24 * 30).default(24),
  ASSIST_TIMEOUT_MS: int(200, 30_000).default(2500),
  STT_PROVIDER: z.enum(['local', 'azure']).default('local'),
  TTS_PROVIDER: z.enum(['local', 'azure']).default('local'),
  // Azure Speech (STT_PROVIDER/TTS_PROVIDER=azure): a key with a region, or with a host.
  AZURE_SPEECH_KEY: z.string().min(1).optional(),
  AZURE_SPEECH_REGION: z.string().regex(/^[a-z0-9]+$/, 'must be an Azure region such as westeurope').optional(),
  AZURE_SPEECH_HOST: z.string().regex(/^wss?:\/\/[^\s/]+\/?$/, 'must be ws(s)://host[:port], such as ws://localhost:5000 for a container').optional(),
  /** The default language's Azure voice (else the table's: en-US-JennyNeural for en-US). */
  AZURE_SPEECH_VOICE: z.string().regex(/^[a-z]{2,3}-[A-Z]{2,4}-\w+$/, 'must be a neural voice such as en-US-JennyNeural').optional(),
  /** Azure voices per language: es-ES=es-ES-AlvaroNeural,de-DE=de-DE-ConradNeural. */
  AZURE_SPEECH_VOICES: z.string().optional(),
  // Languages (docs/providers.md): the first is the default; the caller's is identified from
  // speech (Azure) or chosen by keypad in the greeting.
  LANGUAGES: z.string().default('en-US'),
  /** Where a caller speaking a language we do not serve is taken (default: the first of LANGUAGES). */
  LANGUAGE_FALLBACK: z.string().optional(),
  // Translation for agents: the model brain, Azure Translator, or off (auto: the model when one is configured).
  TRANSLATOR_PROVIDER: z.enum(['model', 'azure', 'none']).optional(),
  AZURE_TRANSLATOR_KEY: z.string().min(1).optional(),
  AZURE_TRANSLATOR_REGION: z.string().regex(/^[a-z0-9]+$/, 'must be an Azure region such as westeurope').optional(),
  AZURE_TRANSLATOR_ENDPOINT: z.string().url('must be a URL such as https://api.cognitive.microsofttranslator.com').default('https://api.cognitive.microsofttranslator.com'),
  TTS_VOICE: z.enum(['kal16', 'slt', 'rms', 'awb']).default('kal16'),
  MAX_AI_TURNS: int(1, 200).default(20),
  POLICY_TOPICS: z
    .string()
    .default(Object.keys(DEFAULT_POLICY_TOPICS).join(','))
    .transform((s) => s.split(',').map((t) => t.trim()).filter(Boolean)),
  /** Extra or replacement words per policy topic; only settable in the config file. */
  POLICY_TOPIC_WORDS: z.record(z.string(), z.array(z.string().min(2))).default({}),
  END_OF_TURN_SILENCE_MS: int(100, 5000).default(500),
  /** Adaptive end of turn: the silence after a complete answer, and after a trailing one. */
  END_OF_TURN_MIN_MS: int(100, 5000).default(250),
  END_OF_TURN_MAX_MS: int(100, 10_000).default(1200),
  /** Local recognition: the library in-process (default) or one CLI process per call. */
  STT_ENGINE: z.enum(['in-process', 'cli']).default('in-process'),
  /** In-process recognizer threads (0 = one per core) and streams each decodes in real time. */
  STT_WORKERS: int(0, 64).default(0),
  STT_STREAMS_PER_WORKER: int(1, 200).default(12),
  /** The in-process recognizer's open model: the domain model built at start, or generic English. */
  STT_OPEN_MODEL: z.enum(['domain', 'generic']).default('domain'),
  /** Recognizers on worker threads (cheapest) or child processes (a native crash fails only their calls). */
  STT_ISOLATION: z.enum(['thread', 'process']).default('thread'),
  /** RNNoise on caller audio before recognition; off unless `bench -- stt` shows it helps. */
  NOISE_SUPPRESSION: bool.default(false),
  BARGE_IN_MS: int(50, 3000).default(160),
  FILLER_AFTER_MS: int(200, 10000).default(1500),
  OFFER_TIMEOUT_MS: int(3000, 300_000).default(20_000),
  HOLD_ANNOUNCE_MS: int(5000, 600_000).default(30_000),
  CALLBACK_OFFER_AFTER_MS: int(5000, 3_600_000).default(120_000),
  // Supervisor alerts (supervision/alert-rules.ts): an agent's hold longer than this, and
  // this many AI turns without progress (an answer, a lookup, verification) make an alert.
  ALERT_HOLD_MS: int(5000, 3_600_000).default(120_000),
  ALERT_AI_LOOP_TURNS: int(3, 50).default(6),
  DISPOSITIONS: z
    .string()
    .default('resolved,follow-up needed,callback scheduled,transferred,not resolved,wrong number')
    .transform((s) => s.split(',').map((d) => d.trim()).filter(Boolean))
    .refine((list) => list.length > 0, 'must list at least one disposition'),
  RECORDINGS: bool.default(true),
  DESKTOP_ORIGINS: z
    .string()
    .default('app://switchboard')
    .transform((s) => s.split(',').map((o) => o.trim()).filter(Boolean)),
  // Capacity and stream limits (docs/security.md, "Limits"). MAX_CALLS unset: derived from the
  // cores and the configured speech engines, and printed in the start banner.
  MAX_CALLS: int(1, 10_000).optional(),
  MEDIA_IDLE_MS: int(1000, 600_000).default(10_000),
  MEDIA_BURST_MS: int(100, 10_000).default(1_000),
  // Abuse limits (docs/security.md).
  LOGIN_ATTEMPTS_PER_MINUTE: int(1, 100_000).default(120),
  LOGIN_FREE_FAILURES: int(1, 1000).default(5),
  // Beyond one machine (docs/deployment.md): the store and the event bus several backends share.
  STORE: z.enum(['sqlite', 'postgres']).default('sqlite'),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
  /** With STORE=postgres: keep the tables in this schema (several clusters on one database). */
  DATABASE_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'a lower-case identifier: letters, digits, _').optional(),
  BUS: z.enum(['local', 'nats']).default('local'),
  NATS_URL: z.string().min(1).default('nats://127.0.0.1:4222'),
  /** Subjects this cluster uses on NATS (several clusters on one server). */
  NATS_SUBJECT_PREFIX: z.string().regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, 'NATS subject tokens separated by dots').default('switchboard'),
  /** Names this backend in the cluster (logs, forwarded commands); defaults to host:port. */
  INSTANCE_ID: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'letters, digits and _ . : - only').optional(),
  /** In a cluster: this backend's own address as agents' apps reach it (agent audio connects here); defaults to the address it listens on. */
  INSTANCE_URL: z.string().url('must be a URL such as http://10.0.0.5:3000').transform((u) => u.replace(/\/+$/, '')).optional(),
  /** In a cluster: how often the routing leader closes sessions of backends that are gone. */
  RECOVERY_SWEEP_MS: int(1000, 3_600_000).default(10_000),
  /** On SIGTERM, how long live calls may go on before the backend stops anyway. */
  DRAIN_TIMEOUT_MS: int(0, 3_600_000).default(60_000),
  // ---- carriers (docs/twilio.md) ----
  /** Who carries phone calls: `local` (the web call page) or `twilio` (phone numbers; the local page stays on). */
  CARRIER: z.enum(['local', 'twilio']).default('local'),
  TWILIO_ACCOUNT_SID: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'must be an Account SID (AC followed by 32 hex digits)').optional(),
  TWILIO_AUTH_TOKEN: z.string().min(16).optional(),
  TWILIO_API_KEY: z.string().regex(/^SK[0-9a-fA-F]{32}$/, 'must be an API Key SID (SK followed by 32 hex digits)').optional(),
  TWILIO_API_SECRET: z.string().min(16).optional(),
  TWILIO_TWIML_APP_SID: z.string().regex(/^AP[0-9a-fA-F]{32}$/, 'must be a TwiML App SID (AP followed by 32 hex digits)').optional(),
  TWILIO_PHONE_NUMBER: z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number such as +15551234567').optional(),
  /** The https address Twilio reaches this server at (a tunnel in a trial); webhook signatures are computed over it. */
  PUBLIC_URL: z
    .string()
    .url()
    .refine((u) => u.startsWith('https://'), 'must start with https:// (Twilio only calls secure webhooks)')
    .transform((u) => u.replace(/\/+$/, ''))
    .optional(),
  /** Send Twilio REST requests here instead of https://*.twilio.com (tests, egress proxies). */
  TWILIO_API_BASE_URL: z.string().url().transform((u) => u.replace(/\/+$/, '')).optional(),
});

export type AppConfig = z.infer<typeof ConfigSchema> & { policyTopics: Record<string, string[]>; languages: Languages };

export class ConfigError extends Error {}

const KEYS = new Set(Object.keys(ConfigSchema.shape));

/** Reads CONFIG_FILE (if set) and the environment, and validates both. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  let fromFile: Record<string, unknown> = {};
  const file = env.CONFIG_FILE;
  if (file) {
    let text: string;
    try {
      text = readFileSync(resolve(file), 'utf8');
    } catch (err) {
      throw new ConfigError(`CONFIG_FILE ${file} cannot be read (${(err as Error).message}). Fix the path or unset CONFIG_FILE.`);
    }
    try {
      const parsed: unknown = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('it must hold an object of settings');
      fromFile = parsed as Record<string, unknown>;
    } catch (err) {
      throw new ConfigError(`CONFIG_FILE ${file} is not valid: ${(err as Error).message}.`);
    }
    const unknown = Object.keys(fromFile).filter((k) => !KEYS.has(k));
    if (unknown.length > 0) {
      throw new ConfigError(`CONFIG_FILE ${file} has unknown setting ${unknown.join(', ')}; see the configuration table in README.md.`);
    }
  }
  const merged: Record<string, unknown> = { ...fromFile };
  for (const key of KEYS) {
    const value = env[key];
    if (value !== undefined && value !== '') merged[key] = value;
  }
  return parseConfig(merged);
}

export function parseConfig(input: Record<string, unknown>): AppConfig {
  const result = ConfigSchema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration — ${problems.join('; ')}. Fix these variables and start again.`);
  }
  const config = result.data;
  const topics: Record<string, string[]> = {};
  for (const topic of config.POLICY_TOPICS) {
    const words = config.POLICY_TOPIC_WORDS[topic] ?? DEFAULT_POLICY_TOPICS[topic];
    if (!words) {
      throw new ConfigError(
        `POLICY_TOPICS: "${topic}" has no words. Use one of ${Object.keys(DEFAULT_POLICY_TOPICS).join(', ')}, or give its words in POLICY_TOPIC_WORDS in the config file.`,
      );
    }
    topics[topic] = words;
  }
  checkBrainProvider(config);
  checkSpeechProviders(config);
  if ((config.ADMIN_EMAIL === undefined) !== (config.ADMIN_PASSWORD === undefined)) {
    throw new ConfigError('ADMIN_EMAIL and ADMIN_PASSWORD must be set together (or neither). Set both to create the first admin.');
  }
  if (config.STORE === 'postgres' && config.DATABASE_URL === undefined) {
    throw new ConfigError('STORE=postgres needs DATABASE_URL (postgres://user@host:5432/db). Set it, or unset STORE for the embedded SQLite store.');
  }
  if (config.BUS === 'nats' && config.STORE !== 'postgres') {
    throw new ConfigError('BUS=nats shares events between backends, which must share one store: set STORE=postgres and DATABASE_URL too.');
  }
  if (config.CARRIER === 'twilio') {
    const needed = ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_API_KEY', 'TWILIO_API_SECRET', 'TWILIO_TWIML_APP_SID', 'TWILIO_PHONE_NUMBER', 'PUBLIC_URL'] as const;
    const missing = needed.filter((key) => config[key] === undefined);
    if (missing.length > 0) {
      throw new ConfigError(`CARRIER=twilio needs ${missing.join(', ')}. docs/twilio.md shows where each one comes from.`);
    }
  }
  let languages: Languages;
  try {
    const voices = [config.AZURE_SPEECH_VOICE ? `${config.LANGUAGES.split(',')[0]?.trim()}=${config.AZURE_SPEECH_VOICE}` : '', config.AZURE_SPEECH_VOICES ?? ''].filter(Boolean).join(',');
    languages = parseLanguages(config.LANGUAGES, config.LANGUAGE_FALLBACK, voices);
  } catch (err) {
    if (err instanceof LanguageConfigError) throw new ConfigError(err.message);
    throw err;
  }
  checkTranslator(config);
  return { ...config, policyTopics: topics, languages };
}

/** The translator chosen for agents; auto is the model when one is configured, else off. */
export function translatorProvider(config: z.infer<typeof ConfigSchema>): 'model' | 'azure' | 'none' {
  return config.TRANSLATOR_PROVIDER ?? (config.BRAIN_PROVIDER === 'local' ? 'none' : 'model');
}

function checkTranslator(config: z.infer<typeof ConfigSchema>): void {
  const provider = translatorProvider(config);
  if (provider === 'model' && config.BRAIN_PROVIDER === 'local') {
    throw new ConfigError('TRANSLATOR_PROVIDER=model needs a model: set BRAIN_PROVIDER=openai or azure-openai, or use TRANSLATOR_PROVIDER=azure; see docs/providers.md.');
  }
  if (provider === 'azure' && config.AZURE_TRANSLATOR_KEY === undefined) {
    throw new ConfigError('TRANSLATOR_PROVIDER=azure needs AZURE_TRANSLATOR_KEY (and AZURE_TRANSLATOR_REGION for a regional resource); see docs/providers.md.');
  }
}

/** A model provider must be configured completely; the error names what is missing. */
function checkBrainProvider(config: z.infer<typeof ConfigSchema>): void {
  const missing = (names: Array<keyof typeof config>) => names.filter((n) => config[n] === undefined);
  if (config.BRAIN_PROVIDER === 'openai') {
    const need = missing(['OPENAI_MODEL']);
    // A local model server (Ollama, llama.cpp, vLLM) usually needs no key; OpenAI itself does.
    if (!config.OPENAI_BASE_URL && !config.OPENAI_API_KEY) need.push('OPENAI_API_KEY');
    if (need.length > 0) {
      throw new ConfigError(
        `BRAIN_PROVIDER=openai needs ${need.join(' and ')}. Set ${need.join(' and ')} (or OPENAI_BASE_URL for a local model server), or use BRAIN_PROVIDER=local; see docs/providers.md.`,
      );
    }
  }
  if (config.BRAIN_PROVIDER === 'azure-openai') {
    const need = missing(['AZURE_OPENAI_ENDPOINT', 'AZURE_OPENAI_API_KEY', 'AZURE_OPENAI_DEPLOYMENT']);
    if (need.length > 0) {
      throw new ConfigError(`BRAIN_PROVIDER=azure-openai needs ${need.join(', ')}. Set them, or use BRAIN_PROVIDER=local; see docs/providers.md.`);
    }
  }
}

/** Azure Speech needs a key and somewhere to send it; the error names what is missing. */
function checkSpeechProviders(config: z.infer<typeof ConfigSchema>): void {
  if (config.STT_PROVIDER !== 'azure' && config.TTS_PROVIDER !== 'azure') return;
  const need = [
    ...(config.AZURE_SPEECH_KEY === undefined ? ['AZURE_SPEECH_KEY'] : []),
    ...(config.AZURE_SPEECH_REGION === undefined && config.AZURE_SPEECH_HOST === undefined ? ['AZURE_SPEECH_REGION (or AZURE_SPEECH_HOST)'] : []),
  ];
  if (need.length > 0) {
    throw new ConfigError(`STT_PROVIDER/TTS_PROVIDER=azure needs ${need.join(' and ')}. Set them, or use the local providers; see docs/providers.md.`);
  }
}

/** Defaults only, for isolated runs (scenarios, tests). */
export function defaultConfig(overrides: Record<string, unknown> = {}): AppConfig {
  return parseConfig(overrides);
}
