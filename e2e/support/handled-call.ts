// A finished, recorded call handled by a human agent, for browser tests that need one: a
// caller on the call page (a synthesized voice as the microphone) asks for a person, the
// agent (signed in to the agent app in its own browser) accepts, both talk a little, the
// agent hangs up and submits wrap-up. Returns the session id and the agent's open page so a
// test can go on as that agent. The caller's browser is closed before returning.
import { chromium, expect, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { chromiumPath } from '../../playwright.config';
import { AFTER_GREETING_SECONDS, chromiumMicrophoneArgs, fakeMicrophoneScript } from '../fake-microphone';

export const BASE_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

export const ADMIN = { email: 'admin@e2e.test', password: 'e2e-admin-password' };

export async function adminToken(request: APIRequestContext, baseURL: string): Promise<string> {
  const res = await request.post(`${baseURL}/api/auth/login`, { data: ADMIN });
  expect(res.ok()).toBe(true);
  return ((await res.json()) as { token: string }).token;
}

export interface NewUser {
  id: string;
  email: string;
  password: string;
  name: string;
}

/** Creates a user through the admin API (a unique email per call). */
export async function createUser(
  request: APIRequestContext,
  baseURL: string,
  token: string,
  user: { name: string; role: 'agent' | 'lead' | 'admin'; team?: string; password?: string },
): Promise<NewUser> {
  const email = `${user.role}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@e2e.test`;
  const password = user.password ?? `${user.role}-e2e-password`;
  const res = await request.post(`${baseURL}/api/users`, {
    headers: { authorization: `Bearer ${token}` },
    data: { email, name: user.name, role: user.role, password, team: user.team ?? 'default', skills: ['general', 'orders', 'billing'] },
  });
  expect(res.status()).toBe(201);
  const created = (await res.json()) as { id: string };
  return { id: created.id, email, password, name: user.name };
}

export async function signIn(page: Page, baseURL: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseURL}/app/`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export interface HandledCall {
  sessionId: string;
  agentBrowser: Browser;
  agentPage: Page;
}

/** Runs the whole escalation to a finished wrap-up. The caller hangs on the line until the agent ends the call. */
export async function handleRecordedCall(baseURL: string, agent: NewUser): Promise<HandledCall> {
  const callerMic = fakeMicrophoneScript([
    { silence: AFTER_GREETING_SECONDS },
    { say: 'I want to speak to a person please' },
    { silence: 14 },
    { say: 'my order has not arrived yet' },
    { silence: 60 },
  ]);
  const agentMic = fakeMicrophoneScript([{ silence: 4 }, { say: 'Hello, I can help you with your order' }, { silence: 90 }]);
  const callerBrowser = await chromium.launch({ executablePath: chromiumPath, args: [...BASE_ARGS, ...chromiumMicrophoneArgs(callerMic)] });
  const agentBrowser = await chromium.launch({ executablePath: chromiumPath, args: [...BASE_ARGS, ...chromiumMicrophoneArgs(agentMic)] });
  try {
    const agentPage = await (await agentBrowser.newContext({ permissions: ['microphone'] })).newPage();
    await signIn(agentPage, baseURL, agent.email, agent.password);
    const status = agentPage.getByLabel('Your status');
    await expect(status).toBeEnabled({ timeout: 15_000 });
    await status.selectOption('available');

    const caller = await (await callerBrowser.newContext({ permissions: ['microphone'] })).newPage();
    await caller.goto(`${baseURL}/call`);
    await caller.getByLabel('Your name').fill('Dana Reyes');
    await caller.getByLabel('Your phone number').fill('+15550100001');
    await caller.getByRole('button', { name: 'Call', exact: true }).click();

    const accept = agentPage.getByRole('button', { name: /Accept/ });
    await expect(accept).toBeVisible({ timeout: 45_000 });
    await accept.click();
    await expect(agentPage.getByText('Handoff brief')).toBeVisible({ timeout: 10_000 });
    await expect(caller.getByRole('status')).toContainText(/Connected/);

    // Let both sides speak: the caller's second line reaches the transcript.
    const transcript = agentPage.getByRole('log').first();
    await expect(transcript).toContainText(/order/i, { timeout: 40_000 });

    await agentPage.getByRole('button', { name: /Hang up/ }).click();
    await expect(caller.getByRole('status')).toContainText('Call ended', { timeout: 15_000 });
    const disposition = agentPage.getByLabel('Disposition');
    await expect(disposition).toBeVisible({ timeout: 15_000 });
    await disposition.selectOption('resolved');
    await expect(agentPage.getByLabel(/Notes/)).not.toHaveValue('', { timeout: 10_000 });
    await agentPage.getByRole('button', { name: /Submit/ }).click();
    await expect(disposition).toBeHidden({ timeout: 10_000 });

    const sessionId = await caller.evaluate(
      () => (globalThis as unknown as { __switchboardCall?: { sessionId: string | null } }).__switchboardCall?.sessionId ?? null,
    );
    expect(sessionId, 'the call page exposes its session id').toBeTruthy();
    return { sessionId: sessionId!, agentBrowser, agentPage };
  } catch (err) {
    await agentBrowser.close();
    throw err;
  } finally {
    await callerBrowser.close();
  }
}
