// The lead and admin screens at 1280×800: the users screen searches and picks teams from a
// list; the wallboard filters agents by team; the Team table fits its card.
import { chromium, expect, test } from '@playwright/test';
import { chromiumPath } from '../playwright.config';
import { ADMIN, adminToken, BASE_ARGS, createUser, signIn } from './support/handled-call';

const SHOTS = process.env.E2E_SCREENSHOTS;

test('users search and team list, wallboard team filter, Team table within its box', async ({ baseURL, request }) => {
  const token = await adminToken(request, baseURL!);
  const stamp = Date.now();
  const north = `north-${stamp}`;
  const south = `south-${stamp}`;
  await createUser(request, baseURL!, token, { name: 'Nora North', role: 'agent', team: north });
  await createUser(request, baseURL!, token, { name: 'Nils North', role: 'agent', team: north });
  await createUser(request, baseURL!, token, { name: 'Sami South', role: 'agent', team: south });
  const browser = await chromium.launch({ executablePath: chromiumPath, args: BASE_ARGS });
  try {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await signIn(page, baseURL!, ADMIN.email, ADMIN.password);

    // Users: search narrows the list; the team is chosen from the teams in use.
    await page.getByRole('button', { name: 'Users', exact: true }).click();
    const table = page.locator('.users-table');
    await expect(table).toContainText('Sami South', { timeout: 15_000 });
    await page.getByRole('searchbox').fill(south);
    await expect(table).toContainText('Sami South');
    await expect(table).not.toContainText('Nora North');
    const createTeam = page.locator('form').filter({ has: page.getByRole('button', { name: /Create/ }) }).getByLabel('Team', { exact: true });
    await expect(createTeam.locator('option', { hasText: north })).toHaveCount(1);
    await expect(createTeam.locator('option', { hasText: 'New team…' })).toHaveCount(1);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/users-search.png` });

    // Wallboard: the team filter keeps only that team's agents.
    await page.getByRole('button', { name: 'Wallboard', exact: true }).click();
    const agents = page.getByRole('region', { name: /Agents by presence/ });
    await expect(agents).toContainText('Sami South', { timeout: 15_000 });
    await page.getByLabel('Team', { exact: true }).selectOption(north);
    await expect(agents).toContainText('Nora North');
    await expect(agents).toContainText('Nils North');
    await expect(agents).not.toContainText('Sami South');
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/wallboard-team.png` });

    // Team: the table fits its card (no column cut off or scrolled away) at 1280 px.
    await page.getByRole('button', { name: 'Team', exact: true }).click();
    await page.getByLabel('Team', { exact: true }).selectOption(north);
    const teamTable = page.locator('.team-table');
    await expect(teamTable).toContainText('Nora North', { timeout: 15_000 });
    const fits = await page.locator('.team-table').evaluate((el) => {
      const card = (el as unknown as { closest(s: string): { getBoundingClientRect(): { right: number } } }).closest('.card');
      return { table: (el as unknown as { getBoundingClientRect(): { right: number } }).getBoundingClientRect().right, card: card.getBoundingClientRect().right };
    });
    expect(fits.table).toBeLessThanOrEqual(fits.card);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/team-table.png` });
  } finally {
    await browser.close();
  }
});
