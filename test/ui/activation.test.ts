import * as assert from 'node:assert/strict';
import { activityBarItem, runFromPalette, screenshot, useWorkbench } from './workbench';

describe('Workbench: the Toloka view container', function () {
  const workbench = useWorkbench();

  it('opens on the Toloka view the first time, with its icon in the activity bar and its welcome content', async () => {
    const { page } = workbench();
    const icon = activityBarItem(page, 'Toloka');
    await icon.waitFor({ state: 'visible', timeout: 30_000 });
    const welcome = page.locator('.welcome-view-content', { hasText: 'brings your crowdsourcing projects into the editor' });
    await welcome.waitFor({ state: 'visible', timeout: 30_000 });
    // On the empty built-in sandbox, the next step is offered.
    await welcome.getByRole('button', { name: 'Create Demo Project' }).waitFor({ state: 'visible', timeout: 30_000 });
    await welcome.getByRole('button', { name: 'Get Started' }).waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, 'activity-bar-welcome');
    const title = await page.locator('.part.sidebar .composite.title').innerText();
    assert.match(title, /toloka/i, 'the side bar is titled Toloka');
  });

  it('opens the Getting Started walkthrough from the welcome view', async () => {
    const { page } = workbench();
    await page.locator('.welcome-view-content').getByRole('button', { name: 'Get Started' }).first().click();
    const walkthrough = page.locator('.gettingStartedContainer');
    await walkthrough.locator('h2', { hasText: 'Get Started with Toloka' }).waitFor({ state: 'visible', timeout: 30_000 });
    for (const step of ['Use the local sandbox, or sign in', 'Create the demo project', 'Upload tasks', 'Download and aggregate results']) {
      await walkthrough.locator('.getting-started-step', { hasText: step }).first().waitFor({ state: 'visible', timeout: 10_000 });
    }
    // The step's text beside it is a webview: it renders in the browser like any other.
    const media = page.frameLocator('iframe.webview').frameLocator('iframe');
    await media.locator('h1', { hasText: 'Where your pools live' }).waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, 'walkthrough');
    await page.keyboard.press('Control+W');
  });

  it('creates the demo project from the welcome view and lists it', async () => {
    const { page } = workbench();
    const button = page.locator('.welcome-view-content').getByRole('button', { name: 'Create Demo Project' });
    await button.waitFor({ state: 'visible', timeout: 30_000 });
    await button.click();
    const project = page.locator('.monaco-list-row', { hasText: 'Which animal is in the picture?' });
    await project.waitFor({ state: 'visible', timeout: 60_000 });
    await project.click();
    await page.locator('.monaco-list-row', { hasText: 'Animals, batch 1 (done)' }).waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, 'first-run-demo-project');
  });

  it('runs "Toloka: Show Logs" from the command palette and shows the Toloka log', async () => {
    const { page } = workbench();
    await runFromPalette(page, 'Toloka: Show Logs');
    const panel = page.locator('.part.panel');
    await panel.waitFor({ state: 'visible', timeout: 15_000 });
    const logText = panel.locator('.monaco-editor .view-lines', { hasText: 'activated in' });
    await logText.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match((await logText.innerText()).replace(/\u00a0/g, ' '), /Toloka for VS Code \d+\.\d+\.\d+ activated in/);
    await screenshot(page, 'show-logs');
  });
});
