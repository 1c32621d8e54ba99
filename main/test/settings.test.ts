import { describe, expect, it } from 'vitest';
import { backendUrlProblem, resolveBackendUrl } from '../backend-connection';
import { parsePolicy } from '../policy';
import { DEFAULT_SETTINGS, setupSettings } from '../settings';
import { memoryFiles } from './fakes';

const noPolicy = parsePolicy('p', null);

describe('settings precedence', () => {
  it('defaults, then the user file', () => {
    const files = memoryFiles({ s: JSON.stringify({ updateChannel: 'beta' }) });
    const s = setupSettings({ files, path: 's', policy: noPolicy, env: {} });
    expect(s.view().values).toMatchObject({ ...DEFAULT_SETTINGS, updateChannel: 'beta' });
    expect(s.view().locked).toEqual([]);
  });

  it('policy wins over the user, locks the key, and refuses changes to it', () => {
    const files = memoryFiles({ s: JSON.stringify({ updatesEnabled: true, logLevel: 'debug' }) });
    const policy = parsePolicy('p', JSON.stringify({ updatesEnabled: false, updateChannel: 'x' }));
    const s = setupSettings({ files, path: 's', policy, env: {} });
    const v = s.view();
    expect(v.values.updatesEnabled).toBe(false);
    expect(v.values.updateChannel).toBe('stable');
    expect(v.values.logLevel).toBe('debug');
    expect(v.locked.sort()).toEqual(['updateChannel', 'updatesEnabled']);
    expect(v.rejectedPolicyKeys.map((r) => r.key)).toEqual(['updateChannel']);
    expect(() => s.set({ updatesEnabled: true })).toThrow(/set by your organization's policy/);
    expect(s.set({ logLevel: 'warn' }).values.logLevel).toBe('warn');
    expect(JSON.parse(String(files.data.get('s')))).toMatchObject({ logLevel: 'warn' });
  });

  it('rejects unknown keys and bad values with a message, and notifies listeners on change', () => {
    const s = setupSettings({ files: memoryFiles(), path: 's', policy: noPolicy, env: {} });
    expect(() => s.set({ colour: 'red' })).toThrow(/Settings not saved/);
    expect(() => s.set({ backendUrl: 'http://10.0.0.5:8080' })).toThrow(/https/);
    const seen: string[] = [];
    s.onChange((v) => seen.push(v.values.backendUrl));
    s.set({ backendUrl: 'https://sb.example.com' });
    expect(seen).toEqual(['https://sb.example.com']);
  });

  it('backend URL: policy, then SWITCHBOARD_BACKEND_URL, then user, then default', () => {
    const policy = { backendUrl: 'https://policy.example.com' };
    expect(resolveBackendUrl({ policy, env: { SWITCHBOARD_BACKEND_URL: 'http://127.0.0.1:9000' }, userUrl: 'https://u.example.com' })).toMatchObject({ url: 'https://policy.example.com', source: 'policy' });
    expect(resolveBackendUrl({ policy: {}, env: { SWITCHBOARD_BACKEND_URL: 'http://127.0.0.1:9000/' }, userUrl: 'https://u.example.com' })).toMatchObject({ url: 'http://127.0.0.1:9000', source: 'environment' });
    expect(resolveBackendUrl({ policy: {}, env: {}, userUrl: 'https://u.example.com' })).toMatchObject({ source: 'user' });
    expect(resolveBackendUrl({ policy: {}, env: {}, userUrl: undefined })).toMatchObject({ url: 'http://127.0.0.1:8080', source: 'default' });
  });

  it('backend URL must be in the allowed origins when policy lists them', () => {
    const policy = { allowedBackendOrigins: ['https://sb.example.com'] };
    const r = resolveBackendUrl({ policy, env: { SWITCHBOARD_BACKEND_URL: 'http://127.0.0.1:9000' }, userUrl: 'https://other.example.com' });
    expect(r).toMatchObject({ url: 'https://sb.example.com', source: 'default' });
    expect(r.skipped).toHaveLength(2);
    expect(backendUrlProblem('https://sb.example.com/', policy.allowedBackendOrigins)).toBeNull();
  });

  it('plain http only on loopback', () => {
    expect(backendUrlProblem('http://127.0.0.1:8080', undefined)).toBeNull();
    expect(backendUrlProblem('http://localhost:8080', undefined)).toBeNull();
    expect(backendUrlProblem('http://sb.example.com', undefined)).toMatch(/https/);
    expect(backendUrlProblem('ftp://sb.example.com', undefined)).toMatch(/https/);
  });
});
