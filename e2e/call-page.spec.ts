// A caller in Chromium, with a recorded request as the microphone, calls through /call: the
// AI greeting arrives and plays (its marks come back), the request is transcribed, and the
// AI answers by putting the caller in the queue for a person.
import { chromium, expect, test } from '@playwright/test';
import { chromiumPath } from '../playwright.config';
import { AFTER_GREETING_SECONDS, chromiumMicrophoneArgs, fakeMicrophoneWav } from './fake-microphone';

test('a caller talks to the AI from the call page and asks for a person', async ({ baseURL }) => {
  // The greeting takes about 8 s to play; the caller speaks after it, then stays quiet.
  const wav = fakeMicrophoneWav('I want to speak to a person please', { leadSeconds: AFTER_GREETING_SECONDS, tailSeconds: 40 });
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', ...chromiumMicrophoneArgs(wav)],
  });
  try {
    const context = await browser.newContext({ permissions: ['microphone'], viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${baseURL}/call`);
    await page.getByLabel('Your name').fill('Dana Reyes');
    await page.getByLabel('Your phone number').fill('+15550100001');
    await page.getByRole('button', { name: 'Call', exact: true }).click();
    await expect(page.getByRole('status')).toContainText('Connected', { timeout: 15_000 });

    // Captions appear only after the page echoes a mark, i.e. after the greeting audio played.
    const captions = page.locator('#captions li');
    await expect(captions.filter({ hasText: 'automated assistant' })).toHaveCount(1, { timeout: 30_000 });
    // On a laptop screen the captions are in view without scrolling.
    await expect(captions.first()).toBeInViewport();

    // The recorded request is recognized and the AI answers it.
    await expect(page.locator('#captions li.caller')).toContainText(/person|speak/i, { timeout: 40_000 });
    await expect(captions.filter({ hasText: /connecting you with a person/i })).toHaveCount(1, { timeout: 20_000 });
    await expect(page.getByRole('status')).toContainText('In the queue — waiting for a person', { timeout: 20_000 });

    // The session log agrees: transcript, escalation to the human queue.
    const sessionId = await page.evaluate(() => (globalThis as unknown as { __switchboardCall?: { sessionId: string | null } }).__switchboardCall?.sessionId);
    expect(sessionId).toBeTruthy();
    const login = await page.request.post(`${baseURL}/api/auth/login`, { data: { email: 'admin@e2e.test', password: 'e2e-admin-password' } });
    const { token } = (await login.json()) as { token: string };
    const session = await page.request.get(`${baseURL}/api/sessions/${sessionId}`, { headers: { authorization: `Bearer ${token}` } });
    const detail = (await session.json()) as { state: string; escalationReason: string; events: Array<{ type: string }> };
    expect(detail.state).toBe('queued');
    expect(detail.escalationReason).toBe('caller_request');
    expect(detail.events.map((e) => e.type)).toEqual(expect.arrayContaining(['transcript.final', 'call.escalated']));

    await page.getByRole('button', { name: 'Hang up' }).click();
    await expect(page.getByRole('status')).toContainText('Call ended', { timeout: 10_000 });
  } finally {
    await browser.close();
  }
});
