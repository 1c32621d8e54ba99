// The update feed on its own: a tiny Fastify app with only updateFeedRoutes, driven by inject().
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateFeedRoutes } from '../../src/api/routes/updates';

let dir: string;
let app: FastifyInstance;
const installer = Buffer.from('MZ fake installer bytes 0123456789');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sb-updates-'));
  mkdirSync(join(dir, 'stable'), { recursive: true });
  mkdirSync(join(dir, 'beta'), { recursive: true });
  writeFileSync(join(dir, 'stable', 'latest.yml'), 'version: 1.2.0\nstagingPercentage: 20\nfiles:\n  - url: Switchboard-Setup-1.2.0.exe\n');
  writeFileSync(join(dir, 'stable', 'latest-mac.yml'), 'version: 1.2.0\n');
  writeFileSync(join(dir, 'stable', 'Switchboard-Setup-1.2.0.exe'), installer);
  writeFileSync(join(dir, 'beta', 'beta.yml'), 'version: 1.3.0-beta.1\n');
  writeFileSync(join(dir, 'secret.yml'), 'not for you\n');
  symlinkSync(join(dir, 'secret.yml'), join(dir, 'stable', 'escape.yml'));
  app = Fastify();
  await app.register(updateFeedRoutes({ dir }));
  await app.ready();
});

afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('update feed', () => {
  it('serves the channel manifest uncached', async () => {
    const res = await app.inject({ url: '/updates/stable/latest.yml' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('stagingPercentage: 20');
    expect(res.headers['content-type']).toMatch(/yaml/);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect((await app.inject({ url: '/updates/stable/latest-mac.yml' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/updates/beta/beta.yml' })).body).toContain('1.3.0-beta.1');
  });

  it('serves installers with range support', async () => {
    const full = await app.inject({ url: '/updates/stable/Switchboard-Setup-1.2.0.exe' });
    expect(full.statusCode).toBe(200);
    expect(full.rawPayload.equals(installer)).toBe(true);
    const part = await app.inject({ url: '/updates/stable/Switchboard-Setup-1.2.0.exe', headers: { range: 'bytes=0-1' } });
    expect(part.statusCode).toBe(206);
    expect(part.body).toBe('MZ');
  });

  it('refuses unknown channels with a message', async () => {
    const res = await app.inject({ url: '/updates/nightly/latest.yml' });
    expect(res.statusCode).toBe(404);
    expect(res.json().message).toMatch(/Channels: stable, beta/);
  });

  it('refuses traversal, odd names, symlinks out of the channel and missing files', async () => {
    for (const url of [
      '/updates/stable/..%2Fsecret.yml',
      '/updates/stable/%2e%2e%2fsecret.yml',
      '/updates/stable/../secret.yml',
      '/updates/stable/..%5csecret.yml',
      '/updates/stable/escape.yml',
      '/updates/stable/.hidden.yml',
      '/updates/stable/latest.yml.bak',
      '/updates/stable/package.json',
      '/updates/stable/missing.yml',
      '/updates/stable/',
      '/updates/stable/sub/latest.yml',
      '/updates/',
    ]) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(404);
      expect(res.body, url).not.toContain('not for you');
    }
  });
});
