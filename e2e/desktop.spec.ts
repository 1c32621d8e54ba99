// Desktop smoke tests through Playwright's _electron: launch the packaged-layout bundle, check
// the hardening from inside the page, sign in, and receive an offer from a caller in
// Chromium. They need the Electron binary (node_modules/electron/dist); where it is missing
// (this build machine) every test is skipped and the reason is printed.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { _electron as electron, chromium, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { chromiumPath, E2E_PORT } from '../playwright.config';
import { buildDesktop } from '../scripts/build-desktop';
import { AFTER_GREETING_SECONDS, chromiumMicrophoneArgs, fakeMicrophoneWav } from './fake-microphone';

const root = fileURLToPath(new URL('..', import.meta.url));
const electronDist = `${root}node_modules/electron/dist`;
const hasBinary = existsSync(electronDist);
const SKIP_REASON = `Electron binary missing (${electronDist}); desktop smoke tests skipped. Get it with "npx electron --version" on a machine with network access.`;
if (!hasBinary) console.log(`e2e/desktop.spec.ts: ${SKIP_REASON}`);

const backendUrl = `http://127.0.0.1:${E2E_PORT}`;
const ADMIN = { email: 'admin@e2e.test', password: 'e2e-admin-password' };
const AGENT = { email: 'desk-agent@e2e.test', password: 'desk-agent-password', name: 'Desk Agent' };

test.describe('desktop app', () => {
  test.skip(!hasBinary, SKIP_REASON);

  let app: ElectronApplication;
  let page: Page;

  test.beforeAll(async ({ request }) => {
    const login = await request.post(`${backendUrl}/api/auth/login`, { data: ADMIN });
    const { token } = (await login.json()) as { token: string };
    await request.post(`${backendUrl}/api/users`, {
      headers: { authorization: `Bearer ${token}` },
      data: { ...AGENT, role: 'agent', skills: ['general', 'billing', 'technical'] },
    });
    await buildDesktop({ dev: true });
    app = await electron.launch({
      args: [`${root}out/desktop/main.cjs`, '--no-sandbox'],
      env: { ...process.env, SWITCHBOARD_BACKEND_URL: backendUrl, SWITCHBOARD_POLICY_FILE: `${root}.tmp/no-policy.json` },
    });
    page = await app.firstWindow();
  });

  test.afterAll(async () => {
    await app?.close();
  });

  test('launches hardened, from app://, with only the contract exposed', async () => {
    await expect(page).toHaveURL(/^app:\/\/switchboard\/app\//);
    const surface = await page.evaluate(() => ({
      keys: Object.keys((globalThis as unknown as { switchboard: object }).switchboard).sort(),
      serverUrl: (globalThis as unknown as { switchboard: { serverUrl: string } }).switchboard.serverUrl,
      hasRequire: typeof (globalThis as unknown as { require?: unknown }).require !== 'undefined',
      hasProcess: typeof (globalThis as unknown as { process?: unknown }).process !== 'undefined',
    }));
    expect(surface.keys).toEqual(['appInfo', 'audio', 'offers', 'onDeepLink', 'onShortcut', 'openExternal', 'presence', 'serverUrl', 'settings', 'tokens', 'updates']);
    expect(surface.serverUrl).toBe(backendUrl);
    expect(surface.hasRequire).toBe(false);
    expect(surface.hasProcess).toBe(false);
    // getLastWebPreferences is not in Electron's typings but exists at runtime.
    const prefs = await app.evaluate(({ BrowserWindow }) => (BrowserWindow.getAllWindows()[0]!.webContents as unknown as { getLastWebPreferences(): unknown }).getLastWebPreferences());
    expect(prefs).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true });
    // Navigation away is cancelled.
    await page.evaluate(() => void ((globalThis as unknown as { location: { href: string } }).location.href = 'https://example.com/'));
    await page.waitForTimeout(500);
    await expect(page).toHaveURL(/^app:\/\/switchboard\/app\//);
  });

  test('signs in (token kept by the desktop) and receives an offer', async () => {
    await page.getByLabel('Email').fill(AGENT.email);
    await page.getByLabel('Password').fill(AGENT.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('Your status').selectOption('available');
    const stored = await page.evaluate(() => (globalThis as unknown as { switchboard: { tokens: { get(): Promise<string | null> } } }).switchboard.tokens.get());
    expect(stored).toBeTruthy();

    // A caller asks for a person; routing offers the call to our available agent.
    const wav = fakeMicrophoneWav('I want to speak to a person please', { leadSeconds: AFTER_GREETING_SECONDS, tailSeconds: 60 });
    const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', ...chromiumMicrophoneArgs(wav)] });
    try {
      const caller = await (await browser.newContext({ permissions: ['microphone'] })).newPage();
      await caller.goto(`${backendUrl}/call`);
      await caller.getByLabel('Your name').fill('Dana Reyes');
      await caller.getByLabel('Your phone number').fill('+15550100001');
      await caller.getByRole('button', { name: 'Call' }).click();
      await expect(page.getByRole('button', { name: /Accept/ })).toBeVisible({ timeout: 90_000 });
    } finally {
      await browser.close();
    }
  });
});
