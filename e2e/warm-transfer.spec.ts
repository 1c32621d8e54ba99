// Warm transfer between two agents, in three browsers: a caller on the call page asks for a
// person; Erin takes the call, opens the transfer picker (it starts at the call's queue and
// shows who is free), consults Finn — who declines, and the call stays with Erin with a
// notice — consults again, Finn answers, all three join a conference, Erin completes the
// transfer and wraps up her part while the caller, now "Connected to Finn", stays on the line.
import { chromium, expect, test, type Browser, type Page } from '@playwright/test';
import { chromiumPath } from '../playwright.config';
import { AFTER_GREETING_SECONDS, chromiumMicrophoneArgs, fakeMicrophoneScript } from './fake-microphone';

const BASE_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];
const VIEWPORT = { width: 1280, height: 800 };
const SHOTS = process.env.E2E_SCREENSHOTS;

async function signIn(browser: Browser, baseURL: string, email: string): Promise<Page> {
  const page = await (await browser.newContext({ permissions: ['microphone'], viewport: VIEWPORT })).newPage();
  await page.goto(`${baseURL}/app/`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('agent-e2e-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByLabel('Your status')).toBeEnabled({ timeout: 15_000 });
  return page;
}

async function shot(page: Page, name: string): Promise<void> {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png` });
}

test('warm transfer: consult, decline, consult again, conference, complete', async ({ baseURL, request }) => {
  const admin = await request.post(`${baseURL}/api/auth/login`, { data: { email: 'admin@e2e.test', password: 'e2e-admin-password' } });
  const { token: adminToken } = (await admin.json()) as { token: string };
  const stamp = Date.now();
  const erinEmail = `erin-${stamp}@e2e.test`;
  const finnEmail = `finn-${stamp}@e2e.test`;
  for (const [email, name] of [[erinEmail, 'Erin Agent'], [finnEmail, 'Finn Fischer']] as const) {
    const created = await request.post(`${baseURL}/api/users`, {
      headers: { authorization: `Bearer ${adminToken}` },
      data: { email, name, role: 'agent', password: 'agent-e2e-password', skills: ['general', 'orders', 'billing'] },
    });
    expect(created.status()).toBe(201);
  }

  const callerMic = fakeMicrophoneScript([{ silence: AFTER_GREETING_SECONDS }, { say: 'I want to speak to a person please' }, { silence: 120 }]);
  const quietMic = fakeMicrophoneScript([{ silence: 120 }]);
  const callerBrowser = await chromium.launch({ executablePath: chromiumPath, args: [...BASE_ARGS, ...chromiumMicrophoneArgs(callerMic)] });
  const erinBrowser = await chromium.launch({ executablePath: chromiumPath, args: [...BASE_ARGS, ...chromiumMicrophoneArgs(quietMic)] });
  const finnBrowser = await chromium.launch({ executablePath: chromiumPath, args: [...BASE_ARGS, ...chromiumMicrophoneArgs(quietMic)] });
  try {
    const erin = await signIn(erinBrowser, baseURL!, erinEmail);
    const finn = await signIn(finnBrowser, baseURL!, finnEmail);
    await erin.getByLabel('Your status').selectOption('available');

    const caller = await (await callerBrowser.newContext({ permissions: ['microphone'], viewport: VIEWPORT })).newPage();
    await caller.goto(`${baseURL}/call`);
    await caller.getByLabel('Your name').fill('Dana Reyes');
    await caller.getByLabel('Your phone number').fill('+15550100041');
    await caller.getByRole('button', { name: 'Call', exact: true }).click();

    await erin.getByRole('button', { name: /Accept/ }).click({ timeout: 45_000 });
    await expect(erin.getByText('Handoff brief')).toBeVisible({ timeout: 10_000 });
    await expect(caller.getByRole('status')).toContainText('Connected to Erin', { timeout: 10_000 });
    await finn.getByLabel('Your status').selectOption('available');

    // The picker: consult first by default, the call's own queue preselected, who is free shown.
    await erin.getByRole('button', { name: 'Transfer…' }).click();
    const form = erin.getByRole('form', { name: 'Transfer the call' });
    await expect(form.getByLabel('Consult first')).toBeChecked();
    await expect(form.getByLabel('Queue', { exact: true })).toHaveValue('general');
    await expect(form.getByLabel('Queue', { exact: true }).locator('option:checked')).toContainText('(this call)');
    await form.getByLabel('An agent').check();
    await expect(form.getByLabel('Agent', { exact: true }).locator('option', { hasText: 'Finn Fischer — available' })).toHaveCount(1, { timeout: 10_000 });
    await form.getByLabel('Agent', { exact: true }).selectOption({ label: 'Finn Fischer — available' });
    await shot(erin, 'transfer-picker');
    await form.getByRole('button', { name: 'Consult' }).click();

    // Finn declines: the call stays with Erin, with a notice, and the caller is still connected.
    await expect(finn.getByRole('heading', { name: /Erin Agent wants to consult you/ })).toBeVisible({ timeout: 10_000 });
    await expect(erin.getByRole('region', { name: 'Consultation' })).toContainText('Calling Finn Fischer');
    await shot(finn, 'consult-offer');
    await finn.getByRole('button', { name: /Decline/ }).click();
    await expect(erin.getByText(/Finn Fischer declined the consultation/)).toBeVisible({ timeout: 10_000 });
    await expect(erin.getByRole('region', { name: 'Consultation' })).toBeHidden();
    await expect(erin.getByRole('button', { name: /Hang up/ })).toBeEnabled();
    await expect(caller.getByRole('status')).toContainText('Connected to Erin');

    // Again: Finn answers; both see the consultation; the caller holds.
    await finn.getByLabel('Your status').selectOption('available');
    await erin.getByRole('button', { name: 'Transfer…' }).click();
    await form.getByLabel('An agent').check();
    await expect(form.getByLabel('Agent', { exact: true }).locator('option', { hasText: 'Finn Fischer — available' })).toHaveCount(1, { timeout: 10_000 });
    await form.getByLabel('Agent', { exact: true }).selectOption({ label: 'Finn Fischer — available' });
    await form.getByRole('button', { name: 'Consult' }).click();
    await finn.getByRole('button', { name: /Accept/ }).click({ timeout: 10_000 });
    await expect(erin.getByRole('region', { name: 'Consultation' })).toContainText('Talking with Finn Fischer', { timeout: 10_000 });
    await expect(finn.getByRole('region', { name: 'Consultation' })).toContainText('Erin Agent is consulting you');
    await expect(finn.getByText('Handoff brief')).toBeVisible();
    await shot(erin, 'consult-talking');

    // A conference: all three hear each other.
    await erin.getByRole('button', { name: 'Conference all three' }).click();
    await expect(erin.getByRole('region', { name: 'Consultation' })).toContainText('Conference: you, Finn Fischer and the caller', { timeout: 10_000 });
    await expect(finn.getByRole('region', { name: 'Consultation' })).toContainText('Conference with Erin Agent and the caller');
    await shot(finn, 'conference');

    // Erin completes: Finn has the caller, Erin wraps up her part.
    await erin.getByRole('button', { name: 'Complete transfer' }).click();
    await expect(erin.getByLabel('Disposition')).toBeVisible({ timeout: 10_000 });
    await expect(finn.getByRole('region', { name: 'Consultation' })).toBeHidden({ timeout: 10_000 });
    await expect(finn.getByText(/You have the caller now/)).toBeVisible();
    await expect(finn.getByRole('button', { name: /Hang up/ })).toBeEnabled();
    await expect(caller.getByRole('status')).toContainText('Connected to Finn', { timeout: 10_000 });
    await shot(finn, 'after-complete');
    await erin.getByLabel('Disposition').selectOption('transferred');
    await erin.getByRole('button', { name: /Submit/ }).click();
    await expect(erin.getByLabel('Disposition')).toBeHidden({ timeout: 10_000 });
    await expect(caller.getByRole('status')).toContainText('Connected to Finn');

    await finn.getByRole('button', { name: /Hang up/ }).click();
    await expect(caller.getByRole('status')).toContainText('Call ended', { timeout: 15_000 });

    const sessionId = await caller.evaluate(() => (globalThis as unknown as { __switchboardCall?: { sessionId: string | null } }).__switchboardCall?.sessionId ?? null);
    const detail = await request.get(`${baseURL}/api/sessions/${sessionId}`, { headers: { authorization: `Bearer ${adminToken}` } });
    const session = (await detail.json()) as { events: Array<{ type: string; seq: number; data: Record<string, unknown> }> };
    const steps = session.events.filter((e) => e.type.startsWith('consult.') || e.type === 'conference.started').map((e) => (e.type === 'consult.ended' ? `${e.type}:${String(e.data.outcome)}` : e.type));
    expect(steps).toEqual(['consult.requested', 'consult.ended:declined', 'consult.requested', 'consult.accepted', 'conference.started', 'consult.completed']);
    expect(session.events.map((e) => e.seq)).toEqual(session.events.map((_, i) => i + 1));
  } finally {
    await callerBrowser.close();
    await erinBrowser.close();
    await finnBrowser.close();
  }
});
