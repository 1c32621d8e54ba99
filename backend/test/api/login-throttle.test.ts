// Sign-in throttling: per account (a doubling wait after wrong passwords in a row, from any
// address), per address (the same after ten times as many) and a flood limit per address on
// all attempts. All answer 429 with Retry-After and check no password meanwhile — the right
// password included.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../src/app';
import { LoginThrottle } from '../../src/auth/login-throttle';
import { defaultConfig } from '../../src/config/config';
import { createServices, type Services } from '../../src/runtime/services';

let services: Services;
let app: FastifyInstance;
const PASSWORD = 'correct horse battery';

function login(email: string, password: string, remoteAddress = '10.0.0.1') {
  return app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password }, remoteAddress });
}

beforeAll(async () => {
  services = await createServices({ config: defaultConfig({ LOGIN_ATTEMPTS_PER_MINUTE: 25, LOGIN_FREE_FAILURES: 2 }), databaseFile: ':memory:' });
  app = await buildApp(services);
  await services.users.create({ email: 'vic@example.com', name: 'Vic Victim', role: 'agent', password: PASSWORD });
  await services.users.create({ email: 'sam@example.com', name: 'Sam Spread', role: 'agent', password: PASSWORD });
});
afterAll(async () => {
  vi.useRealTimers();
  await app.close();
  await services.close();
});

describe('per address', () => {
  it('the attempt over the flood limit from one address is a 429 with Retry-After, right passwords included; other addresses go on', async () => {
    for (let i = 0; i < 25; i++) expect((await login('vic@example.com', PASSWORD, '10.9.9.9')).statusCode).toBe(200);
    const refused = await login('vic@example.com', PASSWORD, '10.9.9.9');
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.json()).toMatchObject({ error: 'too_many_requests', message: expect.stringMatching(/from this address/) });
    expect((await login('vic@example.com', PASSWORD, '10.9.9.10')).statusCode).toBe(200);
  });

  it('wrong passwords spread over many accounts make the address wait', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    // Ten times the per-account allowance (2), one guess per account: no account is locked.
    for (let i = 0; i < 20; i++) expect((await login(`spray${i}@example.com`, 'Summer2026!', '10.7.7.7')).statusCode).toBe(401);
    const locked = await login('vic@example.com', PASSWORD, '10.7.7.7');
    expect(locked.statusCode).toBe(429);
    expect(locked.headers['retry-after']).toBe('1');
    expect(locked.json<{ message: string }>().message).toMatch(/wrong passwords from this address/);
    expect((await login('vic@example.com', PASSWORD, '10.7.7.8')).statusCode).toBe(200);
    vi.useRealTimers();
  });
});

describe('per account', () => {
  it('after wrong passwords in a row the account waits, from any address, even for the right password', async () => {
    // Time stands still, so the wait cannot run out while the test runs on a busy machine.
    vi.useFakeTimers({ toFake: ['Date'] });
    for (let i = 0; i < 2; i++) expect((await login('sam@example.com', 'guess ' + i, `10.1.0.${i}`)).statusCode).toBe(401);
    const locked = await login('sam@example.com', PASSWORD, '10.2.0.1');
    expect(locked.statusCode).toBe(429);
    expect(locked.headers['retry-after']).toBe('1');
    expect(locked.json<{ message: string }>().message).toMatch(/wrong passwords/);
    // Another account is not affected.
    expect((await login('vic@example.com', PASSWORD, '10.2.0.2')).statusCode).toBe(200);
    // Once the wait is over the right password works and forgives the account.
    vi.setSystemTime(Date.now() + 1500);
    expect((await login('sam@example.com', PASSWORD, '10.2.0.3')).statusCode).toBe(200);
    expect((await login('sam@example.com', 'wrong again', '10.2.0.4')).statusCode).toBe(401);
    vi.useRealTimers();
  });

  it('the wait doubles with each further failure, up to a cap', () => {
    let now = 0;
    const throttle = new LoginThrottle({ freeFailures: 2, baseDelayMs: 1000, maxDelayMs: 8000, now: () => now });
    const waits: number[] = [];
    for (let i = 0; i < 7; i++) {
      throttle.failed('A@example.com');
      waits.push(throttle.waitFor('a@example.com'));
      now += throttle.waitFor('a@example.com');
    }
    expect(waits).toEqual([0, 1000, 2000, 4000, 8000, 8000, 8000]);
    throttle.succeeded('a@example.com');
    expect(throttle.waitFor('a@example.com')).toBe(0);
  });
});
