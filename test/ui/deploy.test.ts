import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startSandbox, type Sandbox } from '../../src/sandbox/server';
import { repoRoot } from '../runners/provision';
import { screenshot, useWorkbench } from './workbench';

const example = path.join(repoRoot, 'playground', 'pipeline');
const files = Object.fromEntries(fs.readdirSync(example).filter((f) => /\.(skill|project|training|pool)\.json$/.test(f)).map((f) => [f, fs.readFileSync(path.join(example, f), 'utf8')]));

describe('Workbench: deploy from files', function () {
  let sandbox: Sandbox | undefined;
  before(async () => {
    sandbox = await startSandbox({ quotas: false, tolokers: { assignmentsPerSecond: 0 } });
  });
  const workbench = useWorkbench(() => ({ files, settings: { 'toloka.environment': 'local', 'toloka.local.url': sandbox?.origin ?? '' } }));
  after(async () => {
    await sandbox?.stop();
  });

  it('applies a pool file from its CodeLens: the plan beside, one confirmation, the objects created', async () => {
    const { page } = workbench();
    await page.keyboard.press('Control+Shift+E');
    const file = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'animals.pool.json' });
    await file.waitFor({ state: 'visible', timeout: 30_000 });
    await file.dblclick();
    const apply = page.locator('.codelens-decoration a', { hasText: /^Apply$/ });
    await apply.waitFor({ state: 'visible', timeout: 60_000 });
    assert.ok(await page.locator('.codelens-decoration a', { hasText: /^Plan$/ }).isVisible());
    assert.ok(await page.locator('.codelens-decoration a', { hasText: /^Diff$/ }).isVisible());
    await screenshot(page, 'deploy-codelens');
    await apply.click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 60_000 });
    assert.match(await dialog.innerText(), /Apply to Toloka local\? 4 to create, 0 to update/);
    // The plan is open beside the file.
    await page.locator('.tab', { hasText: /Toloka plan \(local\)/ }).first().waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, 'deploy-plan-and-confirmation');
    await dialog.locator('.monaco-button', { hasText: /^Apply$/ }).click();
    await page.locator('.notifications-toasts', { hasText: /Toloka local: 4 created/ }).waitFor({ state: 'visible', timeout: 60_000 });
    assert.equal(sandbox?.state.projects.size, 1);
    assert.equal(sandbox?.state.skills.size, 1);
    assert.equal([...(sandbox?.state.pools.values() ?? [])].length, 2);
    // Applied here: the pool file now has a Dashboard lens.
    await page.locator('.codelens-decoration a', { hasText: /^Dashboard$/ }).waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, 'deploy-applied');
  });
});
