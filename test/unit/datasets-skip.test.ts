/**
 * A fresh clone has no ../shared beside it: the tests that read the shared datasets must then
 * skip with a visible reason, and must fail instead under CI=true, where the folder is required.
 * This runs those test files as a user's clone and as CI would, with the folder pointed away.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../runners/provision';

const files = ['aggregation.test.js', 'aggregate-files.test.js', 'responses.test.js'].map((f) => path.join(repoRoot, 'out', 'test', 'unit', f));
const missing = path.join(repoRoot, 'no-such-datasets-folder');

function runWithout(ci: boolean): { status: number | null; output: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, TOLOKA_DATASETS: missing };
  delete env['CI'];
  if (ci) env['CI'] = 'true';
  delete env['NODE_TEST_CONTEXT']; // a run of its own, not a subtest of this one
  const r = spawnSync(process.execPath, ['--test', '--test-reporter=tap', ...files], { cwd: repoRoot, env, encoding: 'utf8', timeout: 240_000 });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe('Tests that need ../shared/datasets', () => {
  it('skip with the reason when the folder is missing, and the run passes', () => {
    const r = runWithout(false);
    assert.equal(r.status, 0, r.output.slice(-2000));
    assert.match(r.output, new RegExp(`# SKIP skipped: ${missing.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} not found`));
    const skipped = Number(/^# skipped (\d+)$/m.exec(r.output)?.[1] ?? 0);
    assert.ok(skipped >= 5, `${skipped} tests skipped`);
  });

  it('fail under CI=true when the folder is missing', () => {
    const r = runWithout(true);
    assert.notEqual(r.status, 0, 'CI passed without the datasets');
    assert.match(r.output, /not found: CI=true needs the shared datasets/);
  });
});
