// Verification by the agent in the browser: a caller from a number the CRM does not know asks
// for a person; the agent sees the queue figures on the desk and a locked customer card,
// searches the CRM, links the account, types a wrong answer (told how many attempts are
// left), then the right one — and the customer card opens.
import { chromium, expect, test } from '@playwright/test';
import { chromiumPath } from '../playwright.config';
import { AFTER_GREETING_SECONDS, chromiumMicrophoneArgs, fakeMicrophoneScript } from './fake-microphone';

const BASE_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];
const VIEWPORT = { width: 1280, height: 800 };
const SHOTS = process.env.E2E_SCREENSHOTS;

test('the agent verifies a caller through CRM search and the verification tool', async ({ baseURL, request }) => {
  const admin = await request.post(`${baseURL}/api/auth/login`, { data: { email: 'admin@e2e.test', password: 'e2e-admin-password' } });
  const { token: adminToken } = (await admin.json()) as { token: string };
  const email = `vera-${Date.now()}@e2e.test`;
  const created = await request.post(`${baseURL}/api/users`, {
    headers: { authorization: `Bearer ${adminToken}` },
    data: { email, name: 'Vera Agent', role: 'agent', password: 'agent-e2e-password', skills: ['general', 'orders'] },
  });
  expect(created.status()).toBe(201);

  const callerMic = fakeMicrophoneScript([{ silence: AFTER_GREETING_SECONDS }, { say: 'I want to speak to a person please' }, { silence: 90 }]);
  const agentMic = fakeMicrophoneScript([{ silence: 90 }]);
  const callerBrowser = await chromium.launch({ executablePath: chromiumPath, args: [...BASE_ARGS, ...chromiumMicrophoneArgs(callerMic)] });
  const agentBrowser = await chromium.launch({ executablePath: chromiumPath, args: [...BASE_ARGS, ...chromiumMicrophoneArgs(agentMic)] });
  try {
    const agent = await (await agentBrowser.newContext({ permissions: ['microphone'], viewport: VIEWPORT })).newPage();
    await agent.goto(`${baseURL}/app/`);
    await agent.getByLabel('Email').fill(email);
    await agent.getByLabel('Password').fill('agent-e2e-password');
    await agent.getByRole('button', { name: 'Sign in' }).click();
    await expect(agent.getByLabel('Your status')).toBeEnabled({ timeout: 15_000 });
    // The desk shows the agent's own queues (no billing skill, so no Billing figures).
    const queues = agent.getByRole('region', { name: 'Your queues' });
    await expect(queues).toContainText('General');
    await expect(queues).toContainText('Orders');
    await expect(queues).not.toContainText('Billing');
    await agent.getByLabel('Your status').selectOption('available');
    await expect(queues.locator('.queue-figure', { hasText: 'General' })).toContainText('1 available', { timeout: 5000 });
    if (SHOTS) await agent.screenshot({ path: `${SHOTS}/desk-idle-queues.png` });

    const caller = await (await callerBrowser.newContext({ permissions: ['microphone'] })).newPage();
    await caller.goto(`${baseURL}/call`);
    await caller.getByLabel('Your name').fill('Dana');
    await caller.getByLabel('Your phone number').fill('+15550109977');
    await caller.getByRole('button', { name: 'Call', exact: true }).click();
    await agent.getByRole('button', { name: /Accept/ }).click({ timeout: 45_000 });

    // Locked until verified: search, link, then the caller's answers.
    const verify = agent.getByRole('region', { name: 'Verify the caller' });
    await expect(verify).toContainText('Customer card locked', { timeout: 10_000 });
    await verify.getByLabel('Find the account').fill('dana');
    await verify.getByRole('button', { name: 'Search' }).click();
    const match = verify.getByRole('list', { name: 'Matching accounts' }).getByRole('listitem').filter({ hasText: 'Dana Reyes' });
    await expect(match).toContainText('···0001');
    await expect(verify).not.toContainText('94107');
    await match.getByRole('button', { name: 'Link to this call' }).click();
    await expect(verify).toContainText('Linked: Dana Reyes');
    await expect(agent.getByRole('heading', { name: 'Customer', exact: true })).toHaveCount(0);
    await verify.getByLabel("Caller's answer").fill('10001');
    await verify.getByRole('button', { name: 'Verify' }).click();
    await expect(agent.getByText(/does not match the account\. 1 attempt left/)).toBeVisible({ timeout: 10_000 });
    if (SHOTS) await agent.screenshot({ path: `${SHOTS}/verify-panel.png` });
    await verify.getByLabel("Caller's answer").fill('94107');
    await verify.getByRole('button', { name: 'Verify' }).click();
    await expect(agent.getByRole('heading', { name: 'Customer', exact: true })).toBeVisible({ timeout: 10_000 });
    await expect(verify).toBeHidden();
    await expect(agent.locator('.crm')).toContainText('Dana Reyes', { timeout: 10_000 });
    if (SHOTS) await agent.screenshot({ path: `${SHOTS}/verified-card.png` });
    await agent.getByRole('button', { name: /Hang up/ }).click();
    await expect(agent.getByLabel('Disposition')).toBeVisible({ timeout: 15_000 });
  } finally {
    await callerBrowser.close();
    await agentBrowser.close();
  }
});
