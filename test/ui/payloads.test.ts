import * as assert from 'node:assert/strict';
import { screenshot, useWorkbench } from './workbench';

describe('Workbench: IntelliSense in a pool file', function () {
  const workbench = useWorkbench();

  it('lists Toloka\'s pool fields in the suggestion widget while typing', async () => {
    const { page } = workbench();
    await page.keyboard.press('Control+Shift+E');
    const file = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'cats.pool.json' });
    await file.waitFor({ state: 'visible', timeout: 30_000 });
    await file.dblclick();
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.locator('.view-lines', { hasText: '"project_id": "100001"' }).waitFor({ state: 'visible', timeout: 30_000 });
    // On the empty third line, ask for suggestions, then type to narrow them down.
    await editor.locator('.view-line').nth(2).click();
    await page.keyboard.press('End');
    const widget = page.locator('.suggest-widget');
    // Sorted by name: the first rows are fields only the schema knows.
    const schemaRow = widget.locator('.monaco-list-row', { hasText: /assignment_max_duration_seconds|auto_accept_solutions|dynamic_overlap_config/ }).first();
    // Asked before the JSON language server has loaded the schema, the widget offers only words
    // from the file; as a person would, ask again until the schema's fields are there.
    for (let attempt = 0; ; attempt++) {
      await page.keyboard.press('Control+Space');
      if (await schemaRow.waitFor({ state: 'visible', timeout: 5000 }).then(() => true, () => false)) break;
      assert.ok(attempt < 6, 'the suggestion widget never listed the pool fields');
      await page.keyboard.press('Escape');
    }
    // The list is virtualised: only its first dozen rows are rendered.
    const listed = (await widget.locator('.monaco-list-row').allInnerTexts()).join(' ');
    const poolFields = ['assignment_max_duration_seconds', 'auto_accept_solutions', 'defaults', 'dynamic_overlap_config', 'dynamic_pricing_config', 'filter'];
    assert.ok(poolFields.filter((f) => listed.includes(f)).length >= 3, `the widget lists pool fields: ${listed}`);
    await page.keyboard.type('rew');
    const row = widget.locator('.monaco-list-row', { hasText: 'reward_per_assignment' });
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    assert.equal(await widget.locator('.monaco-list-row').count(), 1, 'typing narrows the list to the one field');
    // The details pane shows our documentation for the focused suggestion.
    const details = page.locator('.suggest-details');
    if (!(await details.isVisible())) await page.keyboard.press('Control+Space');
    await details.filter({ hasText: 'USD' }).waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await details.innerText(), /Payment for one task suite, in USD/);
    await screenshot(page, 'pool-file-suggestions');
  });
});
