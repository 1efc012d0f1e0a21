import * as assert from 'node:assert/strict';
import { startSandbox, type Sandbox } from '../../src/sandbox/server';
import { TolokaClient } from '../../src/toloka/client';
import { chooseFromContextMenu, runFromPalette, screenshot, useWorkbench } from './workbench';

describe('Workbench: Upload Tasks', function () {
  let sandbox: Sandbox;
  let poolId = '';
  before(async () => {
    sandbox = await startSandbox({ quotas: false, tolokers: { assignmentsPerSecond: 0 } });
    const client = new TolokaClient({ baseUrl: sandbox.apiRoot, credential: 'seed' });
    const project = await client.projects.create({ public_name: 'Reviews', task_spec: { input_spec: { text: { type: 'string' } }, output_spec: { label: { type: 'string', allowed_values: ['good', 'bad'] } } } });
    poolId = (await client.pools.create({ project_id: project.id ?? '', private_name: 'Reviews, batch 1', will_expire: '2099-01-01T00:00:00', reward_per_assignment: 0.01, assignment_max_duration_seconds: 60, defaults: { default_overlap_for_new_task_suites: 3, default_overlap_for_new_tasks: 3 } })).id ?? '';
  });
  const workbench = useWorkbench(() => ({
    settings: { 'toloka.environment': 'local', 'toloka.local.url': sandbox.origin },
    files: {
      'reviews.jsonl': Array.from({ length: 100_000 }, (_, i) => JSON.stringify({ input_values: { text: `review ${i}` } })).join('\n'),
      'more.tsv': `INPUT:text\n${Array.from({ length: 40 }, (_, i) => `more ${i}`).join('\n')}\n`,
    },
  }));
  after(async () => {
    await sandbox?.stop();
  });

  async function choosePoolAndGo(): Promise<void> {
    const { page } = workbench();
    const input = page.locator('.quick-input-widget input');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Reviews, batch 1' }).waitFor({ state: 'visible', timeout: 30_000 });
    await input.fill('Reviews, batch 1');
    await page.keyboard.press('Enter');
    // Options: keep the defaults (take the overlap from the pool).
    await page.locator('.quick-input-widget', { hasText: 'to pool "Reviews, batch 1"' }).waitFor({ state: 'visible', timeout: 30_000 });
    await page.keyboard.press('Enter');
  }

  it('from a file\'s context menu: asks for the pool, shows progress, reports a summary', async () => {
    const { page } = workbench();
    await page.keyboard.press('Control+Shift+E');
    const file = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'reviews.jsonl' });
    await file.waitFor({ state: 'visible', timeout: 30_000 });
    await chooseFromContextMenu(page, file, 'Upload Tasks…');
    await choosePoolAndGo();
    const progress = page.locator('.notification-toast', { hasText: 'Uploading tasks to pool "Reviews, batch 1"' });
    await progress.waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, 'upload-progress');
    const summary = page.locator('.notification-toast', { hasText: /Uploaded 100,000 task\(s\) to pool "Reviews, batch 1"/ });
    await summary.waitFor({ state: 'visible', timeout: 90_000 });
    assert.equal(sandbox.state.pools.get(poolId)?.data.tasks.length, 100_000);
    assert.ok(await summary.getByRole('button', { name: 'Open Results' }).isVisible());
    await screenshot(page, 'upload-summary');
  });

  it('from the command palette: asks for the file too', async () => {
    const { page } = workbench();
    await runFromPalette(page, 'Toloka: Upload Tasks');
    const input = page.locator('.quick-input-widget input');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'more.tsv' }).waitFor({ state: 'visible', timeout: 30_000 });
    await input.fill('more.tsv');
    await page.keyboard.press('Enter');
    await choosePoolAndGo();
    await page.locator('.notification-toast', { hasText: /Uploaded 40 task\(s\)/ }).waitFor({ state: 'visible', timeout: 60_000 });
    assert.equal(sandbox.state.pools.get(poolId)?.data.tasks.length, 100_040);
  });
});
