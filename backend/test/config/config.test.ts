// Configuration: defaults, validation that names the variable at fault, the config file
// (JSON or YAML) with the environment winning, and the server refusing a bad config with
// exit code 78 (EX_CONFIG).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY_TOPICS } from '../../src/policy/policy';
import { ConfigError, defaultConfig, loadConfig, parseConfig } from '../../src/config/config';

const dir = mkdtempSync(join(tmpdir(), 'switchboard-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('defaults', () => {
  it('an empty environment gives the embedded defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 8080,
      HOST: '127.0.0.1',
      DATA_DIR: './data',
      LOG_LEVEL: 'info',
      BRAIN_PROVIDER: 'local',
      STT_PROVIDER: 'local',
      TTS_PROVIDER: 'local',
      DEMO_DATA: true,
      MAX_AI_TURNS: 20,
      TOKEN_TTL_HOURS: 12,
    });
    expect(config.ADMIN_EMAIL).toBeUndefined();
    expect(Object.keys(config.policyTopics).sort()).toEqual(Object.keys(DEFAULT_POLICY_TOPICS).sort());
    expect(defaultConfig()).toEqual(config);
  });

  it('ignores environment variables that are not settings, and empty values', () => {
    const config = loadConfig({ PATH: '/usr/bin', HOME: '/root', PORT: '' });
    expect(config.PORT).toBe(8080);
  });

  it('coerces numbers and booleans from strings', () => {
    const config = loadConfig({ PORT: '9090', DEMO_DATA: 'no', MAX_AI_TURNS: '3' });
    expect(config).toMatchObject({ PORT: 9090, DEMO_DATA: false, MAX_AI_TURNS: 3 });
  });
});

describe('validation names the variable', () => {
  it.each([['notaport'], ['70000'], ['-1'], ['80.5']])('PORT=%s', (port) => {
    expect(configError(() => loadConfig({ PORT: port })).message).toMatch(/\bPORT\b/);
  });

  it('unknown BRAIN_PROVIDER', () => {
    const err = configError(() => loadConfig({ BRAIN_PROVIDER: 'telepathy' }));
    expect(err.message).toMatch(/BRAIN_PROVIDER/);
  });

  it('ADMIN_EMAIL without ADMIN_PASSWORD, and the reverse', () => {
    expect(configError(() => loadConfig({ ADMIN_EMAIL: 'admin@example.com' })).message).toMatch(/ADMIN_EMAIL and ADMIN_PASSWORD/);
    expect(configError(() => loadConfig({ ADMIN_PASSWORD: 'long-enough-password' })).message).toMatch(/ADMIN_EMAIL and ADMIN_PASSWORD/);
    expect(loadConfig({ ADMIN_EMAIL: 'admin@example.com', ADMIN_PASSWORD: 'long-enough-password' }).ADMIN_EMAIL).toBe('admin@example.com');
  });

  it('a short ADMIN_PASSWORD and a malformed ADMIN_EMAIL', () => {
    expect(configError(() => loadConfig({ ADMIN_EMAIL: 'admin@example.com', ADMIN_PASSWORD: 'short' })).message).toMatch(/ADMIN_PASSWORD/);
    expect(configError(() => loadConfig({ ADMIN_EMAIL: 'not-an-email', ADMIN_PASSWORD: 'long-enough-password' })).message).toMatch(/ADMIN_EMAIL/);
  });

  it('a bad boolean and a bad LOG_LEVEL', () => {
    expect(configError(() => loadConfig({ DEMO_DATA: 'maybe' })).message).toMatch(/DEMO_DATA/);
    expect(configError(() => loadConfig({ LOG_LEVEL: 'loud' })).message).toMatch(/LOG_LEVEL/);
  });

  it('a policy topic with no words', () => {
    expect(configError(() => loadConfig({ POLICY_TOPICS: 'legal,weather' })).message).toMatch(/POLICY_TOPICS.*weather/);
  });

  it('POLICY_TOPICS picks the topics that escalate', () => {
    const config = loadConfig({ POLICY_TOPICS: ' legal , fraud ' });
    expect(Object.keys(config.policyTopics)).toEqual(['legal', 'fraud']);
    expect(config.policyTopics.legal).toEqual(DEFAULT_POLICY_TOPICS.legal);
  });

  it('parseConfig checks the same rules as loadConfig', () => {
    expect(configError(() => parseConfig({ PORT: 'x' })).message).toMatch(/PORT/);
  });
});

describe('config file', () => {
  it('reads JSON', () => {
    const path = file('c.json', JSON.stringify({ PORT: 9001, DATA_DIR: '/srv/sb', DEMO_DATA: false }));
    expect(loadConfig({ CONFIG_FILE: path })).toMatchObject({ PORT: 9001, DATA_DIR: '/srv/sb', DEMO_DATA: false });
  });

  it('reads YAML, including settings only the file can give', () => {
    const path = file(
      'c.yaml',
      ['PORT: 9002', 'COMPANY_NAME: Acme Sound', 'POLICY_TOPICS: legal,warranty', 'POLICY_TOPIC_WORDS:', '  warranty: [warranty claim, guarantee]', ''].join('\n'),
    );
    const config = loadConfig({ CONFIG_FILE: path });
    expect(config).toMatchObject({ PORT: 9002, COMPANY_NAME: 'Acme Sound' });
    expect(config.policyTopics).toEqual({ legal: DEFAULT_POLICY_TOPICS.legal, warranty: ['warranty claim', 'guarantee'] });
  });

  it('the environment overrides the file', () => {
    const path = file('override.json', JSON.stringify({ PORT: 9003, COMPANY_NAME: 'From File' }));
    expect(loadConfig({ CONFIG_FILE: path, PORT: '9004' })).toMatchObject({ PORT: 9004, COMPANY_NAME: 'From File' });
  });

  it('an unknown key is an error that names it', () => {
    const path = file('unknown.yaml', 'PORT: 9005\nPROT: 9006\n');
    const err = configError(() => loadConfig({ CONFIG_FILE: path }));
    expect(err.message).toMatch(/unknown setting PROT\b/);
  });

  it('an invalid value in the file names the variable', () => {
    const path = file('bad-value.json', JSON.stringify({ PORT: 'eighty' }));
    expect(configError(() => loadConfig({ CONFIG_FILE: path })).message).toMatch(/\bPORT\b/);
  });

  it('an unreadable file is an error naming the file', () => {
    const missing = join(dir, 'does-not-exist.yaml');
    const err = configError(() => loadConfig({ CONFIG_FILE: missing }));
    expect(err.message).toContain('does-not-exist.yaml');
    expect(err.message).toMatch(/cannot be read/);
  });

  it('a file that is not an object of settings, or not parseable, is an error', () => {
    expect(configError(() => loadConfig({ CONFIG_FILE: file('list.yaml', '- a\n- b\n') })).message).toMatch(/not valid/);
    expect(configError(() => loadConfig({ CONFIG_FILE: file('broken.json', '{"PORT": ') })).message).toMatch(/not valid/);
    expect(configError(() => loadConfig({ CONFIG_FILE: file('scalar.yaml', 'just text\n') })).message).toMatch(/not valid/);
  });
});

describe('server start', () => {
  it('exits with 78 and names PORT when PORT is invalid', async () => {
    const root = fileURLToPath(new URL('../../..', import.meta.url));
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((done, fail) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'backend/src/server.ts'], {
        cwd: root,
        env: { ...process.env, PORT: 'notaport', CONFIG_FILE: '', DATA_DIR: join(dir, 'never-created') },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let err = '';
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      child.on('error', fail);
      child.on('close', (c) => done({ code: c, stderr: err }));
    });
    expect(stderr).toMatch(/switchboard: .*\bPORT\b/);
    expect(code).toBe(78);
  });
});
