// Server hardening that is not a feature: security headers on every answer (and no caching
// of API data), the pages keeping their own CSP and the desktop app its CORS; the data
// directory and its files readable by the service's user only.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app';
import { defaultConfig } from '../../src/config/config';
import { createCallRecorder } from '../../src/media/call-recorder';
import { createServices, type Services } from '../../src/runtime/services';

let services: Services;
let app: FastifyInstance;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'switchboard-hardening-'));
  services = await createServices({ config: defaultConfig({ DATA_DIR: dataDir }) });
  app = await buildApp(services);
});
afterAll(async () => {
  await app.close();
  await services.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('security headers', () => {
  it('API answers: nosniff, no-store, a CSP that allows nothing, no framing, no referrer', async () => {
    for (const url of ['/api/sessions', '/api/nothing-here']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['cross-origin-resource-policy']).toBe('same-origin');
    }
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'a@example.com', password: 'x' } });
    expect(login.headers['cache-control']).toBe('no-store');
  });

  it('the caller page keeps its own CSP; the worklet stays loadable by the desktop app', async () => {
    const page = await app.inject({ method: 'GET', url: '/call' });
    expect(page.headers['content-security-policy']).toMatch(/^default-src 'self'; script-src 'self'/);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    const worklet = await app.inject({ method: 'GET', url: '/caller-audio-worklet.js', headers: { origin: 'app://switchboard' } });
    expect(worklet.statusCode).toBe(200);
    expect(worklet.headers['access-control-allow-origin']).toBe('app://switchboard');
    expect(worklet.headers['cross-origin-resource-policy']).toBeUndefined();
  });

  it('desktop CORS preflights still answer', async () => {
    const res = await app.inject({
      method: 'OPTIONS',
      url: '/api/sessions',
      headers: { origin: 'app://switchboard', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('app://switchboard');
  });
});

describe('file modes', () => {
  it('data directory and recordings folder 0700; database and its WAL 0600', () => {
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dataDir, 'recordings')).mode & 0o777).toBe(0o700);
    expect(statSync(join(dataDir, 'switchboard.db')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dataDir, 'switchboard.db-wal')).mode & 0o777).toBe(0o600);
  });

  it('a recording is written 0600', async () => {
    const path = join(dataDir, 'recordings', 'mode-check.wav');
    const recorder = createCallRecorder(path);
    recorder.writeCaller(new Int16Array(1600));
    await recorder.close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });
});
