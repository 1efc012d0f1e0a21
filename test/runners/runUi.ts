/** Runs the UI tests (test/ui): Mocha in Node, playwright-core driving Chromium against code-server. */
import * as path from 'node:path';
import { runMocha } from './mochaRun';
import { repoRoot } from './provision';
import type { LayerReport } from './report';
import { listFiles } from './runUnit';

export async function runUi(say: (line: string) => void): Promise<LayerReport> {
  const files = listFiles(path.join(repoRoot, 'out', 'test', 'ui'), '.test.js');
  const grep = process.env['TOLOKA_TEST_GREP'];
  return await runMocha({ layer: 'ui', files, timeoutMs: 90_000, onLine: say, ...(grep ? { grep } : {}) });
}
