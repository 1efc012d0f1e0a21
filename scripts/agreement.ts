/**
 * `npm run agreement`: every label method against crowd-kit 1.4.1's outputs on the shared
 * datasets (`TOLOKA_DATASETS`, or ../shared/datasets beside the repository), as the Markdown
 * table the README quotes: per method and dataset, the share of tasks labelled as crowd-kit
 * did, and our accuracy on the golden tasks minus crowd-kit's, in points.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { dawidSkene, glad, majorityVote, wawa, type Aggregated, type Responses } from '../src/aggregation';
import { goldCodes } from '../src/aggregation/gold';
import { kos } from '../src/aggregation/kos';
import { mace } from '../src/aggregation/mace';
import { consistency, krippendorffAlpha, uncertainty } from '../src/aggregation/metrics';
import { mmsr } from '../src/aggregation/mmsr';
import { oneCoinDawidSkene } from '../src/aggregation/oneCoinDawidSkene';
import { zeroBasedSkill } from '../src/aggregation/zeroBasedSkill';
import { readGoldCsv } from '../src/files/aggregationInputs';
import { readCsvTable } from '../src/files/csvTable';
import { readResponsesCsv } from '../src/files/responses';

const root = path.resolve(__dirname, '..', '..');
const datasets = path.resolve(root, process.env['TOLOKA_DATASETS'] ?? path.join('..', 'shared', 'datasets'));

/** A reference file's columns by name: task to label, empty cells left out. */
async function reference(file: string, columns: readonly string[]): Promise<Map<string, Map<string, string>>> {
  const table = await readCsvTable(file, { columns: ['task', ...columns], dictionaries: [0, ...columns.map((_, i) => i + 1)] });
  const tasks = table.names[0] ?? [];
  return new Map(
    columns.map((column, c) => {
      const codes = table.codes[c + 1] as Int32Array;
      const names = table.names[c + 1] ?? [];
      const byTask = new Map<string, string>();
      (table.codes[0] as Int32Array).forEach((t, row) => {
        const label = names[codes[row] as number] ?? '';
        if (label !== '') byTask.set(tasks[t] ?? '', label);
      });
      return [column, byTask];
    }),
  );
}

interface Row {
  readonly method: string;
  readonly column: string;
  readonly file: 'crowdkit_pred.csv' | 'crowdkit_pred_extra.csv';
  readonly run: (r: Responses, gold: ReturnType<typeof goldCodes>) => { responses: Responses; result: Aggregated };
}

const plain = (f: (r: Responses) => Aggregated) => (r: Responses) => ({ responses: r, result: f(r) });

const rows: readonly Row[] = [
  { method: 'mv', column: 'mv', file: 'crowdkit_pred.csv', run: plain((r) => majorityVote(r)) },
  { method: 'wawa', column: 'wawa', file: 'crowdkit_pred.csv', run: plain(wawa) },
  { method: 'ds', column: 'ds', file: 'crowdkit_pred.csv', run: plain((r) => dawidSkene(r)) },
  { method: 'glad', column: 'glad', file: 'crowdkit_pred.csv', run: plain((r) => glad(r)) },
  { method: 'zbs', column: 'zbs', file: 'crowdkit_pred_extra.csv', run: plain((r) => zeroBasedSkill(r)) },
  { method: 'onecoin-ds', column: 'onecoin_ds', file: 'crowdkit_pred_extra.csv', run: plain((r) => oneCoinDawidSkene(r)) },
  { method: 'ds, gold known', column: 'ds_gold', file: 'crowdkit_pred_extra.csv', run: (_, g) => ({ responses: g.responses, result: dawidSkene(g.responses, { gold: g.gold }) }) },
  { method: 'mace', column: 'mace', file: 'crowdkit_pred_extra.csv', run: plain((r) => mace(r)) },
  { method: "mace, crowd-kit's bugs", column: 'mace', file: 'crowdkit_pred_extra.csv', run: plain((r) => mace(r, { crowdKitBugs: true })) },
  { method: 'kos', column: 'kos', file: 'crowdkit_pred_extra.csv', run: plain((r) => kos(r)) },
  { method: 'mmsr', column: 'mmsr', file: 'crowdkit_pred_extra.csv', run: plain((r) => mmsr(r)) },
];

async function main(): Promise<void> {
  if (!fs.existsSync(datasets)) throw new Error(`${datasets} not found: set TOLOKA_DATASETS`);
  const names = fs.readdirSync(datasets).filter((d) => fs.existsSync(path.join(datasets, d, 'crowdkit_pred.csv'))).sort();
  const cells = new Map<string, string[]>(rows.map((r) => [r.method, []]));
  let worstMetric = 0;
  const metricsRef = await readCsvTable(path.join(datasets, 'crowdkit_metrics.csv'), { columns: ['dataset', 'consistency', 'uncertainty', 'alpha_krippendorff'], dictionaries: [0, 1, 2, 3] });
  for (const name of names) {
    const r = await readResponsesCsv(path.join(datasets, name, 'labels.csv'));
    const golden = await readGoldCsv(path.join(datasets, name, 'gold.csv'));
    const gold = goldCodes(r, golden);
    const refs = {
      'crowdkit_pred.csv': await reference(path.join(datasets, name, 'crowdkit_pred.csv'), ['mv', 'wawa', 'ds', 'glad']),
      'crowdkit_pred_extra.csv': await reference(path.join(datasets, name, 'crowdkit_pred_extra.csv'), ['zbs', 'onecoin_ds', 'mace', 'kos', 'mmsr', 'ds_gold']),
    };
    for (const row of rows) {
      const theirs = refs[row.file].get(row.column) ?? new Map<string, string>();
      if (theirs.size === 0) {
        (cells.get(row.method) as string[]).push('');
        continue;
      }
      const { responses, result } = row.run(r, gold);
      let same = 0;
      let oursRight = 0;
      let theirsRight = 0;
      let graded = 0;
      responses.taskNames.forEach((task, t) => {
        const mine = responses.labelNames[result.labels[t] as number];
        const ref = theirs.get(task);
        if (mine === ref) same++;
        const g = golden.get(task);
        if (g === undefined) return;
        graded++;
        if (mine === g) oursRight++;
        if (ref === g) theirsRight++;
      });
      const delta = ((oursRight - theirsRight) / graded) * 100;
      (cells.get(row.method) as string[]).push(`${((same / theirs.size) * 100).toFixed(2)} (${delta >= 0 ? '+' : ''}${delta.toFixed(2)})`);
    }
    const k = (metricsRef.names[0] ?? []).indexOf(name);
    const row = (metricsRef.codes[0] as Int32Array).indexOf(k);
    for (const [c, ours] of [consistency(r), uncertainty(r), krippendorffAlpha(r)].entries()) {
      const theirs = Number((metricsRef.names[c + 1] ?? [])[(metricsRef.codes[c + 1] as Int32Array)[row] as number]);
      worstMetric = Math.max(worstMetric, Math.abs(ours - theirs));
    }
    console.error(`${name} done`);
  }
  console.log(`| dataset | ${rows.map((r) => r.method).join(' | ')} |`);
  console.log(`|---|${rows.map(() => '---:').join('|')}|`);
  names.forEach((name, d) => console.log(`| ${name} | ${rows.map((r) => (cells.get(r.method) as string[])[d] ?? '').join(' | ')} |`));
  console.log(`\nData metrics (consistency, uncertainty, Krippendorff's alpha): largest difference from crowd-kit ${worstMetric.toExponential(1)} (its figures have 6 decimals).`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
