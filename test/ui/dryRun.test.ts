import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { repoRoot } from '../runners/provision';
import { chooseColorTheme, chooseFromContextMenu, reloadWindow, screenshot, useWorkbench } from './workbench';

const fixtures = path.join(repoRoot, 'test/fixtures/dryrun');

/** The active webview's page: code-server nests it in a second frame. */
const activeWebview = (page: Page) => page.frameLocator('iframe.webview').last().frameLocator('iframe');

describe('Workbench: Dry-Run Pool', function () {
  const workbench = useWorkbench(() => ({ files: Object.fromEntries(fs.readdirSync(fixtures).map((f) => [f, fs.readFileSync(path.join(fixtures, f), 'utf8')])) }));

  it('runs a pool file from the Explorer context menu and shows the report with its charts', async () => {
    const { page, workspace } = workbench();
    await page.keyboard.press('Control+Shift+E');
    const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'birds.pool.json' });
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    await chooseFromContextMenu(page, row, 'Dry-Run Pool…');
    const quickInput = page.locator('.quick-input-widget');
    await quickInput.locator('.monaco-list-row', { hasText: 'Default crowd' }).waitFor({ state: 'visible', timeout: 30_000 });
    await page.keyboard.press('Enter');
    await quickInput.locator('.quick-input-title', { hasText: 'Seed of the simulated crowd' }).waitFor({ state: 'visible', timeout: 30_000 });
    await page.keyboard.type('2');
    await page.keyboard.press('Enter');
    const view = activeWebview(page);
    await view.locator('h1', { hasText: 'Dry-run of Birds, dry-run' }).waitFor({ state: 'visible', timeout: 90_000 });
    const report = JSON.parse(fs.readFileSync(path.join(workspace, 'birds.dry-run.json'), 'utf8')) as { cost: { total: number }; bans: { tolokers: number }; rules: unknown[]; findings: string[] };
    assert.ok(report.bans.tolokers > 0, 'the golden-set rule banned Tolokers');
    // The figures are the JSON report's.
    assert.equal(await view.locator('[data-figure="banned"] .value').innerText(), report.bans.tolokers.toLocaleString('en-US'));
    assert.equal(await view.locator('[data-figure="cost"] .value').innerText(), `$${report.cost.total.toFixed(2)}`);
    await view.locator('td', { hasText: 'USERS_ASSESSMENT #5.1' }).first().waitFor({ state: 'visible', timeout: 10_000 });
    assert.equal(await view.locator('table[data-figure="rules"] tbody tr').count(), report.rules.length);
    assert.equal(await view.locator('.findings li').count(), report.findings.length);
    // uPlot draws the rules fired and the bans per archetype on canvases.
    await view.locator('[data-chart="rules"] .uplot canvas').waitFor({ state: 'visible', timeout: 30_000 });
    await view.locator('[data-chart="bans"] .uplot canvas').waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, 'dry-run-report');
    await view.locator('[data-chart="bans"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'dry-run-report-bans');
    // The training keeps some out: a column and a series of their own.
    await view.locator('table[data-figure="archetypes"] th', { hasText: 'Failed training' }).waitFor({ state: 'visible', timeout: 10_000 });
    // In a light theme the charts and cards take the theme's colours.
    await chooseColorTheme(page, 'Light Modern');
    await view.locator('[data-chart="bans"] .uplot canvas').waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, 'dry-run-report-light');
    await chooseColorTheme(page, 'Dark Modern');
    // The Markdown report stays, one button away, reachable from the keyboard.
    const open = view.getByRole('button', { name: 'Open Markdown Report' });
    await open.focus();
    await page.keyboard.press('Enter');
    const markdown = activeWebview(page);
    await markdown.locator('th, td', { hasText: 'Tolokers banned' }).first().waitFor({ state: 'visible', timeout: 60_000 });
    const md = fs.readFileSync(path.join(workspace, 'birds.dry-run.md'), 'utf8');
    assert.match(md, /## Archetypes/);
  });

  it('comes back after the window reloads, showing the same report', async () => {
    const { page } = workbench();
    const tab = page.locator('.tabs-container .tab', { hasText: 'Dry-run: birds' });
    await tab.waitFor({ state: 'visible', timeout: 30_000 });
    await reloadWindow(page);
    await tab.waitFor({ state: 'visible', timeout: 60_000 });
    await tab.click();
    const view = activeWebview(page);
    await view.locator('h1', { hasText: 'Dry-run of Birds, dry-run' }).waitFor({ state: 'visible', timeout: 60_000 });
    await view.locator('[data-chart="bans"] .uplot canvas').waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, 'dry-run-report-after-reload');
  });
});
