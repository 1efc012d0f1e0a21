import * as assert from 'node:assert/strict';
import type { FrameLocator, Page } from 'playwright-core';
import { useDemo } from './demo';
import { chooseColorTheme, chooseFromContextMenu, reloadWindow, screenshot, showTolokaView } from './workbench';

const POOL = 'Animals, batch 1 (done)';

/** The dashboard's document: code-server nests a webview's page in a second frame. */
function dashboard(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview').frameLocator('iframe');
}

async function until(what: string, test: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('Workbench: the pool dashboard', function () {
  const demo = useDemo({ 'workbench.colorTheme': 'Default Dark Modern' });
  const workbench = () => demo.workbench();
  const record = () => {
    const pool = [...demo.sandbox().state.pools.values()].find((p) => p.api.private_name === POOL);
    if (!pool) throw new Error(`the demo has no pool "${POOL}"`);
    return pool;
  };

  it("opens from a pool's context menu with its figures and chart, in the dark theme and the light one", async () => {
    const { page } = workbench();
    const project = page.locator('.monaco-list-row', { hasText: 'Which animal is in the picture?' });
    await showTolokaView(page);
    await project.waitFor({ state: 'visible', timeout: 30_000 });
    const row = page.locator('.monaco-list-row', { hasText: POOL });
    if (!(await row.isVisible())) await project.click();
    await chooseFromContextMenu(page, row, 'Open Pool Dashboard');

    const view = dashboard(page);
    await view.locator('h1', { hasText: POOL }).waitFor({ state: 'visible', timeout: 60_000 });
    const submitted = record().data.assignments.filter((a) => a.submitted).length;
    assert.ok(submitted > 0, 'the demo pool has answers');
    // The Tolokers table appears once the assignments are read: one row per Toloker who answered.
    const workers = new Set(record().data.assignments.filter((a) => a.submitted).map((a) => a.user_id));
    await view.locator('table.tolokers tbody tr').first().waitFor({ state: 'visible', timeout: 60_000 });
    assert.equal(await view.locator('table.tolokers tbody tr').count(), Math.min(workers.size, 500));
    assert.match(await view.locator('.status').innerText(), /closed/);
    assert.match(await view.locator('.toolbar').innerText(), /Not refreshing: the pool is not open/);
    const accepted = record().data.assignments.filter((a) => a.status === 'ACCEPTED').length;
    assert.match(await view.locator('.card', { hasText: 'Assignments' }).innerText(), new RegExp(`${accepted.toLocaleString('en-US')} accepted`));
    // uPlot draws the submissions on a canvas.
    await view.locator('.chart .uplot canvas').waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, 'dashboard-dark');

    // Readable in the light theme too: the colours follow the theme's variables.
    const background = () => view.locator('body').evaluate((b) => getComputedStyle(b).backgroundColor);
    const dark = await background();
    const sum = async () => ((await background()).match(/\d+/g) ?? []).slice(0, 3).reduce((n, c) => n + Number(c), 0);
    assert.ok((await sum()) < 200, `a dark background, not ${dark}`);
    await chooseColorTheme(page, 'Light Modern');
    await until('the dashboard to take the light theme', async () => (await background()) !== dark);
    assert.ok((await sum()) > 600, `a light background, not ${await background()}`);
    await screenshot(page, 'dashboard-light');

    // And in high contrast: black, with the theme's contrast borders on the cards.
    const light = await background();
    await chooseColorTheme(page, 'Dark High Contrast');
    await until('the dashboard to take the high-contrast theme', async () => (await background()) !== light);
    assert.equal(await sum(), 0, `a black background, not ${await background()}`);
    const contrast = await view.locator('body').evaluate((b) => getComputedStyle(b).getPropertyValue('--vscode-contrastBorder').trim());
    assert.ok(contrast, 'the high-contrast theme gives the webview its contrast border colour');
    const border = await view.locator('.card').first().evaluate((c) => getComputedStyle(c).borderTopColor);
    assert.notEqual(border, 'rgba(0, 0, 0, 0)', 'cards are outlined in high contrast');
    const text = await view.locator('h1').evaluate((h) => getComputedStyle(h).color);
    assert.equal(text, 'rgb(255, 255, 255)', 'white text on black');
    await screenshot(page, 'dashboard-high-contrast');
  });

  it('bans a Toloker from the table, asking how long, why, and to confirm', async () => {
    const { page } = workbench();
    const view = dashboard(page);
    const first = view.locator('table.tolokers tbody tr').first();
    await first.waitFor({ state: 'visible', timeout: 30_000 });
    const workerId = (await first.locator('td.who').getAttribute('title')) ?? '';
    assert.ok(workerId, 'the row names its Toloker');
    // Where the Toloker is from, as /user-metadata says.
    const meta = (await (await fetch(`${demo.sandbox().apiRoot}/v1/user-metadata/${workerId}`, { headers: { Authorization: 'OAuth x' } })).json()) as { country?: string; languages?: string[] };
    await until('the Toloker\'s country and languages', async () => (await first.locator('.profile').count()) > 0);
    assert.equal(await first.locator('.profile').innerText(), [meta.country, meta.languages?.join(', ')].filter(Boolean).join(' · '));
    await first.getByRole('button', { name: 'Ban' }).click();

    const quickPick = page.locator('.quick-input-widget');
    await quickPick.locator('.monaco-list-row', { hasText: 'For a week' }).waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await quickPick.innerText(), new RegExp(`Ban Toloker ${workerId}`));
    await quickPick.locator('input').fill('For a week');
    await page.keyboard.press('Enter');
    await until('the comment box', async () => /a private comment/.test(await quickPick.innerText()));
    await quickPick.locator('input').fill('Too fast on the golden tasks');
    await page.keyboard.press('Enter');

    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await dialog.innerText(), new RegExp(`Ban Toloker ${workerId} from pool \\d+ for 7 day\\(s\\)\\?`));
    await dialog.getByRole('button', { name: 'Ban' }).click();

    const poolId = record().api.id;
    await until('the restriction on the server', async () => [...demo.sandbox().state.restrictions.values()].some((x) => x.user_id === workerId && x.pool_id === poolId));
    const ban = [...demo.sandbox().state.restrictions.values()].find((x) => x.user_id === workerId && x.pool_id === poolId);
    assert.equal(ban?.scope, 'POOL');
    assert.equal(ban?.private_comment, 'Too fast on the golden tasks');
    assert.ok(ban?.will_expire, 'a week-long ban expires');
    // The row now says so, and offers Unban instead.
    const who = view.locator(`td.who[title="${workerId}"]`);
    await who.locator('.badge', { hasText: 'banned' }).waitFor({ state: 'visible', timeout: 30_000 });
    assert.equal(await view.locator('tr', { has: who }).getByRole('button', { name: 'Unban' }).count(), 1);
    await screenshot(page, 'dashboard-banned');
  });

  it('comes back after the window reloads, showing the same pool', async () => {
    const { page } = workbench();
    await reloadWindow(page);
    const view = dashboard(page);
    await view.locator('h1', { hasText: POOL }).waitFor({ state: 'visible', timeout: 60_000 });
    await view.locator('table.tolokers tbody tr').first().waitFor({ state: 'visible', timeout: 60_000 });
    assert.match(await page.locator('.tabs-container .tab.active').innerText(), new RegExp(`Pool: ${POOL.replace(/[()]/g, '\\$&')}`));
    await screenshot(page, 'dashboard-after-reload');
  });
});
