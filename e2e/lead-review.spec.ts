// A lead reviews a real call: the team view, drill into the agent, open the session from
// the agent's session list, play the recording (the audio plays and the transcript follows),
// score it on the scorecard and comment on a transcript line; then the agent opens My
// sessions and sees the score and the comment.
import { chromium, expect, test } from '@playwright/test';
import { chromiumPath } from '../playwright.config';
import { adminToken, BASE_ARGS, createUser, handleRecordedCall, signIn } from './support/handled-call';

/** The fields of the page's audio element the test reads (the spec is typed for Node, not the DOM). */
type MediaLike = { duration: number; currentTime: number; pause(): void };

test('a lead reviews and scores a recorded call; the agent sees the score and comment', async ({ baseURL, request }) => {
  test.setTimeout(240_000);
  const token = await adminToken(request, baseURL!);
  const team = `review-${Date.now()}`;
  const agent = await createUser(request, baseURL!, token, { name: 'Erin Agent', role: 'agent', team });
  const lead = await createUser(request, baseURL!, token, { name: 'Lee Lead', role: 'lead', team });

  const call = await handleRecordedCall(baseURL!, agent);
  const leadBrowser = await chromium.launch({ executablePath: chromiumPath, args: [...BASE_ARGS, '--autoplay-policy=no-user-gesture-required'] });
  try {
    const page = await (await leadBrowser.newContext()).newPage();
    await signIn(page, baseURL!, lead.email, lead.password);

    // Team view → the agent's dashboard.
    await page.getByRole('button', { name: 'Team', exact: true }).click();
    const row = page.getByRole('button', { name: agent.name, exact: true });
    await expect(row).toBeVisible({ timeout: 15_000 });
    await row.click();
    await expect(page.getByRole('heading', { level: 1, name: agent.name })).toBeVisible();
    await expect(page.getByRole('list').or(page.locator('.figure-grid')).first()).toBeVisible();
    await expect(page.locator('.figure-grid').first()).toContainText('Calls handled');

    // The agent's sessions → the call.
    await page.getByRole('button', { name: `${agent.name}'s sessions →` }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Sessions' })).toBeVisible();
    const open = page.getByRole('button', { name: /Open session with Dana Reyes/ }).first();
    await expect(open).toBeVisible({ timeout: 15_000 });
    await open.click();
    await expect(page.getByRole('heading', { name: 'Timeline', exact: false })).toBeVisible({ timeout: 15_000 });
    await expect(page.getByRole('heading', { name: 'Handoff brief' })).toBeVisible();
    await expect(page.locator('.tl-list')).toContainText('Escalated to');

    // The recording plays and the transcript follows it. (The spec is typed for Node, so the
    // audio element is described by the fields the test reads.)
    const audio = page.getByLabel('Call recording');
    await expect(audio).toBeVisible({ timeout: 15_000 });
    await expect.poll(() => audio.evaluate((a: MediaLike) => a.duration), { timeout: 15_000 }).toBeGreaterThan(5);
    await page.locator('.rt-line:not(.rt-system) .rt-time').first().click();
    await expect.poll(() => audio.evaluate((a: MediaLike) => a.currentTime), { timeout: 15_000 }).toBeGreaterThan(0.5);
    await expect(page.locator('.rt-active')).toHaveCount(1, { timeout: 15_000 });
    await audio.evaluate((a: MediaLike) => a.pause());

    // Score it on every criterion, then comment on a caller line.
    const form = page.locator('.qa-form');
    await expect(form).toBeVisible({ timeout: 10_000 });
    const selects = form.locator('select');
    const count = await selects.count();
    expect(count).toBeGreaterThan(0);
    for (let i = 0; i < count; i++) {
      const s = selects.nth(i);
      const options = await s.locator('option').allTextContents();
      await s.selectOption(options[options.length - 1]!);
    }
    await form.getByLabel('Overall comment').fill('Clear and friendly, well done.');
    await form.getByRole('button', { name: 'Save score' }).click();
    await expect(page.getByText('Score saved')).toBeVisible({ timeout: 10_000 });
    await expect(page.locator('.qa-score .qa-total')).toContainText('100');

    await page.locator('.rt-caller').first().hover();
    await page.locator('.rt-caller .rt-comment-btn').first().click();
    await page.getByLabel('Comment on this line').fill('Good: you confirmed the order number here.');
    await page.getByRole('button', { name: 'Add comment' }).click();
    await expect(page.locator('.rt-comment')).toContainText('confirmed the order number', { timeout: 10_000 });

    // The agent sees the score and the comment in My sessions.
    const agentPage = call.agentPage;
    await agentPage.getByRole('button', { name: 'My sessions' }).click();
    const mine = agentPage.getByRole('button', { name: /Open session with Dana Reyes/ }).first();
    await expect(mine).toBeVisible({ timeout: 15_000 });
    await mine.click();
    await expect(agentPage.locator('.qa-score .qa-total')).toContainText('100', { timeout: 15_000 });
    await expect(agentPage.getByText('Clear and friendly, well done.')).toBeVisible();
    await expect(agentPage.locator('.rt-comment')).toContainText('confirmed the order number');
    await expect(agentPage.locator('.qa-form')).toHaveCount(0);
  } finally {
    await leadBrowser.close();
    await call.agentBrowser.close();
  }
});
