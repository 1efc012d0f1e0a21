/**
 * Where the unit tests find the shared crowdsourcing datasets (`labels.csv`, `gold.csv` and
 * crowd-kit's outputs per folder): `TOLOKA_DATASETS`, or `../shared/datasets` beside the
 * repository. Every test that reads them is declared through `itWithDatasets`: without the
 * folder it is skipped with the reason "skipped: <path> not found", except under `CI=true`,
 * where it fails, so that a CI run cannot pass by not looking.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { it } from 'node:test';
import { repoRoot } from '../../runners/provision';

/** The datasets folder this run uses, whether or not it exists. */
export const datasetsDir = path.resolve(repoRoot, process.env['TOLOKA_DATASETS'] ?? path.join('..', 'shared', 'datasets'));

const found = fs.existsSync(datasetsDir);

/** The dataset folders (those with crowd-kit's reference outputs), sorted; none when the folder is missing. */
export function datasetNames(): string[] {
  if (!found) return [];
  return fs.readdirSync(datasetsDir).filter((d) => fs.existsSync(path.join(datasetsDir, d, 'crowdkit_pred.csv'))).sort();
}

/** A path inside the datasets folder. */
export function datasetPath(...parts: string[]): string {
  return path.join(datasetsDir, ...parts);
}

/** A test that needs the datasets: skipped with the reason when they are missing, failed instead under CI=true. */
export function itWithDatasets(title: string, fn: () => void | Promise<void>): void {
  const skip = !found && process.env['CI'] !== 'true' ? `skipped: ${datasetsDir} not found` : false;
  it(title, { skip }, async () => {
    if (!found) assert.fail(`${datasetsDir} not found: CI=true needs the shared datasets (set TOLOKA_DATASETS to their folder)`);
    await fn();
  });
}
