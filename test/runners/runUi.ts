/** Runs the UI tests (test/ui): Mocha in Node, playwright-core driving Chromium against code-server. */
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { runMocha } from './mochaRun';
import { repoRoot } from './provision';
import type { LayerReport } from './report';
import { listFiles } from './runUnit';
import { artifactsDir } from './workspace';

/** Keeps what every open workbench showed when a test failed. */
async function screenshotFailure(title: string): Promise<void> {
  const pages = (globalThis as { __tolokaPages?: Set<Page> }).__tolokaPages ?? new Set<Page>();
  let i = 0;
  for (const page of pages) {
    await page.screenshot({ path: path.join(artifactsDir('ui'), `FAILED-${title.replace(/[^\w.-]+/g, '-').slice(0, 80)}-${i++}.png`) });
  }
}

export async function runUi(say: (line: string) => void): Promise<LayerReport> {
  const files = listFiles(path.join(repoRoot, 'out', 'test', 'ui'), '.test.js');
  const grep = process.env['TOLOKA_TEST_GREP'];
  return await runMocha({ layer: 'ui', files, timeoutMs: 90_000, onLine: say, onFailure: screenshotFailure, ...(grep ? { grep } : {}) });
}
