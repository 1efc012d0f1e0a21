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
import { ResponseBuilder, type Aggregated, type Responses } from '../../../src/aggregation';
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

/** A small CSV's rows, the header first, split on commas (the datasets have no quoted cells). */
export function csvRowsWithHeader(file: string): string[][] {
  return fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => l.replace(/\r$/, '').split(','));
}

/** A small CSV's rows after the header. */
export function csvRows(file: string): string[][] {
  return csvRowsWithHeader(file).slice(1);
}

/** A dataset's `labels.csv` as responses. */
export function loadDataset(name: string): Responses {
  const b = new ResponseBuilder();
  for (const [w, t, l] of csvRows(datasetPath(name, 'labels.csv'))) b.add(w ?? '', t ?? '', l ?? '');
  return b.build();
}

/** A dataset's `gold.csv`: task to label. */
export function loadGold(name: string): Map<string, string> {
  return new Map(csvRows(datasetPath(name, 'gold.csv')).map(([t, l]) => [t ?? '', l ?? '']));
}

/** Responses from (worker, task, label) triples. */
export function responsesOf(triples: ReadonlyArray<readonly [string, string, string]>): Responses {
  const b = new ResponseBuilder();
  for (const [w, t, l] of triples) b.add(w, t, l);
  return b.build();
}

/** The chosen label per task, by name. */
export function labelsByTask(r: Responses, a: Aggregated): Map<string, string> {
  return new Map(r.taskNames.map((t, i) => [t, r.labelNames[a.labels[i] as number] ?? '']));
}
