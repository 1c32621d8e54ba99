// Settings, for every role. In the desktop app: backend URL, updates, global shortcuts and
// log level (each showing a lock and "Set by your IT policy" when policy sets it, and a
// warning naming any policy key main rejected), then audio devices, appearance and about.
// In a browser only what applies there: audio devices and appearance.
import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import type {
  LogLevel,
  ShortcutBindings,
  UpdateChannelName,
  UserSettingsPatch,
} from '../../../contracts/desktop-api';
import { sinkSupport } from '../audio/audio-output';
import { useTheme, type ThemeChoice } from '../hooks/use-theme';
import { desktopBridge } from '../platform/desktop-bridge';
import { http, testRingtone } from '../state/desk';
import {
  deviceKindFor,
  deviceOptions,
  resolveDeviceId,
  saveDevicePrefs,
  useDevicePrefs,
  type DeviceRole,
} from './device-prefs';
import { backendUrlProblem, settingsModel, type SettingRow } from './settings-model';
import {
  describeUpdate,
  loadDesktopSettings,
  saveDesktopSettings,
  useDesktopSettings,
} from './settings-store';
import { bindingProblems, normaliseBindings, SHORTCUT_ACTIONS, shortcutActionLabels } from './shortcut-rules';
import { useMediaDevices } from './use-media-devices';
import './settings.css';

export function SettingsScreen() {
  const desktop = desktopBridge() !== undefined;
  return (
    <main className="dashboard settings" id="main">
      <h1>Settings</h1>
      {desktop ? (
        <DesktopSettings />
      ) : (
        <p className="settings-note muted">
          Backend address, updates, global shortcuts and logging are set in the Switchboard desktop app. Here
          you can choose your audio devices and the theme.
        </p>
      )}
      <AudioDevicesSection />
      <LanguagesSection />
      <AppearanceSection />
      {desktop ? <AboutSection /> : null}
    </main>
  );
}

// ---- pieces ------------------------------------------------------------------------------

function LockIcon() {
  return (
    <svg
      className="lock-icon"
      width="14"
      height="14"
      viewBox="0 0 16 16"
      aria-hidden="true"
      focusable="false"
    >
      <path
        fill="currentColor"
        d="M8 1a3.5 3.5 0 0 0-3.5 3.5V7H4a1 1 0 0 0-1 1v6a1 1 0 0 0 1 1h8a1 1 0 0 0 1-1V8a1 1 0 0 0-1-1h-.5V4.5A3.5 3.5 0 0 0 8 1Zm-2 6V4.5a2 2 0 1 1 4 0V7H6Z"
      />
    </svg>
  );
}

function LockNote({ row, id }: { row: SettingRow; id: string }) {
  if (!row.locked) return null;
  return (
    <span className="lock-note" id={id}>
      <LockIcon /> {row.lockNote}
    </span>
  );
}

/** disabled + aria-describedby for a control whose value policy sets. */
function lockProps(row: SettingRow, noteId: string, busy = false) {
  return { disabled: row.locked || busy, 'aria-describedby': row.locked ? noteId : undefined };
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  const id = useId();
  return (
    <section className="card settings-section" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

function Status({ status }: { status: { kind: 'ok' | 'error'; text: string } | null }) {
  if (!status) return null;
  return status.kind === 'error' ? (
    <p className="form-error" role="alert">
      {status.text}
    </p>
  ) : (
    <p className="form-ok" role="status">
      {status.text}
    </p>
  );
}

type SectionStatus = { kind: 'ok' | 'error'; text: string } | null;

// ---- desktop settings --------------------------------------------------------------------

function DesktopSettings() {
  const view = useDesktopSettings((s) => s.view);
  const loadError = useDesktopSettings((s) => s.loadError);
  const ids = useId();
  const [status, setStatus] = useState<Record<string, SectionStatus>>({});
  const [busy, setBusy] = useState(false);
  const [backendDraft, setBackendDraft] = useState('');
  const [shortcutDraft, setShortcutDraft] = useState<ShortcutBindings>({ answer: '', mute: '', hangUp: '' });

  useEffect(() => {
    if (!view) void loadDesktopSettings();
  }, [view]);

  // A new view from main (saved here, or changed elsewhere) resets the text drafts.
  const savedBackend = view?.values.backendUrl ?? '';
  const savedShortcuts = JSON.stringify(view?.values.shortcuts ?? null);
  useEffect(() => setBackendDraft(savedBackend), [savedBackend]);
  useEffect(() => {
    const parsed = JSON.parse(savedShortcuts) as ShortcutBindings | null;
    if (parsed) setShortcutDraft(parsed);
  }, [savedShortcuts]);

  if (!view) {
    return loadError ? (
      <p className="form-error" role="alert">
        {loadError}
      </p>
    ) : (
      <p className="muted">Loading settings…</p>
    );
  }
  const model = settingsModel(view);
  const { rows, values } = model;

  const save = async (section: string, patch: UserSettingsPatch, ok: string) => {
    setBusy(true);
    const problem = await saveDesktopSettings(patch);
    setBusy(false);
    setStatus((s) => ({
      ...s,
      [section]: problem ? { kind: 'error', text: problem } : { kind: 'ok', text: ok },
    }));
  };

  const backendProblem =
    backendDraft === savedBackend ? null : backendUrlProblem(backendDraft, model.allowedBackendOrigins);
  const submitBackend = (e: FormEvent) => {
    e.preventDefault();
    if (backendDraft.trim() === savedBackend) return;
    if (backendProblem) {
      setStatus((s) => ({ ...s, connection: { kind: 'error', text: backendProblem } }));
      return;
    }
    void save(
      'connection',
      { backendUrl: backendDraft.trim() },
      'Saved. Switchboard restarts to connect to the new backend.',
    );
  };

  const shortcutIssues = bindingProblems(shortcutDraft);
  const shortcutsChanged = JSON.stringify(shortcutDraft) !== savedShortcuts;
  const submitShortcuts = (e: FormEvent) => {
    e.preventDefault();
    const normalised = normaliseBindings(shortcutDraft);
    if (!normalised) {
      setStatus((s) => ({
        ...s,
        shortcuts: { kind: 'error', text: 'Fix the shortcuts marked below first.' },
      }));
      return;
    }
    void save('shortcuts', { shortcuts: normalised }, 'Shortcuts saved.');
  };

  return (
    <>
      {model.rejected.length > 0 ? (
        <section className="settings-warning" role="alert" aria-labelledby={`${ids}-rejected`}>
          <h2 id={`${ids}-rejected`}>
            <span aria-hidden="true">⚠</span> Policy settings rejected
          </h2>
          <p>{model.rejectedSummary}</p>
          <ul>
            {model.rejected.map((r) => (
              <li key={r.key}>
                <strong>{r.label}</strong> <code>{r.key}</code>: {r.reason}
              </li>
            ))}
          </ul>
          <p className="small">{model.policyNote}</p>
        </section>
      ) : null}

      <Section title="Connection">
        <form onSubmit={submitBackend} noValidate>
          <label className="field">
            <span>{rows.backendUrl.label}</span>
            <input
              type="url"
              value={backendDraft}
              onChange={(e) => setBackendDraft(e.target.value)}
              spellCheck={false}
              autoComplete="off"
              aria-invalid={backendProblem ? true : undefined}
              {...lockProps(rows.backendUrl, `${ids}-lock-backend`, busy)}
            />
            <LockNote row={rows.backendUrl} id={`${ids}-lock-backend`} />
          </label>
          {!rows.backendUrl.locked ? (
            <>
              {backendProblem ? <p className="field-problem">{backendProblem}</p> : null}
              <p className="muted small">
                Where the Switchboard server runs. Changing it restarts the app.
                {model.allowedBackendOrigins.length > 0
                  ? ` Allowed by your IT policy: ${model.allowedBackendOrigins.join(', ')}.`
                  : ''}
              </p>
              <button
                type="submit"
                className="btn btn-primary"
                disabled={busy || backendDraft.trim() === savedBackend}
              >
                Save backend
              </button>
            </>
          ) : null}
        </form>
        <Status status={status.connection ?? null} />
      </Section>

      <Section title="Updates">
        <div className="field">
          <label className="settings-check">
            <input
              type="checkbox"
              checked={values.updatesEnabled}
              onChange={(e) =>
                void save(
                  'updates',
                  { updatesEnabled: e.target.checked },
                  e.target.checked ? 'Updates on.' : 'Updates off.',
                )
              }
              {...lockProps(rows.updatesEnabled, `${ids}-lock-updates`, busy)}
            />
            {rows.updatesEnabled.label}
          </label>
          <LockNote row={rows.updatesEnabled} id={`${ids}-lock-updates`} />
        </div>
        <label className="field">
          <span>{rows.updateChannel.label}</span>
          <select
            value={values.updateChannel}
            onChange={(e) =>
              void save(
                'updates',
                { updateChannel: e.target.value as UpdateChannelName },
                'Update channel saved.',
              )
            }
            {...lockProps(rows.updateChannel, `${ids}-lock-channel`, busy)}
          >
            <option value="stable">Stable</option>
            <option value="beta">Beta (early releases)</option>
          </select>
          <LockNote row={rows.updateChannel} id={`${ids}-lock-channel`} />
        </label>
        <UpdateStatusLine />
        <Status status={status.updates ?? null} />
      </Section>

      <Section title="Global shortcuts">
        <p className="muted small">
          These work even when Switchboard is in the background. Inside the app, Alt+A, Alt+M and Alt+H always
          work.
        </p>
        <div className="field">
          <label className="settings-check">
            <input
              type="checkbox"
              checked={values.shortcutsEnabled}
              onChange={(e) =>
                void save(
                  'shortcuts',
                  { shortcutsEnabled: e.target.checked },
                  e.target.checked ? 'Global shortcuts on.' : 'Global shortcuts off.',
                )
              }
              {...lockProps(rows.shortcutsEnabled, `${ids}-lock-sc-on`, busy)}
            />
            {rows.shortcutsEnabled.label}
          </label>
          <LockNote row={rows.shortcutsEnabled} id={`${ids}-lock-sc-on`} />
        </div>
        <form onSubmit={submitShortcuts} noValidate>
          <div className="settings-shortcuts">
            {SHORTCUT_ACTIONS.map((action) => {
              const problem = shortcutsChanged ? shortcutIssues[action] : undefined;
              const problemId = `${ids}-sc-${action}-problem`;
              const locked = rows.shortcuts.locked;
              return (
                <label className="field" key={action}>
                  <span>{shortcutActionLabels[action]}</span>
                  <input
                    value={shortcutDraft[action]}
                    onChange={(e) => setShortcutDraft((d) => ({ ...d, [action]: e.target.value }))}
                    spellCheck={false}
                    autoComplete="off"
                    placeholder="CommandOrControl+Alt+Shift+A"
                    disabled={locked || busy || !values.shortcutsEnabled}
                    aria-invalid={problem ? true : undefined}
                    aria-describedby={problem ? problemId : locked ? `${ids}-lock-sc` : undefined}
                  />
                  {problem ? (
                    <span className="field-problem" id={problemId}>
                      {problem}
                    </span>
                  ) : null}
                </label>
              );
            })}
          </div>
          <LockNote row={rows.shortcuts} id={`${ids}-lock-sc`} />
          {!rows.shortcuts.locked && values.shortcutsEnabled ? (
            <button
              type="submit"
              className="btn btn-primary"
              disabled={busy || !shortcutsChanged || Object.keys(shortcutIssues).length > 0}
            >
              Save shortcuts
            </button>
          ) : null}
        </form>
        <Status status={status.shortcuts ?? null} />
      </Section>

      <Section title="Diagnostics">
        <label className="field">
          <span>{rows.logLevel.label}</span>
          <select
            value={values.logLevel}
            onChange={(e) =>
              void save('logging', { logLevel: e.target.value as LogLevel }, 'Log level saved.')
            }
            {...lockProps(rows.logLevel, `${ids}-lock-log`, busy)}
          >
            <option value="error">Errors only</option>
            <option value="warn">Warnings</option>
            <option value="info">Information (default)</option>
            <option value="debug">Debug (for support)</option>
          </select>
          <LockNote row={rows.logLevel} id={`${ids}-lock-log`} />
        </label>
        <Status status={status.logging ?? null} />
        <p className="muted small">{model.policyNote}</p>
      </Section>
    </>
  );
}

function UpdateStatusLine() {
  const update = useDesktopSettings((s) => s.update);
  const [installing, setInstalling] = useState(false);
  return (
    <div className="settings-update" role="status">
      <span>{describeUpdate(update)}</span>
      {update?.state === 'ready' ? (
        <button
          type="button"
          className="btn btn-accept btn-small"
          disabled={installing}
          onClick={() => {
            setInstalling(true);
            void desktopBridge()
              ?.updates.install()
              .finally(() => setInstalling(false));
          }}
        >
          Restart and update
        </button>
      ) : null}
    </div>
  );
}

// ---- audio devices (browser and desktop) --------------------------------------------------

const deviceRoles: Array<{ role: DeviceRole; label: string; hint: string }> = [
  { role: 'microphoneId', label: 'Microphone', hint: 'Used for your voice on calls.' },
  { role: 'speakerId', label: 'Speaker', hint: 'Where you hear the caller.' },
  {
    role: 'ringtoneDeviceId',
    label: 'Ringtone device',
    hint: 'Where incoming calls ring, e.g. the laptop speaker.',
  },
];

function AudioDevicesSection() {
  const { devices, supported, namesHidden, error, revealNames } = useMediaDevices();
  const prefs = useDevicePrefs((s) => s.prefs);
  const prefsError = useDevicePrefs((s) => s.error);
  const sinks = sinkSupport();
  return (
    <Section title="Audio devices">
      {!supported ? (
        <p className="muted">This browser cannot list audio devices; the system defaults are used.</p>
      ) : (
        <>
          {namesHidden ? (
            <p className="muted small">
              Device names appear once Switchboard may use the microphone.{' '}
              <button type="button" className="btn btn-ghost btn-small" onClick={() => void revealNames()}>
                Show device names
              </button>
            </p>
          ) : null}
          {deviceRoles.map(({ role, label, hint }) => {
            const kind = deviceKindFor[role];
            const options = deviceOptions(devices, kind);
            const chosen = prefs[role];
            const effective = resolveDeviceId(chosen, devices, kind);
            const outputUnsupported = kind === 'audiooutput' && sinks === 'none';
            return (
              <label className="field" key={role}>
                <span>{label}</span>
                <select
                  value={effective ?? ''}
                  disabled={outputUnsupported}
                  onChange={(e) =>
                    void saveDevicePrefs({ [role]: e.target.value === '' ? null : e.target.value })
                  }
                >
                  {options.map((o) => (
                    <option key={o.id ?? 'default'} value={o.id ?? ''}>
                      {o.label}
                    </option>
                  ))}
                </select>
                <span className="muted small field-hint">
                  {outputUnsupported
                    ? 'This browser cannot choose an output device; the system default is used.'
                    : chosen !== null && effective === null
                      ? 'Your saved device is not connected; the system default is used until it is back.'
                      : hint}
                </span>
              </label>
            );
          })}
          <button type="button" className="btn" onClick={() => testRingtone()}>
            Test ringtone
          </button>
        </>
      )}
      {error || prefsError ? (
        <p className="form-error" role="alert">
          {error ?? prefsError}
        </p>
      ) : null}
    </Section>
  );
}

// ---- appearance and about ----------------------------------------------------------------

/** The languages the agent speaks; the first is their working language (translations go into it). */
function LanguagesSection() {
  const [text, setText] = useState('');
  const [status, setStatus] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const save = async (): Promise<void> => {
    const languages = text.split(',').map((l) => l.trim()).filter(Boolean);
    try {
      await http.put('/api/me/languages', { languages });
      setStatus({ kind: 'ok', text: `Saved. You work in ${languages[0]}; calls in other languages are translated into it.` });
    } catch (err) {
      setStatus({ kind: 'error', text: err instanceof Error ? err.message : String(err) });
    }
  };
  return (
    <Section title="Languages">
      <label className="field">
        <span>Languages I speak, my working language first (for example en-US, es-ES)</span>
        <input value={text} onChange={(e) => setText(e.target.value)} placeholder="en-US, es-ES" />
      </label>
      <button type="button" className="btn" onClick={() => void save()} disabled={!text.trim()}>
        Save languages
      </button>
      <Status status={status} />
    </Section>
  );
}

function AppearanceSection() {
  const { choice, setChoice } = useTheme();
  return (
    <Section title="Appearance">
      <label className="field">
        <span>Theme</span>
        <select value={choice} onChange={(e) => setChoice(e.target.value as ThemeChoice)}>
          <option value="system">Same as the system</option>
          <option value="light">Light</option>
          <option value="dark">Dark</option>
        </select>
      </label>
    </Section>
  );
}

function AboutSection() {
  const info = useDesktopSettings((s) => s.appInfo);
  if (!info) return null;
  return (
    <Section title="About">
      <dl className="settings-about">
        <dt>Version</dt>
        <dd>
          {info.name} {info.version}
        </dd>
        <dt>Platform</dt>
        <dd>
          {info.platform} ({info.arch})
        </dd>
        <dt>Electron / Chromium</dt>
        <dd>
          {info.electron} / {info.chrome}
        </dd>
        <dt>Backend</dt>
        <dd>{info.backendUrl}</dd>
        <dt>Sign-in storage</dt>
        <dd>
          {info.secureStorageAvailable
            ? 'Encrypted by the operating system'
            : 'No system keychain: you sign in again after each restart'}
        </dd>
      </dl>
    </Section>
  );
}
