import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { templates } from '../../src/tb/templates';
import { repoRoot } from '../runners/provision';
import { reloadWindow, screenshot, useWorkbench } from './workbench';

/** The preview's document: code-server nests a webview's page in a second frame. */
function preview(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview >> visible=true').frameLocator('iframe');
}

/** Opens a file from the Explorer and clicks the Preview Task CodeLens in its editor, as a person would. */
async function previewFromExplorer(page: Page, name: string): Promise<FrameLocator> {
  await page.keyboard.press('Control+Shift+E');
  const file = page.locator('.explorer-folders-view .monaco-list-row', { hasText: name });
  await file.waitFor({ state: 'visible', timeout: 30_000 });
  await file.dblclick();
  await page.locator('.tabs-container .tab.active', { hasText: name }).waitFor({ state: 'visible', timeout: 30_000 });
  const lens = page.locator('.editor-group-container.active .codelens-decoration a', { hasText: 'Preview Task' });
  await lens.waitFor({ state: 'visible', timeout: 30_000 });
  await lens.click();
  return preview(page);
}

const playground = (name: string) => fs.readFileSync(path.join(repoRoot, 'playground', name), 'utf8');

describe('Workbench: the task preview', function () {
  const detection = templates.find((t) => t.id === 'object-detection');
  const workbench = useWorkbench({
    files: {
      'animals.project.json': playground('animals.project.json'),
      'animals.tasks.json': playground('animals.tasks.json'),
      'detect.tb.json': JSON.stringify(detection?.config ?? {}, null, 2),
    },
  });

  it('renders the playground project as a Toloker sees it, with the first task and the hotkeys', async () => {
    const { page } = workbench();
    // The CodeLens above the project's view_spec.
    const view = await previewFromExplorer(page, 'animals.project.json');
    await view.getByRole('radiogroup').waitFor({ state: 'visible', timeout: 60_000 });
    assert.match(await view.locator('header').innerText(), /the first task of animals\.tasks\.json/);
    assert.equal(await view.locator('img.tb-image').getAttribute('src'), 'https://example.com/animals/2001.jpg');
    assert.deepEqual(await view.getByRole('radio').evaluateAll((rs) => rs.map((r) => (r.parentElement?.textContent ?? '').trim())), ['Cat', 'Dog', 'Something else']);
    assert.match(await view.locator('.hotkeys').innerText(), /1\s+result = "cat"/);
    assert.equal(await view.locator('.tb-placeholder').count(), 0, 'every component of the playground is rendered');
    await screenshot(page, 'task-preview');
  });

  it('shows the hint of a required field left empty on Submit', async () => {
    const view = preview(workbench().page);
    await view.getByRole('button', { name: 'Submit' }).click();
    await view.locator('.tb-error', { hasText: 'Choose an animal' }).waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await view.locator('#messages').innerText(), /Not accepted[\s\S]*Which animal is in the picture\?: Choose an animal/i);
    assert.equal((await view.locator('#output pre').innerText()).trim(), '{}');
  });

  it('a click on an option and Submit show the output JSON; the keyboard answers too', async () => {
    const { page } = workbench();
    const view = preview(page);
    await view.getByRole('radio', { name: 'Dog' }).click();
    await view.getByRole('button', { name: 'Submit' }).click();
    await view.locator('#messages h2', { hasText: 'Accepted' }).waitFor({ state: 'visible', timeout: 10_000 });
    assert.deepEqual(JSON.parse(await view.locator('#output pre').innerText()), { result: 'dog' });
    assert.equal(await view.locator('.tb-error').count(), 0);
    // Hotkey 3 from the plugin, with the focus on the page rather than a field, then Submit by keyboard.
    await view.locator('h1').click();
    await page.keyboard.press('3');
    await view.getByRole('radio', { name: 'Something else' }).and(view.locator(':checked')).waitFor({ state: 'attached', timeout: 10_000 });
    await view.getByRole('button', { name: 'Submit' }).focus();
    await page.keyboard.press('Enter');
    await view.locator('#output pre', { hasText: '"other"' }).waitFor({ state: 'visible', timeout: 10_000 });
    await screenshot(page, 'task-preview-submitted');
  });

  it('follows the config as it is typed', async () => {
    const { page } = workbench();
    const view = preview(page);
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.locator('.view-line', { hasText: '"label": "Which animal is in the picture?"' }).click();
    await page.keyboard.press('End');
    // Just before the closing quote and comma of the label.
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.type(' Look closely');
    await view.locator('.tb-label', { hasText: 'Which animal is in the picture? Look closely' }).waitFor({ state: 'visible', timeout: 10_000 });
  });

  it('comes back after the window reloads, with the answer given', async () => {
    const { page } = workbench();
    const view = preview(page);
    await view.getByRole('radio', { name: 'Cat' }).click();
    await view.getByRole('radio', { name: 'Cat' }).and(view.locator(':checked')).waitFor({ state: 'attached', timeout: 10_000 });
    await reloadWindow(page);
    await preview(page).getByRole('radio', { name: 'Cat' }).and(preview(page).locator(':checked')).waitFor({ state: 'attached', timeout: 60_000 });
    assert.match(await page.locator('.tabs-container .tab', { hasText: 'Preview animals.project.json' }).innerText(), /Preview animals\.project\.json/);
    await screenshot(page, 'task-preview-after-reload');
  });

  it('draws a bounding box and a polygon on an image, with a label, and Submit gives their shapes', async () => {
    const { page } = workbench();
    const view = await previewFromExplorer(page, 'detect.tb.json');
    const stage = view.locator('.tb-stage');
    await stage.waitFor({ state: 'visible', timeout: 60_000 });
    assert.deepEqual(await view.getByRole('toolbar', { name: 'Annotation tools' }).getByRole('button').allInnerTexts(), ['rectangle', 'polygon', 'Car', 'Person', 'Remove last'], 'only the shapes the config allows');
    const box = await stage.boundingBox();
    assert.ok(box, 'the image area has a size');
    // A rectangle, dragged with the "Car" label.
    await view.getByRole('button', { name: 'Car' }).click();
    await page.mouse.move(box.x + box.width * 0.1, box.y + box.height * 0.1);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5, { steps: 4 });
    await page.mouse.up();
    await view.locator('.tb-stage rect').waitFor({ state: 'attached', timeout: 10_000 });
    // A triangle as a polygon, labelled "Person", closed with Enter.
    await view.getByRole('button', { name: 'polygon' }).click();
    await view.getByRole('button', { name: 'Person' }).click();
    for (const [x, y] of [[0.6, 0.6], [0.9, 0.6], [0.75, 0.9]] as const) await page.mouse.click(box.x + box.width * x, box.y + box.height * y);
    await view.locator('.tb-stage').focus();
    await page.keyboard.press('Enter');
    await view.locator('.tb-stage polygon').waitFor({ state: 'attached', timeout: 10_000 });
    await view.getByRole('button', { name: 'Submit' }).click();
    const output = JSON.parse(await view.locator('#output pre').innerText()) as { areas: Array<{ shape: string; label: string }> };
    assert.deepEqual(output.areas.map((a) => [a.shape, a.label]), [['rectangle', 'car'], ['polygon', 'person']]);
    await screenshot(page, 'task-preview-image-annotation');
  });
});
