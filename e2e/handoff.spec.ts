// The whole escalation in two browsers: a caller on the call page (a recorded request as the
// microphone) asks for a person; an agent signed in to the agent app receives the offer,
// accepts, sees the brief and the AI part of the transcript, hears the caller's next words
// appear live with a suggestion, hangs up and submits wrap-up. The session log read through
// the API shows every step in order.
import { chromium, expect, test } from '@playwright/test';
import { chromiumPath } from '../playwright.config';
import { AFTER_GREETING_SECONDS, chromiumMicrophoneArgs, fakeMicrophoneScript } from './fake-microphone';

const BASE_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

test('a caller reaches a person: offer, brief, live transcript, suggestion, wrap-up', async ({ baseURL, request }) => {
  // Admin creates the agent.
  const admin = await request.post(`${baseURL}/api/auth/login`, { data: { email: 'admin@e2e.test', password: 'e2e-admin-password' } });
  const { token: adminToken } = (await admin.json()) as { token: string };
  const email = `agent-${Date.now()}@e2e.test`;
  const created = await request.post(`${baseURL}/api/users`, {
    headers: { authorization: `Bearer ${adminToken}` },
    data: { email, name: 'Erin Agent', role: 'agent', password: 'agent-e2e-password', skills: ['general', 'orders', 'billing'] },
  });
  expect(created.status()).toBe(201);

  const callerMic = fakeMicrophoneScript([
    { silence: AFTER_GREETING_SECONDS },
    { say: 'I want to speak to a person please' },
    { silence: 14 },
    { say: 'my order has not arrived yet' },
    { silence: 60 },
  ]);
  const agentMic = fakeMicrophoneScript([{ silence: 90 }]);
  const callerBrowser = await chromium.launch({ executablePath: chromiumPath, args: [...BASE_ARGS, ...chromiumMicrophoneArgs(callerMic)] });
  const agentBrowser = await chromium.launch({ executablePath: chromiumPath, args: [...BASE_ARGS, ...chromiumMicrophoneArgs(agentMic)] });
  try {
    // The agent signs in and becomes available.
    const agent = await (await agentBrowser.newContext({ permissions: ['microphone'] })).newPage();
    await agent.goto(`${baseURL}/app/`);
    await agent.getByLabel('Email').fill(email);
    await agent.getByLabel('Password').fill('agent-e2e-password');
    await agent.getByRole('button', { name: 'Sign in' }).click();
    const status = agent.getByLabel('Your status');
    await expect(status).toBeEnabled({ timeout: 15_000 });
    await status.selectOption('available');

    // The caller calls and asks for a person after the greeting.
    const caller = await (await callerBrowser.newContext({ permissions: ['microphone'] })).newPage();
    await caller.goto(`${baseURL}/call`);
    await caller.getByLabel('Your name').fill('Dana Reyes');
    await caller.getByLabel('Your phone number').fill('+15550100001');
    await caller.getByRole('button', { name: 'Call', exact: true }).click();

    // The offer rings in the agent app; the agent accepts.
    const accept = agent.getByRole('button', { name: /Accept/ });
    await expect(accept).toBeVisible({ timeout: 45_000 });
    await expect(agent.getByText(/asked for a person|caller request|Caller asked/i).first()).toBeVisible();
    await accept.click();

    // The brief, and the AI part of the call in the transcript.
    await expect(agent.getByText('Handoff brief')).toBeVisible({ timeout: 10_000 });
    const transcript = agent.getByRole('log').first();
    await expect(transcript).toContainText('automated assistant', { timeout: 10_000 });
    // The caller page follows the call: connected to the agent, by first name only.
    await expect(caller.getByRole('status')).toContainText('Connected to Erin', { timeout: 10_000 });

    // The caller's next words appear live, with a suggestion.
    await expect(transcript).toContainText(/order/i, { timeout: 40_000 });
    await expect(agent.getByRole('button', { name: 'Mark as used' }).first()).toBeVisible({ timeout: 15_000 });
    await agent.getByRole('button', { name: 'Mark as used' }).first().click();

    // The agent pauses the recording (a caller about to read a card number) and resumes it.
    await agent.getByRole('button', { name: 'Pause recording' }).click();
    await expect(agent.getByRole('button', { name: 'Resume recording' })).toHaveAttribute('aria-pressed', 'true', { timeout: 10_000 });
    await expect(agent.locator('.controls-status')).toContainText('Recording paused.');
    await expect(transcript).toContainText('Recording paused', { timeout: 10_000 });
    await agent.getByRole('button', { name: 'Resume recording' }).click();
    await expect(agent.getByRole('button', { name: 'Pause recording' })).toHaveAttribute('aria-pressed', 'false', { timeout: 10_000 });
    await expect(transcript).toContainText('Recording resumed', { timeout: 10_000 });

    // Hang up and wrap up with the AI-drafted summary.
    await agent.getByRole('button', { name: /Hang up/ }).click();
    await expect(caller.getByRole('status')).toContainText('Call ended', { timeout: 15_000 });
    const disposition = agent.getByLabel('Disposition');
    await expect(disposition).toBeVisible({ timeout: 15_000 });
    await disposition.selectOption('resolved');
    await expect(agent.getByLabel(/Notes/)).not.toHaveValue('', { timeout: 10_000 });
    await agent.getByRole('button', { name: /Submit/ }).click();
    await expect(disposition).toBeHidden({ timeout: 10_000 });

    // The session log shows every step in order.
    const sessionId = await caller.evaluate(() => (globalThis as unknown as { __switchboardCall?: { sessionId: string | null } }).__switchboardCall?.sessionId ?? null);
    const sessions = await request.get(`${baseURL}/api/sessions?limit=5`, { headers: { authorization: `Bearer ${adminToken}` } });
    const latest = ((await sessions.json()) as { sessions: Array<{ id: string }> }).sessions[0]!.id;
    const detail = await request.get(`${baseURL}/api/sessions/${sessionId ?? latest}`, { headers: { authorization: `Bearer ${adminToken}` } });
    const session = (await detail.json()) as { state: string; events: Array<{ type: string; seq: number }> };
    const types = session.events.map((e) => e.type);
    const steps = ['session.started', 'ai.said', 'call.escalated', 'queue.entered', 'offer.sent', 'agent.accepted', 'transcript.final', 'suggestion.shown', 'suggestion.used', 'recording.paused', 'recording.resumed', 'wrapup.started', 'wrapup.submitted', 'session.ended'];
    let at = -1;
    for (const step of steps) {
      const next = types.indexOf(step, at + 1);
      expect(next, `${step} after ${types[at] ?? 'start'}`).toBeGreaterThan(at);
      at = next;
    }
    expect(session.events.map((e) => e.seq)).toEqual(session.events.map((_, i) => i + 1));
    expect(session.state).toBe('ended');
  } finally {
    await callerBrowser.close();
    await agentBrowser.close();
  }
});
