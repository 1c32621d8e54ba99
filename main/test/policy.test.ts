import { describe, expect, it } from 'vitest';
import { loadPolicy, parsePolicy, policyFilePath, SAFE_POLICY_DEFAULTS } from '../policy';

describe('policy file location', () => {
  it('is per platform and overridable by SWITCHBOARD_POLICY_FILE', () => {
    expect(policyFilePath('win32', { ProgramData: 'C:\\ProgramData' })).toBe('C:\\ProgramData\\Switchboard\\policy.json');
    expect(policyFilePath('darwin', {})).toBe('/Library/Application Support/Switchboard/policy.json');
    expect(policyFilePath('linux', {})).toBe('/etc/switchboard/policy.json');
    expect(policyFilePath('linux', { SWITCHBOARD_POLICY_FILE: '/tmp/p.json' })).toBe('/tmp/p.json');
  });
});

describe('policy parsing', () => {
  it('no file: nothing locked, nothing rejected', () => {
    const p = parsePolicy('/etc/switchboard/policy.json', null);
    expect(p).toMatchObject({ found: false, lockedKeys: [], rejected: [], values: {} });
  });

  it('accepts every valid key and locks it', () => {
    const p = parsePolicy('x', JSON.stringify({
      backendUrl: 'https://sb.example.com',
      allowedBackendOrigins: ['https://sb.example.com', 'https://sb2.example.com/'],
      updateChannel: 'beta',
      updatesEnabled: false,
      shortcutsEnabled: true,
      logLevel: 'debug',
    }));
    expect(p.rejected).toEqual([]);
    expect(p.lockedKeys.sort()).toEqual(['allowedBackendOrigins', 'backendUrl', 'logLevel', 'shortcutsEnabled', 'updateChannel', 'updatesEnabled']);
    expect(p.values.allowedBackendOrigins).toEqual(['https://sb.example.com', 'https://sb2.example.com']);
    expect(p.values.updatesEnabled).toBe(false);
  });

  it('rejects invalid keys one by one, keeping the valid ones and locking rejected keys to safe defaults', () => {
    const p = parsePolicy('x', JSON.stringify({ updateChannel: 'nightly', shortcutsEnabled: 'yes', logLevel: 'warn', colour: 'blue' }));
    expect(p.rejected.map((r) => r.key).sort()).toEqual(['colour', 'shortcutsEnabled', 'updateChannel']);
    expect(p.values).toEqual({ updateChannel: 'stable', shortcutsEnabled: false, logLevel: 'warn' });
    expect(p.lockedKeys.sort()).toEqual(['logLevel', 'shortcutsEnabled', 'updateChannel']);
    expect(p.rejected.find((r) => r.key === 'colour')?.reason).toMatch(/unknown key/);
  });

  it('rejects a backend URL outside the allowed origins', () => {
    const p = parsePolicy('x', JSON.stringify({ backendUrl: 'https://evil.example', allowedBackendOrigins: ['https://sb.example.com'] }));
    expect(p.rejected.map((r) => r.key)).toEqual(['backendUrl']);
    expect(p.values.backendUrl).toBe('https://sb.example.com');
  });

  it('rejects a backend URL with credentials or a non-http scheme', () => {
    expect(parsePolicy('x', JSON.stringify({ backendUrl: 'https://u:p@sb.example.com' })).rejected[0]?.key).toBe('backendUrl');
    expect(parsePolicy('x', JSON.stringify({ backendUrl: 'file:///etc/passwd' })).values.backendUrl).toBe(SAFE_POLICY_DEFAULTS.backendUrl);
  });

  it('malformed JSON or a non-object: safe defaults and the file itself reported', () => {
    for (const text of ['{ nope', '[]', '"x"']) {
      const p = parsePolicy('/etc/switchboard/policy.json', text);
      expect(p.rejected[0]?.key).toBe('(file)');
      expect(p.values).toEqual({});
    }
  });

  it('tolerates a UTF-8 BOM (Windows Notepad)', () => {
    expect(parsePolicy('x', '\uFEFF{"logLevel":"error"}').values.logLevel).toBe('error');
  });

  it('an unreadable file is reported, not thrown', () => {
    const p = loadPolicy({ platform: 'linux', env: {}, readText: () => { throw new Error('EACCES'); } });
    expect(p.rejected[0]).toMatchObject({ key: '(file)' });
  });
});
