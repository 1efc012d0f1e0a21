import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../runners/provision';
import { chooseFromContextMenu, screenshot, useWorkbench } from './workbench';

const fixtures = path.join(repoRoot, 'test/fixtures/dryrun');

describe('Workbench: Dry-Run Pool', function () {
  const workbench = useWorkbench(() => ({ files: Object.fromEntries(fs.readdirSync(fixtures).map((f) => [f, fs.readFileSync(path.join(fixtures, f), 'utf8')])) }));

  it('runs a pool file from the Explorer context menu and shows the report as Markdown', async () => {
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
    // The Markdown preview: code-server nests a webview's page in a second frame.
    const preview = page.frameLocator('iframe.webview').frameLocator('iframe');
    await preview.locator('h1', { hasText: 'Dry-run of Birds, dry-run' }).waitFor({ state: 'visible', timeout: 90_000 });
    await preview.locator('th, td', { hasText: 'Tolokers banned' }).first().waitFor({ state: 'visible', timeout: 10_000 });
    const report = fs.readFileSync(path.join(workspace, 'birds.dry-run.md'), 'utf8');
    assert.match(report, /## Archetypes/);
    const banned = /\| Tolokers banned \| (\d+) \|/.exec(report)?.[1];
    assert.ok(banned && Number(banned) > 0, 'the report names the bans');
    await preview.locator('td', { hasText: 'USERS_ASSESSMENT #5.1' }).first().waitFor({ state: 'visible', timeout: 10_000 });
    await screenshot(page, 'dry-run-report');
  });
});
