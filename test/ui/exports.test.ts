import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../runners/provision';
import { useWorkbench } from './workbench';

describe('Workbench: what other extensions can reach', function () {
  const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tlk-probe-')), 'report.json');
  useWorkbench({ env: { TOLOKA_PROBE_REPORT: report }, otherExtensions: [path.join(repoRoot, 'test', 'fixtures', 'probe-extension')] });

  it('exports nothing to another installed extension when installed as users install it', async function () {
    this.timeout(60_000);
    const deadline = Date.now() + 45_000;
    while (!fs.existsSync(report)) {
      if (Date.now() > deadline) throw new Error('the probe extension never reported');
      await new Promise((r) => setTimeout(r, 100));
    }
    const seen = JSON.parse(fs.readFileSync(report, 'utf8')) as { found: boolean; active?: boolean; exportsType?: string; exportsKeys?: string[]; error?: string };
    assert.deepEqual(seen, { found: true, active: true, exportsType: 'undefined', exportsKeys: [], sameAsExports: true });
  });
});
