/** The files aggregation reads and writes, and `npm run aggregate` with every kind of input and `metrics`. */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { consistency, krippendorffAlpha, uncertainty } from '../../src/aggregation/metrics';
import { aggregateFile, metricsFile } from '../../src/files/aggregateFile';
import { readComparisonsCsv, readGoldCsv, readWeightsCsv } from '../../src/files/aggregationInputs';
import { ResponsesFileError } from '../../src/files/responses';
import { repoRoot } from '../runners/provision';
import { csvRowsWithHeader, datasetNames, datasetPath, itWithDatasets, loadDataset, responsesOf } from './helpers/datasets';
import { tempFiles } from './helpers/tempFiles';

const { dir, file } = tempFiles('tlk-aggregate-files-');
const lines = (f: string): string[] => fs.readFileSync(f, 'utf8').trim().split('\n');
const rejectsWith = (f: string, line: number, message: string) => (e: unknown) => e instanceof ResponsesFileError && e.message === `${f}:${line}: ${message}`;

describe('Aggregation input files', () => {
  it('comparisons: the label must be the left or the right item, and an item is not compared with itself', async () => {
    const good = file('worker,left,right,label\nw1,a,b,a\nw2,b,c,c\nw3,a,c,\n');
    const c = await readComparisonsCsv(good);
    assert.deepEqual([...c.itemNames], ['a', 'b', 'c']);
    assert.deepEqual(Array.from(c.leftWon), [1, 0]);
    const wrong = file('worker,left,right,label\nw1,a,b,a\nw2,b,c,d\n');
    await assert.rejects(readComparisonsCsv(wrong), rejectsWith(wrong, 3, 'label: "d" is neither the left item "b" nor the right "c"'));
    const self = file('worker,left,right,label\nw1,a,a,a\n');
    await assert.rejects(readComparisonsCsv(self), rejectsWith(self, 2, 'right: "a" is compared with itself'));
  });

  it('weights: a number per Toloker who answered, each listed once', async () => {
    const r = responsesOf([['w1', 't', 'x'], ['w2', 't', 'y']]);
    assert.deepEqual(Array.from(await readWeightsCsv(file('worker,weight\nw2,0.5\nw1,2\nw9,1\n'), r)), [2, 0.5]);
    const bad = file('worker,weight\nw1,2\nw2,high\n');
    await assert.rejects(readWeightsCsv(bad, r), rejectsWith(bad, 3, 'weight: "high" is not a number'));
    const twice = file('worker,weight\nw1,2\nw2,1\nw1,3\n');
    await assert.rejects(readWeightsCsv(twice, r), rejectsWith(twice, 4, 'worker: "w1" is listed twice'));
    const missing = file('worker,weight\nw1,2\n');
    await assert.rejects(readWeightsCsv(missing, r), new RegExp(`${missing}: no weight for 1 Toloker\\(s\\) who answered, e.g. "w2"`));
  });

  it('golden answers: task,true_label (or task,label); a task given two labels is an error', async () => {
    assert.deepEqual([...(await readGoldCsv(file('task,true_label\nt1,a\nt2,b\nt1,a\n')))], [['t1', 'a'], ['t2', 'b']]);
    assert.deepEqual([...(await readGoldCsv(file('label,task\nx,t1\n')))], [['t1', 'x']]);
    const conflict = file('task,true_label\nt1,a\nt1,b\n');
    await assert.rejects(readGoldCsv(conflict), rejectsWith(conflict, 3, 'true_label: task "t1" was already given "a"'));
  });
});

describe('toloka aggregate and toloka metrics, every kind of input', () => {
  const bin = path.join(repoRoot, 'dist', 'cli', 'toloka.mjs');
  const toloka = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
  const run = (...args: string[]) => toloka('aggregate', ...args);

  it('labels with weights and with golden answers; their options refused where they do not apply', async () => {
    const input = file('worker,task,label\nheavy,t,x\nl1,t,y\nl2,t,y\nheavy,u,q\nl1,u,p\n');
    const out = path.join(dir, 'weighted.csv');
    const ok = run('--method', 'mv', '--input', input, '--weights', file('worker,weight\nheavy,3\nl1,1\nl2,1\n'), '--output', out);
    assert.equal(ok.status, 0, ok.stderr);
    assert.deepEqual(lines(out), ['task,label,confidence', 't,x,0.6', 'u,q,0.75']);
    const gold = run('--method', 'ds', '--input', input, '--gold', file('task,true_label\nt,y\n'), '--output', out);
    assert.equal(gold.status, 0, gold.stderr);
    assert.equal(lines(out)[1], 't,y,1');
    const refused = run('--method', 'wawa', '--input', input, '--gold', input, '--output', out);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /toloka aggregate: --gold is for ds, not wawa/);
    await assert.rejects(aggregateFile({ method: 'bt', input, output: out, weights: input }), /--weights is for mv \(and binary-relevance over it\), not bt/);
  });

  it('KOS without a confidence leaves the column empty; with three labels it says why it cannot run', () => {
    const input = file('worker,task,label\nw1,t,a\nw2,t,a\nw3,t,b\nw1,u,b\nw2,u,b\nw3,u,a\n');
    const out = path.join(dir, 'kos.csv');
    assert.equal(run('--method', 'kos', '--input', input, '--output', out).status, 0);
    assert.deepEqual(lines(out), ['task,label,confidence', 't,a,', 'u,b,']);
    const three = run('--method', 'kos', '--input', file('worker,task,label\nw1,t,a\nw2,t,b\nw3,t,c\n'), '--output', out);
    assert.equal(three.status, 1);
    assert.match(three.stderr, /KOS aggregates exactly two labels; these answers have 3/);
  });

  it('pairwise comparisons to a ranking, texts to a text, label sets to a set', () => {
    const ranked = path.join(dir, 'ranking.csv');
    const bt = run('--method', 'bt', '--input', file('worker,left,right,label\nw1,a,b,a\nw2,b,a,a\nw3,a,b,a\nw4,a,b,b\n'), '--output', ranked);
    assert.equal(bt.status, 0, bt.stderr);
    assert.deepEqual(lines(ranked), ['item,score,rank', 'a,0.75,1', 'b,0.25,2']);
    assert.equal(run('--method', 'noisy-bt', '--input', file('worker,left,right,label\nw1,a,b,a\nw2,b,a,a\n'), '--output', ranked).status, 0);
    assert.equal(lines(ranked)[1]?.split(',')[0], 'a');

    const texts = path.join(dir, 'texts.csv');
    const rv = run('--method', 'rover', '--input', file('worker,task,text\nw1,t,the cat sat\nw2,t,"the black cat sat"\nw3,t,the cat sat down\n'), '--output', texts);
    assert.equal(rv.status, 0, rv.stderr);
    assert.deepEqual(lines(texts), ['task,text', 't,the cat sat']);

    const sets = path.join(dir, 'sets.csv');
    const br = run('--method', 'binary-relevance', '--base', 'ds', '--input', file('worker,task,label\nw1,t,a|b\nw2,t,"[""a""]"\nw3,t,b|c\n'), '--output', sets);
    assert.equal(br.status, 0, br.stderr);
    assert.deepEqual(lines(sets), ['task,labels', 't,a|b']);
    const badSet = file('worker,task,label\nw1,t,a\nw2,t,"[""a"""\n');
    const refused = run('--method', 'binary-relevance', '--input', badSet, '--output', sets);
    assert.equal(refused.status, 1);
    assert.equal(refused.stderr.trim(), `toloka aggregate: ${badSet}:3: label: "["a"" is not a JSON array of labels (or labels separated by |)`);
  });

  it('an unknown method or option names the choices', () => {
    const bad = run('--method', 'em', '--input', 'x.csv', '--output', 'y.csv');
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /unknown method "em"; choose one of mv, wawa, ds, glad, zbs, onecoin-ds, mace, kos, mmsr, bt, noisy-bt, rover, binary-relevance/);
    const option = run('--method', 'mv', '--colour', 'red');
    assert.match(option.stderr, /toloka aggregate: unknown option --colour\nusage: toloka aggregate/);
    const help = run('--help');
    assert.match(help.stdout, /bt, noisy-bt: a worker,left,right,label CSV/);
  });

  it('metrics: the data metrics, and with golden answers the accuracy of Tolokers and of each method', () => {
    const input = file('worker,task,label\nA,X,yes\nB,X,yes\nA,Y,no\nB,Y,no\nA,Z,yes\nB,Z,no\n');
    const workers = path.join(dir, 'workers.csv');
    const m = toloka('metrics', '--input', input, '--gold', file('task,true_label\nZ,yes\nW,no\n'), '--methods', 'mv,kos,ds', '--workers', workers, '--json');
    assert.equal(m.status, 0, m.stderr);
    const report = JSON.parse(m.stdout) as { consistency: number; accuracyOnAggregates: number; gold: { tasks: number; unmatched: number; workerAccuracy: number; methods: Record<string, { accuracy?: number; error?: string }> } };
    assert.equal(report.consistency, 1);
    assert.equal(report.accuracyOnAggregates, 5 / 6);
    assert.deepEqual({ ...report.gold, methods: undefined }, { tasks: 1, unmatched: 1, workerAccuracy: 0.5, methods: undefined });
    assert.deepEqual(report.gold.methods['mv'], { accuracy: 0 });
    assert.ok(typeof report.gold.methods['kos']?.accuracy === 'number');
    assert.deepEqual(lines(workers), ['worker,answers,accuracy_on_aggregates,answers_on_gold,accuracy_on_gold', 'A,3,0.666667,1,1', 'B,3,1,1,0']);
    const text = toloka('metrics', '--input', input);
    assert.match(text.stdout, /^6 responses, 3 tasks, 2 Tolokers, 2 labels\nconsistency +1\.000000\nuncertainty +0\.231049\nKrippendorff's alpha +0\.444444\n/);
  });
});

describe('Metrics against crowd-kit 1.4.1 on the shared datasets', () => {
  itWithDatasets('consistency, uncertainty and Krippendorff’s alpha equal crowd-kit’s to 1e-6 on every dataset', () => {
    const [header, ...rows] = csvRowsWithHeader(datasetPath('crowdkit_metrics.csv'));
    const column = (name: string): number => (header ?? []).indexOf(name);
    assert.equal(rows.length, datasetNames().length);
    for (const row of rows) {
      const name = row[0] ?? '';
      const r = loadDataset(name);
      for (const [metric, ours] of [['consistency', consistency(r)], ['uncertainty', uncertainty(r)], ['alpha_krippendorff', krippendorffAlpha(r)]] as const) {
        const theirs = Number(row[column(metric)]);
        assert.ok(Math.abs(ours - theirs) <= 1e-6, `${name} ${metric}: ${ours} vs crowd-kit ${theirs}`);
      }
    }
  });

  itWithDatasets('the metrics command gives each method’s accuracy on the golden tasks, as crowd-kit measured it where the labels agree', async () => {
    const [header, ...rows] = csvRowsWithHeader(datasetPath('crowdkit_metrics.csv'));
    const row = rows.find((x) => x[0] === 'sp_amt') ?? [];
    const report = await metricsFile({ input: datasetPath('sp_amt', 'labels.csv'), gold: datasetPath('sp_amt', 'gold.csv'), methods: ['mv', 'ds', 'zbs', 'onecoin-ds', 'kos'] });
    for (const [id, column] of [['mv', 'acc_mv'], ['ds', 'acc_ds'], ['zbs', 'acc_zbs'], ['onecoin-ds', 'acc_onecoin_ds'], ['kos', 'acc_kos']] as const) {
      const got = report.gold?.methods[id];
      assert.ok(got && 'accuracy' in got, id);
      assert.ok(Math.abs(got.accuracy - Number(row[(header ?? []).indexOf(column)])) <= 1e-6, `${id}: ${got.accuracy}`);
    }
  });
});
