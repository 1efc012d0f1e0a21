import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { useDemo } from './demo';
import { chooseFromContextMenu, screenshot, showTolokaView } from './workbench';

/** Opens the Toloka side bar and expands the demo project, unless that is already on screen. */
async function showDemoPools(page: Page): Promise<void> {
  const poolRow = page.locator('.monaco-list-row', { hasText: 'Animals, batch 2' });
  if (await poolRow.isVisible()) return;
  await showTolokaView(page);
  const project = page.locator('.monaco-list-row', { hasText: 'Which animal is in the picture?' });
  await project.waitFor({ state: 'visible', timeout: 30_000 });
  await project.click();
  await poolRow.waitFor({ state: 'visible', timeout: 30_000 });
}

describe('Workbench: the Toloka explorer', function () {
  const demo = useDemo();

  it('lists the demo project\'s pools with their status', async () => {
    const { page } = demo.workbench();
    await showDemoPools(page);
    const open = page.locator('.monaco-list-row', { hasText: 'Animals, batch 2' });
    const done = page.locator('.monaco-list-row', { hasText: 'Animals, batch 1 (done)' });
    const archived = page.locator('.monaco-list-row', { hasText: 'Animals, pilot (archived)' });
    await open.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await open.innerText(), /open · \d+/);
    assert.match(await done.innerText(), /closed \(completed\) · \d+/);
    assert.match(await archived.innerText(), /archived · \d+/);
    assert.match(await page.locator('.statusbar').innerText(), /Toloka: local/);
    await screenshot(page, 'explorer-demo-pools');
  });

  it('closes a pool from its context menu and the row shows it closed', async () => {
    const { page } = demo.workbench();
    await showDemoPools(page);
    await chooseFromContextMenu(page, page.locator('.monaco-list-row', { hasText: 'Animals, batch 2' }), 'Close Pool');
    await page.locator('.monaco-list-row', { hasText: 'Animals, batch 2' }).filter({ hasText: /closed \(manual\)/ }).waitFor({ state: 'visible', timeout: 30_000 });
    const pool = [...demo.sandbox().state.pools.values()].find((p) => p.api.private_name === 'Animals, batch 2');
    assert.equal(pool?.api.status, 'CLOSED');
    await screenshot(page, 'explorer-pool-closed');
  });
});

describe('Workbench: editing a pool as JSON', function () {
  const demo = useDemo();

  it('opens a pool as JSON, and saving shows the diff and updates the pool once confirmed', async () => {
    const { page } = demo.workbench();
    await showDemoPools(page);
    await chooseFromContextMenu(page, page.locator('.monaco-list-row', { hasText: 'Animals, batch 1 (done)' }), 'Open Pool as JSON');
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.locator('.view-lines', { hasText: '"private_name": "Animals, batch 1 (done)"' }).waitFor({ state: 'visible', timeout: 30_000 });
    assert.match((await page.locator('.tabs-container .tab.active').innerText()).replace(/\s+/g, ''), /\d+\.pool\.json/);

    // Rename the pool with Find and Replace, as a person would.
    await editor.click();
    await page.keyboard.press('Control+H');
    await page.keyboard.type('batch 1 (done)');
    await page.keyboard.press('Tab');
    await page.keyboard.type('batch 1 (reviewed)');
    await page.keyboard.press('Control+Alt+Enter');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+S');

    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await dialog.innerText(), /Update pool \d+ on Toloka with your change\?/);
    await page.locator('.monaco-diff-editor').first().waitFor({ state: 'visible', timeout: 10_000 });
    await screenshot(page, 'pool-json-diff-and-confirm');
    await dialog.getByRole('button', { name: 'Update Pool' }).click();

    const updated = async () => [...demo.sandbox().state.pools.values()].some((p) => p.api.private_name === 'Animals, batch 1 (reviewed)');
    for (let i = 0; i < 300 && !(await updated()); i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(await updated(), 'the pool was renamed on the server');
    await page.locator('.monaco-list-row', { hasText: 'Animals, batch 1 (reviewed)' }).waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, 'pool-json-updated');
  });
});

describe('Workbench: downloading results', function () {
  const demo = useDemo();

  it("downloads a pool's results from its context menu and the TSV opens in an editor", async () => {
    const { page } = demo.workbench();
    await showDemoPools(page);
    const pool = [...demo.sandbox().state.pools.values()].find((p) => p.api.private_name === 'Animals, batch 1 (done)');
    const poolId = pool?.api.id ?? '';
    const answers = (pool?.data.assignments ?? []).filter((a) => a.status === 'ACCEPTED' || a.status === 'SUBMITTED').reduce((n, a) => n + a.tasks.length, 0);
    assert.ok(answers > 0, 'the demo pool has answers');
    await chooseFromContextMenu(page, page.locator('.monaco-list-row', { hasText: 'Animals, batch 1 (done)' }), 'Download Results…');

    // Four questions, each answered with its default: submitted and accepted, any time, the usual columns, results/<pool>.tsv.
    for (const step of ['(1/4)', '(2/4)', '(3/4)', '(4/4)']) {
      await page.locator('.quick-input-widget', { hasText: step }).waitFor({ state: 'visible', timeout: 30_000 });
      if (step === '(4/4)') assert.equal(await page.locator('.quick-input-widget input').inputValue(), `results/${poolId}.tsv`);
      await page.keyboard.press('Enter');
    }

    await page.locator('.tabs-container .tab.active', { hasText: `${poolId}.tsv` }).waitFor({ state: 'visible', timeout: 60_000 });
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.locator('.view-lines', { hasText: 'INPUT:image' }).waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await editor.locator('.view-lines').innerText(), /APPROVED/);
    const toast = page.locator('.notification-toast', { hasText: `Downloaded ${answers.toLocaleString('en-US')} rows of pool "Animals, batch 1 (done)"` });
    await toast.waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, 'results-downloaded');
  });
});
