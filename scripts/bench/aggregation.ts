/**
 * `npm run bench -- aggregation`: every aggregation method and the metrics on 1,000,000
 * responses, each through `toloka aggregate` in its own process (the method's time, the
 * time to read the input beside it, and the process's peak memory), on
 * seeded synthetic sets: labels like the `aggregate` bench's (200,000 tasks, 10,000 workers,
 * overlap 5, 4 classes; 2 classes for KOS), 1,000,000 comparisons of 10,000 items, texts and
 * label sets of 200,000 tasks × 5. Then, where the shared datasets are at hand, each method
 * in this process on the dataset crowd-kit took longest on, beside crowd-kit's own time.
 *
 * crowd-kit 1.4.1 is not installed here (nor installable: no PyPI), so its times are quoted:
 * on 1M responses for mv, wawa, ds and glad (the datasets README), and per dataset for the
 * others (crowdkit_metrics.csv), both on a 2-core machine like this one.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { methodById, type Responses } from '../../src/aggregation';
import { goldCodes } from '../../src/aggregation/gold';
import { consistency, krippendorffAlpha, uncertainty } from '../../src/aggregation/metrics';
import { readGoldCsv } from '../../src/files/aggregationInputs';
import { readCsvTable } from '../../src/files/csvTable';
import { readResponsesCsv } from '../../src/files/responses';
import { repoRoot } from '../../test/runners/provision';
import { random, writeSynthetic } from './aggregate';
import { figure, round } from './report';

/** crowd-kit 1.4.1 on 1,000,000 responses (the datasets README). */
const crowdKit1M: Record<string, number> = { mv: 1.4, wawa: 3.1, ds: 28.5, glad: 345 };

interface Run {
  readonly id: string;
  readonly args: readonly string[];
}

/** Writes lines to a file in 1 MiB pieces. */
function writer(file: string): { line: (s: string) => void; close: () => void } {
  const fd = fs.openSync(file, 'w');
  let buffer = '';
  return {
    line: (s) => {
      buffer += `${s}\n`;
      if (buffer.length > 1 << 20) {
        fs.writeSync(fd, buffer);
        buffer = '';
      }
    },
    close: () => {
      fs.writeSync(fd, buffer);
      fs.closeSync(fd);
    },
  };
}

/** 1,000,000 comparisons of 10,000 items by 10,000 workers; a fifth of them mostly pick the left item. */
export function writeComparisons(file: string): void {
  const rnd = random(11);
  const items = 10_000;
  const score = Float64Array.from({ length: items }, () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd()));
  const out = writer(file);
  out.line('worker,left,right,label');
  for (let k = 0; k < 1_000_000; k++) {
    const w = Math.floor(rnd() * 10_000);
    const i = Math.floor(rnd() * items);
    let j = Math.floor(rnd() * (items - 1));
    if (j >= i) j++;
    const biased = w % 5 === 0;
    const judges = rnd() < (biased ? 0.3 : 0.9);
    const leftWins = judges ? rnd() < 1 / (1 + Math.exp((score[j] as number) - (score[i] as number))) : rnd() < (biased ? 0.8 : 0.5);
    out.line(`w${w},i${i},i${j},i${leftWins ? i : j}`);
  }
  out.close();
}

/** 200,000 tasks × 5 texts of 8 words, each word kept (85%), replaced, dropped or followed by another (5% each). */
export function writeTexts(file: string): void {
  const rnd = random(13);
  const word = (): string => `w${Math.floor(rnd() * 1000)}`;
  const out = writer(file);
  out.line('worker,task,text');
  for (let t = 0; t < 200_000; t++) {
    const truth = Array.from({ length: 8 }, word);
    for (let k = 0; k < 5; k++) {
      const said: string[] = [];
      for (const w of truth) {
        const u = rnd();
        if (u < 0.85) said.push(w);
        else if (u < 0.9) said.push(word());
        else if (u < 0.95) continue;
        else said.push(w, word());
      }
      out.line(`u${Math.floor(rnd() * 10_000)},t${t},${said.join(' ')}`);
    }
  }
  out.close();
}

/** 200,000 tasks × 5 label sets over 6 labels; each worker misreads each label with a chance of their own. */
export function writeLabelSets(file: string): void {
  const rnd = random(17);
  const flip = Float64Array.from({ length: 10_000 }, () => 0.05 + 0.25 * rnd());
  const out = writer(file);
  out.line('worker,task,label');
  for (let t = 0; t < 200_000; t++) {
    const truth = Array.from({ length: 6 }, () => rnd() < 0.3);
    for (let k = 0; k < 5; k++) {
      const w = Math.floor(rnd() * 10_000);
      const set = truth.flatMap((has, l) => ((rnd() < (flip[w] as number) ? !has : has) ? [`l${l}`] : []));
      out.line(`w${w},t${t},${set.join('|')}`);
    }
  }
  out.close();
}

/** Golden answers for every tenth task and a weight per worker, from the labels' generated truth. */
export function writeGoldAndWeights(labels: string, truth: Uint8Array, gold: string, weights: string): void {
  const g = writer(gold);
  g.line('task,true_label');
  for (let t = 0; t < truth.length; t += 10) g.line(`t${t},${truth[t] as number}`);
  g.close();
  // Each worker's weight: their share of answers equal to the truth.
  const right = new Map<string, [number, number]>();
  for (const line of fs.readFileSync(labels, 'utf8').split('\n').slice(1)) {
    const [w, t, l] = line.split(',');
    if (!w || !t) continue;
    const s = right.get(w) ?? [0, 0];
    s[0] += Number(l) === truth[Number(t.slice(1))] ? 1 : 0;
    s[1]++;
    right.set(w, s);
  }
  const out = writer(weights);
  out.line('worker,weight');
  for (const [w, [r, n]] of right) out.line(`${w},${r / n}`);
  out.close();
}

interface Stats {
  readonly readS: number;
  readonly aggregateS: number;
  readonly peakRssMiB: number;
}

/** `toloka <args> --stats` from the build, in a process of its own; its last stdout line is the figures. */
function runCli(args: readonly string[]): Stats {
  const bin = path.join(repoRoot, 'dist', 'cli', 'toloka.mjs');
  const run = spawnSync(process.execPath, [bin, ...args, '--stats'], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (run.status !== 0) throw new Error(`toloka ${args.join(' ')} failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as Stats;
}

function crowdKitNote(): string {
  const probe = spawnSync('python3', ['-c', 'import crowdkit'], { encoding: 'utf8' });
  return probe.status === 0
    ? 'crowd-kit is installed, but this benchmark does not drive it: its times are quoted'
    : 'crowd-kit not installed: its times are quoted from the datasets README (1M responses) and crowdkit_metrics.csv (per dataset)';
}

/** Each method in this process on the dataset where crowd-kit's time for it was longest, beside that time. */
async function perDataset(datasets: string): Promise<void> {
  const ref = await readCsvTable(path.join(datasets, 'crowdkit_metrics.csv'), {
    columns: ['dataset', 's_zbs', 's_onecoin_ds', 's_mace', 's_kos', 's_mmsr', 's_ds_gold', 's_consistency', 's_uncertainty', 's_alpha_krippendorff'],
    dictionaries: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  });
  const value = (column: number, row: number): number => Number((ref.names[column] ?? [])[(ref.codes[column] as Int32Array)[row] as number]);
  const names = ref.names[0] ?? [];
  const loaded = new Map<string, Responses>();
  const load = async (name: string): Promise<Responses> => {
    let r = loaded.get(name);
    if (!r) {
      r = await readResponsesCsv(path.join(datasets, name, 'labels.csv'));
      loaded.set(name, r);
    }
    return r;
  };
  const cases: ReadonlyArray<[string, number, (r: Responses, name: string) => Promise<unknown>]> = [
    ['zbs', 1, async (r) => methodById('zbs')?.run(r)],
    ['onecoin-ds', 2, async (r) => methodById('onecoin-ds')?.run(r)],
    ['mace', 3, async (r) => methodById('mace')?.run(r)],
    ['kos', 4, async (r) => methodById('kos')?.run(r)],
    ['mmsr', 5, async (r) => methodById('mmsr')?.run(r)],
    ['ds-gold', 6, async (r, name) => {
      const g = goldCodes(r, await readGoldCsv(path.join(datasets, name, 'gold.csv')));
      return methodById('ds')?.run(g.responses, { gold: g.gold });
    }],
    ['consistency', 7, async (r) => consistency(r)],
    ['uncertainty', 8, async (r) => uncertainty(r)],
    ['alpha', 9, async (r) => krippendorffAlpha(r)],
  ];
  for (const [id, column, run] of cases) {
    let slowest = -1;
    for (let row = 0; row < (ref.codes[0] as Int32Array).length; row++) if (Number.isFinite(value(column, row)) && (slowest < 0 || value(column, row) > value(column, slowest))) slowest = row;
    if (slowest < 0) continue;
    const name = names[(ref.codes[0] as Int32Array)[slowest] as number] ?? '';
    const r = await load(name);
    // The median of three: these take milliseconds, where one run is noise.
    const times: number[] = [];
    for (let k = 0; k < 3; k++) {
      const started = performance.now();
      await run(r, name);
      times.push((performance.now() - started) / 1000);
    }
    times.sort((a, b) => a - b);
    const ours = times[1] as number;
    const theirs = value(column, slowest);
    figure('aggregation', `${id}_${name}_s`, ours, 's', { responses: r.tasks.length, crowdkit_quoted_s: theirs, speedup_vs_quoted: round(theirs / ours) });
  }
}

export async function benchAggregation(): Promise<void> {
  console.log(JSON.stringify({ bench: 'aggregation', note: crowdKitNote() }));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'toloka-bench-aggregation-'));
  try {
    const labels = path.join(dir, 'labels.csv');
    const binary = path.join(dir, 'binary.csv');
    const comparisons = path.join(dir, 'comparisons.csv');
    const texts = path.join(dir, 'texts.csv');
    const sets = path.join(dir, 'sets.csv');
    const gold = path.join(dir, 'gold.csv');
    const weights = path.join(dir, 'weights.csv');
    const truth = writeSynthetic(labels);
    writeSynthetic(binary, { tasks: 200_000, workers: 10_000, overlap: 5, classes: 2, seed: 7 });
    writeGoldAndWeights(labels, truth, gold, weights);
    writeComparisons(comparisons);
    writeTexts(texts);
    writeLabelSets(sets);
    const out = (id: string): string => path.join(dir, `${id}.out.csv`);
    const runs: Run[] = [
      ...['mv', 'wawa', 'ds', 'glad', 'zbs', 'onecoin-ds', 'mace', 'mmsr'].map((id) => ({ id, args: ['aggregate', '--method', id, '--input', labels, '--output', out(id)] })),
      { id: 'kos', args: ['aggregate', '--method', 'kos', '--input', binary, '--output', out('kos')] },
      { id: 'ds-gold', args: ['aggregate', '--method', 'ds', '--gold', gold, '--input', labels, '--output', out('ds-gold')] },
      { id: 'mv-weights', args: ['aggregate', '--method', 'mv', '--weights', weights, '--input', labels, '--output', out('mv-weights')] },
      { id: 'bt', args: ['aggregate', '--method', 'bt', '--input', comparisons, '--output', out('bt')] },
      { id: 'noisy-bt', args: ['aggregate', '--method', 'noisy-bt', '--input', comparisons, '--output', out('noisy-bt')] },
      { id: 'rover', args: ['aggregate', '--method', 'rover', '--input', texts, '--output', out('rover')] },
      { id: 'binary-relevance', args: ['aggregate', '--method', 'binary-relevance', '--input', sets, '--output', out('binary-relevance')] },
      { id: 'binary-relevance-ds', args: ['aggregate', '--method', 'binary-relevance', '--base', 'ds', '--input', sets, '--output', out('binary-relevance-ds')] },
    ];
    for (const run of runs) {
      // The figure is the method's time, as crowd-kit's quoted ones are (fit_predict, the
      // data already in memory); reading the file is beside it.
      const s = runCli(run.args);
      const quoted = crowdKit1M[run.id];
      figure('aggregation', `${run.id}_s`, s.aggregateS, 's', {
        read_s: round(s.readS),
        with_reading_s: round(s.readS + s.aggregateS),
        ...(quoted !== undefined ? { crowdkit_quoted_s: quoted, speedup_vs_quoted: round(quoted / s.aggregateS), speedup_with_reading: round(quoted / (s.readS + s.aggregateS)) } : {}),
      });
      figure('aggregation', `${run.id}_peak_rss`, s.peakRssMiB, 'MiB', { target_mib: 500 });
    }
    // The metrics command: the three data metrics, accuracy on aggregates, and with golden
    // answers every Toloker's accuracy and majority vote's.
    const m = runCli(['metrics', '--input', labels, '--gold', gold, '--methods', 'mv']);
    figure('aggregation', 'metrics_s', m.aggregateS, 's', { what: 'reading, consistency, uncertainty, alpha, accuracy on aggregates and on gold' });
    figure('aggregation', 'metrics_peak_rss', m.peakRssMiB, 'MiB', { target_mib: 500 });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const datasets = path.resolve(repoRoot, process.env['TOLOKA_DATASETS'] ?? path.join('..', 'shared', 'datasets'));
  if (fs.existsSync(path.join(datasets, 'crowdkit_metrics.csv'))) await perDataset(datasets);
  else console.log(JSON.stringify({ bench: 'aggregation', note: `${datasets} not found: no per-dataset comparison (set TOLOKA_DATASETS)` }));
}
