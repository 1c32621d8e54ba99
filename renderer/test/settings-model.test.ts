// The Settings screen's data: which values policy locks (lock + "Set by your IT policy"),
// the rejected policy keys warning, what a save sends, and the backend URL check.
import { describe, expect, it } from 'vitest';
import {
  backendUrlProblem,
  LOCKED_NOTE,
  patchFromDraft,
  SETTING_KEYS,
  settingsModel,
} from '../src/settings/settings-model';
import { describeUpdate, saveDesktopSettings, useDesktopSettings } from '../src/settings/settings-store';
import { fakeBridge, settingsView } from './support/fake-bridge';

describe('settings view model', () => {
  it('marks each locked key with the IT policy note and leaves the rest editable', () => {
    const model = settingsModel(settingsView({ locked: ['backendUrl', 'updatesEnabled'] }));
    expect(model.rows.backendUrl).toEqual({
      key: 'backendUrl',
      label: 'Backend URL',
      locked: true,
      lockNote: LOCKED_NOTE,
    });
    expect(model.rows.updatesEnabled.locked).toBe(true);
    expect(model.rows.updateChannel).toMatchObject({ locked: false, lockNote: null });
    expect(model.rows.logLevel.lockNote).toBeNull();
    expect(model.lockedCount).toBe(2);
    expect(LOCKED_NOTE).toBe('Set by your IT policy');
    expect(Object.keys(model.rows).sort()).toEqual([...SETTING_KEYS].sort());
  });

  it('lists rejected policy keys with readable labels and a summary', () => {
    const model = settingsModel(
      settingsView({
        locked: ['logLevel'],
        rejectedPolicyKeys: [
          { key: 'logLevel', reason: 'must be one of error, warn, info, debug' },
          { key: 'allowedBackendOrigins', reason: 'must be a list of origins' },
          { key: 'colour', reason: 'unknown key' },
        ],
        policy: { path: '/etc/switchboard/policy.json', found: true },
      }),
    );
    expect(model.rejected).toEqual([
      { key: 'logLevel', label: 'Log level', reason: 'must be one of error, warn, info, debug' },
      { key: 'allowedBackendOrigins', label: 'Allowed backend origins', reason: 'must be a list of origins' },
      { key: 'colour', label: 'colour', reason: 'unknown key' },
    ]);
    expect(model.rejectedSummary).toMatch(/3 settings that could not be applied/);
    expect(model.policyNote).toBe('Managed policy: /etc/switchboard/policy.json');
  });

  it('has no warning when nothing was rejected, and names an unreadable file', () => {
    expect(settingsModel(settingsView()).rejectedSummary).toBeNull();
    expect(settingsModel(settingsView()).policyNote).toMatch(/No managed policy/);
    const bad = settingsModel(settingsView({ rejectedPolicyKeys: [{ key: '(file)', reason: 'not JSON' }] }));
    expect(bad.rejected[0]?.label).toBe('Policy file');
    expect(bad.rejectedSummary).toMatch(/a setting that could not be applied; it is locked/);
  });

  it('saves only changed keys that are not locked', () => {
    const view = settingsView({ locked: ['backendUrl'] });
    expect(
      patchFromDraft(view, {
        backendUrl: 'https://other.example.com',
        logLevel: 'debug',
        updateChannel: 'stable',
        shortcuts: { ...view.values.shortcuts },
      }),
    ).toEqual({ logLevel: 'debug' });
    expect(patchFromDraft(view, {})).toEqual({});
  });
});

describe('backend URL check (mirrors main)', () => {
  it('accepts https anywhere and http on loopback', () => {
    expect(backendUrlProblem('https://switchboard.example.com')).toBeNull();
    expect(backendUrlProblem('http://127.0.0.1:8080')).toBeNull();
    expect(backendUrlProblem('http://localhost:8080')).toBeNull();
  });
  it('refuses what main refuses, with a message', () => {
    expect(backendUrlProblem('')).toMatch(/Enter/);
    expect(backendUrlProblem('switchboard')).toMatch(/not a web address/);
    expect(backendUrlProblem('ftp://x.example.com')).toMatch(/https/);
    expect(backendUrlProblem('https://u:p@x.example.com')).toMatch(/user name/);
    expect(backendUrlProblem('https://x.example.com/?a=1')).toMatch(/query/);
    expect(backendUrlProblem('http://x.example.com')).toMatch(/only allowed .* this computer/);
  });
  it('an allow-list decides on its own', () => {
    const allowed = ['https://a.example.com', 'http://10.0.0.5:8080'];
    expect(backendUrlProblem('https://b.example.com', allowed)).toMatch(/only allows/);
    expect(backendUrlProblem('https://a.example.com/', allowed)).toBeNull();
    expect(backendUrlProblem('http://10.0.0.5:8080', allowed)).toBeNull();
  });
});

describe('saving through the bridge', () => {
  it("stores the new view, or returns main's message without the IPC prefix", async () => {
    const bridge = fakeBridge({ view: settingsView({ locked: ['backendUrl'] }) });
    expect(await saveDesktopSettings({ logLevel: 'debug' }, bridge)).toBeNull();
    expect(useDesktopSettings.getState().view?.values.logLevel).toBe('debug');
    expect(await saveDesktopSettings({}, bridge)).toBeNull();
    expect(bridge.calls.settingsSet).toEqual([{ logLevel: 'debug' }]);

    const failing = fakeBridge({
      settingsError:
        "Error invoking remote method 'settings:set': Error: Settings not saved: backendUrl is set by your organization's policy.",
    });
    expect(await saveDesktopSettings({ backendUrl: 'https://x.example.com' }, failing)).toBe(
      "Settings not saved: backendUrl is set by your organization's policy.",
    );
    expect(await saveDesktopSettings({ logLevel: 'warn' }, undefined)).toMatch(/desktop app/);
  });

  it('describes each update state', () => {
    expect(describeUpdate(null)).toMatch(/unknown/);
    expect(describeUpdate({ state: 'disabled', reason: 'turned off by policy' })).toMatch(
      /off: turned off by policy/,
    );
    expect(describeUpdate({ state: 'ready', channel: 'beta', version: '0.2.0' })).toMatch(/0.2.0 is ready/);
    expect(
      describeUpdate({ state: 'downloading', channel: 'stable', version: '0.2.0', percent: 41.6 }),
    ).toMatch(/42%/);
    expect(
      describeUpdate({ state: 'not-in-rollout', channel: 'stable', version: '0.2.0', stagingPercentage: 20 }),
    ).toMatch(/20%/);
  });
});
