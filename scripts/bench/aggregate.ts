/**
 * `npm run bench -- aggregate`: each method through the command-line tool, in its own process,
 * on a synthetic set shaped like the (1,000,000 responses: 200,000 tasks, 10,000
 * workers, overlap 5, 4 classes; seeded). The figure is reading the CSV plus aggregating, as
 * the issue defines it; writing the result and the process's wall time are printed beside it.
 * crowd-kit 1.4 is not installed here, so its times on the same shape of data, on a
 * 2-core machine like this one, are quoted from the issue, not measured.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../../test/runners/provision';
import { figure, round } from './report';

const crowdKitSeconds: Record<string, number> = { mv: 1.4, wawa: 3.1, ds: 28.5, glad: 345 };
const targetSeconds: Record<string, number> = { mv: 0.5, ds: 1.5, glad: 20 };

/** mulberry32: a small seeded generator, so every run aggregates the same data. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Writes the synthetic CSV and returns the true label of every task. */
export function writeSynthetic(file: string, o = { tasks: 200_000, workers: 10_000, overlap: 5, classes: 4, seed: 7 }): Uint8Array {
  const rnd = random(o.seed);
  const accuracy = Float64Array.from({ length: o.workers }, () => 0.5 + 0.45 * rnd());
  const truth = new Uint8Array(o.tasks);
  const fd = fs.openSync(file, 'w');
  let buffer = 'worker,task,label\n';
  const chosen = new Int32Array(o.overlap);
  for (let t = 0; t < o.tasks; t++) {
    const label = Math.floor(rnd() * o.classes);
    truth[t] = label;
    for (let k = 0; k < o.overlap; k++) {
      let w: number;
      do w = Math.floor(rnd() * o.workers);
      while (chosen.subarray(0, k).includes(w));
      chosen[k] = w;
      let answer = label;
      if (rnd() > (accuracy[w] as number)) answer = (label + 1 + Math.floor(rnd() * (o.classes - 1))) % o.classes;
      buffer += `w${w},t${t},${answer}\n`;
    }
    if (buffer.length > 1 << 20) {
      fs.writeSync(fd, buffer);
      buffer = '';
    }
  }
  fs.writeSync(fd, buffer);
  fs.closeSync(fd);
  return truth;
}

export async function benchAggregate(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'toloka-bench-aggregate-'));
  try {
    const input = path.join(dir, 'responses.csv');
    const truth = writeSynthetic(input);
    const cli = path.join(repoRoot, 'dist', 'cli', 'toloka.mjs');
    for (const method of ['mv', 'wawa', 'ds', 'glad']) {
      const output = path.join(dir, `${method}.csv`);
      // This machine's timings wander by half; the median of three runs (GLAD, long enough to
      // be steady, runs once) is the figure, with the spread beside it.
      const runs: Stats[] = [];
      for (let k = 0; k < (method === 'glad' ? 1 : 3); k++) runs.push(runCli(cli, method, input, output));
      runs.sort((a, b) => a.readS + a.aggregateS - (b.readS + b.aggregateS));
      const stats = runs[Math.floor(runs.length / 2)] as Stats;
      let right = 0;
      const rows = fs.readFileSync(output, 'utf8').split('\n');
      for (const row of rows.slice(1)) {
        const [task, label] = row.split(',');
        if (task && Number(label) === truth[Number(task.slice(1))]) right++;
      }
      const reference = crowdKitSeconds[method] as number;
      const seconds = (s: Stats): number => s.readS + s.aggregateS;
      figure('aggregate', `${method}_seconds`, seconds(stats), 's', {
        read_s: round(stats.readS),
        aggregate_s: round(stats.aggregateS),
        write_s: round(stats.writeS),
        process_wall_s: round(stats.wallS),
        runs: runs.length,
        min_s: round(seconds(runs[0] as Stats)),
        max_s: round(seconds(runs[runs.length - 1] as Stats)),
        ...(targetSeconds[method] !== undefined ? { target_s: targetSeconds[method] } : {}),
        crowdkit_quoted_s: reference,
        speedup_vs_quoted: round(reference / seconds(stats)),
      });
      figure('aggregate', `${method}_peak_rss`, Math.max(...runs.map((r) => r.peakRssMiB)), 'MiB', { target_mib: 500 });
      figure('aggregate', `${method}_accuracy`, right / truth.length, 'ratio');
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

interface Stats {
  readS: number;
  aggregateS: number;
  writeS: number;
  peakRssMiB: number;
  wallS: number;
}

function runCli(cli: string, method: string, input: string, output: string): Stats {
  const started = performance.now();
  const run = spawnSync(process.execPath, [cli, 'aggregate', '--method', method, '--input', input, '--output', output, '--stats'], { encoding: 'utf8' });
  const wallS = (performance.now() - started) / 1000;
  if (run.status !== 0) throw new Error(`aggregate --method ${method} failed: ${run.stderr}`);
  const stats = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as Omit<Stats, 'wallS'>;
  return { ...stats, wallS };
}
