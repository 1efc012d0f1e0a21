import * as assert from 'node:assert/strict';
import { activityBarItem, openWorkbench, runFromPalette, screenshot, type Workbench } from './workbench';

describe('Workbench: the Toloka view container', function () {
  let wb: Workbench;

  before(async function () {
    this.timeout(120_000);
    wb = await openWorkbench();
  });

  after(async function () {
    await wb?.close();
  });

  it('shows the Toloka icon in the activity bar and the welcome view when clicked', async () => {
    const { page } = wb;
    const icon = activityBarItem(page, 'Toloka');
    await icon.waitFor({ state: 'visible', timeout: 30_000 });
    await icon.click();
    const welcome = page.locator('.welcome-view-content', { hasText: 'brings your crowdsourcing projects into the editor' });
    await welcome.waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, 'activity-bar-welcome');
    const title = await page.locator('.part.sidebar .composite.title').innerText();
    assert.match(title, /toloka/i, 'the side bar is titled Toloka');
  });

  it('runs "Toloka: Show Logs" from the command palette and shows the Toloka log', async () => {
    const { page } = wb;
    await runFromPalette(page, 'Toloka: Show Logs');
    const panel = page.locator('.part.panel');
    await panel.waitFor({ state: 'visible', timeout: 15_000 });
    const logText = panel.locator('.monaco-editor .view-lines', { hasText: 'activated in' });
    await logText.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match((await logText.innerText()).replace(/\u00a0/g, ' '), /Toloka for VS Code \d+\.\d+\.\d+ activated in/);
    await screenshot(page, 'show-logs');
  });
});
