// The backend answers CORS for the desktop app's origin only, never with credentials.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app';
import { defaultConfig } from '../../src/config/config';
import { createServices, type Services } from '../../src/runtime/services';
import { createSpeechEngines } from '../../src/runtime/speech-engines';

let app: FastifyInstance;
let services: Services;
beforeAll(async () => {
  const config = defaultConfig({ LOG_LEVEL: 'silent', RECORDINGS: false, DATA_DIR: '.tmp/cors-test' });
  services = await createServices({ config, databaseFile: ':memory:' });
  app = await buildApp(services, { speech: await createSpeechEngines(config) });
});
afterAll(async () => {
  await app.close();
  await services.close();
});

describe('desktop CORS', () => {
  it('answers a preflight from app://switchboard', async () => {
    const res = await app.inject({ method: 'OPTIONS', url: '/api/sessions', headers: { origin: 'app://switchboard', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' } });
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('app://switchboard');
    expect(res.headers['access-control-allow-headers']).toContain('authorization');
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('labels responses for the desktop origin and nobody else', async () => {
    const desktop = await app.inject({ method: 'GET', url: '/healthz', headers: { origin: 'app://switchboard' } });
    expect(desktop.headers['access-control-allow-origin']).toBe('app://switchboard');
    const other = await app.inject({ method: 'GET', url: '/healthz', headers: { origin: 'https://evil.example' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await app.inject({ method: 'OPTIONS', url: '/api/sessions', headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' } });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });
});
