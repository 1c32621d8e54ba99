// A real backend on a loopback port with local speech engines, for carrier tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app';
import { defaultConfig } from '../../src/config/config';
import { createServices, type Services } from '../../src/runtime/services';
import { createSpeechEngines, type SpeechEngines } from '../../src/runtime/speech-engines';
import { createTextToSpeech } from '../../src/speech/providers';
import { synthesizeWhole } from '../../src/speech/whole-utterance';

export interface Backend {
  baseUrl: string;
  services: Services;
  app: FastifyInstance;
  speech: SpeechEngines;
  dataDir: string;
  close(): Promise<void>;
}

export async function startBackend(overrides: Record<string, unknown> = {}): Promise<Backend> {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-test-'));
  const config = defaultConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...overrides });
  const services = await createServices({ config });
  const speech = await createSpeechEngines(config);
  const app = await buildApp(services, { speech });
  const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    baseUrl,
    services,
    app,
    speech,
    dataDir,
    close: async () => {
      await app.close();
      await services.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A caller utterance in a flite voice (pocketsphinx hears flite well at 16 kHz), edges trimmed. */
export async function callerSays(text: string, voice = 'rms'): Promise<Int16Array> {
  return synthesizeWhole(createTextToSpeech({ provider: 'local', voice }), text);
}

export async function waitUntil(check: () => Promise<boolean> | boolean, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
