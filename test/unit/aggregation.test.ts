/** Aggregation against crowd-kit 1.4.1's choices on 16 real datasets, and small hand-computed cases. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { dawidSkene, glad, majorityVote, methods, ResponseBuilder, wawa } from '../../src/aggregation';
import { runInWorker } from '../../src/aggregation/runInWorker';
import { dsPass, passFor } from '../../src/aggregation/dsPass';
import { generateDsPasses, unrolledFile } from '../../scripts/dsPassSource';
import { repoRoot } from '../runners/provision';
import { goldCodes } from '../../src/aggregation/gold';
import { kos } from '../../src/aggregation/kos';
import { mace } from '../../src/aggregation/mace';
import { mmsr } from '../../src/aggregation/mmsr';
import { oneCoinDawidSkene } from '../../src/aggregation/oneCoinDawidSkene';
import { zeroBasedSkill } from '../../src/aggregation/zeroBasedSkill';
import { csvRows, csvRowsWithHeader, datasetNames, datasetPath, itWithDatasets, labelsByTask, loadDataset, loadGold } from './helpers/datasets';

describe('Aggregation', () => {
  it('majority vote: ties go to the smallest label as text, duplicates count', () => {
    const b = new ResponseBuilder();
    b.add('w1', 't', 'b');
    b.add('w2', 't', 'a');
    b.add('w3', 'u', '2');
    b.add('w4', 'u', '10');
    b.add('w5', 'v', 'x');
    b.add('w5', 'v', 'x');
    b.add('w6', 'v', 'y');
    const r = b.build();
    const got = labelsByTask(r, majorityVote(r));
    assert.deepEqual(Object.fromEntries(got), { t: 'a', u: '10', v: 'x' });
    assert.equal(majorityVote(r).confidence[2]?.toFixed(3), '0.667');
  });

  it('Wawa: a reliable worker outweighs two who usually dissent', () => {
    // Tasks a-c: w1, w2 say x and w3 says y; tasks e-g: w1, w2 say x and w5 says y. Task d:
    // w1 says x, w3 and w5 say y, so the plain majority is y. Skills (agreement with the
    // plain majority): w1 6/7, w3 1/4, w5 1/4. Weighted, d is x: 6/7 against 1/4 + 1/4,
    // with confidence (6/7) / (6/7 + 1/2) = 12/19.
    const b = new ResponseBuilder();
    for (const [t, dissenter] of [['a', 'w3'], ['b', 'w3'], ['c', 'w3'], ['e', 'w5'], ['f', 'w5'], ['g', 'w5']] as const) {
      b.add('w1', t, 'x');
      b.add('w2', t, 'x');
      b.add(dissenter, t, 'y');
    }
    b.add('w1', 'd', 'x');
    b.add('w3', 'd', 'y');
    b.add('w5', 'd', 'y');
    const r = b.build();
    assert.equal(labelsByTask(r, majorityVote(r)).get('d'), 'y');
    const w = wawa(r);
    assert.equal(labelsByTask(r, w).get('d'), 'x');
    assert.ok(Math.abs((w.confidence[r.taskNames.indexOf('d')] as number) - 12 / 19) < 1e-12);
  });

  it('Dawid-Skene and GLAD: a worker who is always contradicted stops counting', () => {
    // Four reliable workers agree on 40 tasks; one contrarian always answers the other label.
    // On the last task two reliable workers answer "a" and the contrarian "b": both models
    // must pick "a", with a confidence above majority vote's 2/3.
    const b = new ResponseBuilder();
    for (let t = 0; t < 40; t++) {
      const truth = t % 2 === 0 ? 'a' : 'b';
      for (const w of ['r1', 'r2', 'r3', 'r4']) b.add(w, `t${t}`, truth);
      b.add('liar', `t${t}`, truth === 'a' ? 'b' : 'a');
    }
    b.add('r1', 'last', 'a');
    b.add('r2', 'last', 'a');
    b.add('liar', 'last', 'b');
    const r = b.build();
    for (const [name, a] of [['ds', dawidSkene(r)], ['glad', glad(r)]] as const) {
      const last = r.taskNames.indexOf('last');
      assert.equal(r.labelNames[a.labels[last] as number], 'a', name);
      assert.ok((a.confidence[last] as number) > 0.9, `${name}: confidence ${a.confidence[last]}`);
      for (let t = 0; t < 40; t++) assert.equal(r.labelNames[a.labels[t] as number], t % 2 === 0 ? 'a' : 'b', `${name} t${t}`);
    }
  });

  it("Dawid-Skene's generated pass for 1 to 8 labels computes exactly what the general one does", () => {
    let seed = 99;
    const rnd = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 4294967296;
    };
    for (let L = 1; L <= 8; L++) {
      const nTasks = 300;
      const nWorkers = 20;
      const start = new Int32Array(nTasks + 1);
      for (let t = 0; t < nTasks; t++) start[t + 1] = (start[t] as number) + 1 + Math.floor(rnd() * 6);
      const cell = Int32Array.from({ length: start[nTasks] as number }, () => Math.floor(rnd() * nWorkers * L) * L);
      const logErrors = Float64Array.from({ length: nWorkers * L * L }, () => Math.log(0.01 + rnd()));
      const logPriors = Float64Array.from({ length: L }, () => Math.log(0.1 + rnd()));
      const run = (pass: typeof dsPass, estimate: boolean) => {
        const post = Float64Array.from({ length: nTasks * L }, (_, i) => ((i * 7919) % 13) / 13);
        const out = { post, priors: new Float64Array(L), mass: new Float64Array(L), counts: new Float64Array(nWorkers * L * L) };
        const entropy = pass(estimate, 0, nTasks, start, cell, post, logPriors, logErrors, new Float64Array(L), out.priors, out.mass, out.counts);
        return { entropy, ...out };
      };
      for (const estimate of [true, false]) {
        const general = run(dsPass, estimate);
        const unrolled = run(passFor(L), estimate);
        assert.deepEqual(unrolled, general, `L = ${L}, estimate = ${estimate}`);
      }
      assert.notEqual(passFor(L), dsPass, `L = ${L} is generated`);
    }
    assert.equal(passFor(9), dsPass, 'more labels take the general pass');
  });

  it('the committed unrolled passes are what scripts/generateDsPasses.ts writes now (npm run generate)', () => {
    assert.equal(fs.readFileSync(path.join(repoRoot, unrolledFile), 'utf8'), generateDsPasses(), `${unrolledFile} is stale: run npm run generate`);
  });

  const names = datasetNames();

  itWithDatasets('finds the shared datasets', () => {
    assert.equal(names.length, 16, `datasets under ${datasetPath()}`);
  });

  for (const name of names) {
    itWithDatasets(`${name}: majority vote and Wawa as crowd-kit task for task, Dawid-Skene and GLAD on ≥ 99.5%, accuracy within 0.5 point`, () => {
      const r = loadDataset(name);
      const reference = new Map(csvRows(datasetPath(name, 'crowdkit_pred.csv')).map(([t, mv, ww, ds, gl]) => [t ?? '', { mv, ww, ds, gl }]));
      const gold = new Map(csvRows(datasetPath(name, 'gold.csv')).map(([t, l]) => [t ?? '', l ?? '']));
      const ours = {
        mv: labelsByTask(r, majorityVote(r)),
        ww: labelsByTask(r, wawa(r)),
        ds: labelsByTask(r, dawidSkene(r, { maxIterations: 100, tolerance: 1e-5 })),
        gl: labelsByTask(r, glad(r, { maxIterations: 100, tolerance: 1e-5, mStepMaxIterations: 25, mStepTolerance: 1e-2 })),
      };
      for (const method of ['mv', 'ww', 'ds', 'gl'] as const) {
        let same = 0;
        let oursRight = 0;
        let theirsRight = 0;
        let graded = 0;
        for (const [task, ref] of reference) {
          const mine = ours[method].get(task);
          if (mine === ref[method]) same++;
          const g = gold.get(task);
          if (g !== undefined) {
            graded++;
            if (mine === g) oursRight++;
            if (ref[method] === g) theirsRight++;
          }
        }
        const agreement = same / reference.size;
        if (method === 'ds' || method === 'gl') assert.ok(agreement >= 0.995, `${name} ${method}: ${(agreement * 100).toFixed(2)}% of tasks as crowd-kit`);
        else assert.equal(same, reference.size, `${name} ${method}: ${reference.size - same} task(s) differ from crowd-kit`);
        assert.ok(oursRight / graded >= theirsRight / graded - 0.005, `${name} ${method}: accuracy ${(oursRight / graded).toFixed(4)} vs crowd-kit ${(theirsRight / graded).toFixed(4)}`);
      }
    });
  }
});

describe('The other label methods against crowd-kit 1.4.1 on the shared datasets', () => {
  /** Share of the tasks crowd-kit labelled where we chose the same label. */
  const agreement = (ours: Map<string, string>, theirs: Map<string, string>): number => {
    let same = 0;
    for (const [task, label] of theirs) if (ours.get(task) === label) same++;
    return same / theirs.size;
  };
  for (const name of datasetNames()) {
    itWithDatasets(`${name}: zero-based skill, one-coin DS, KOS, DS with every golden answer known, and MACE with crowd-kit's bugs on ≥ 99.5% of tasks`, () => {
      const r = loadDataset(name);
      const [header, ...body] = csvRowsWithHeader(datasetPath(name, 'crowdkit_pred_extra.csv'));
      const column = (id: string): Map<string, string> => {
        const c = (header ?? []).indexOf(id);
        return new Map(body.filter((row) => (row[c] ?? '') !== '').map((row) => [row[0] ?? '', row[c] ?? '']));
      };
      const { responses: withGold, gold } = goldCodes(r, loadGold(name));
      const runs: Array<[string, () => Map<string, string>]> = [
        ['zbs', () => labelsByTask(r, zeroBasedSkill(r))],
        ['onecoin_ds', () => labelsByTask(r, oneCoinDawidSkene(r))],
        ['kos', () => labelsByTask(r, kos(r))],
        ['ds_gold', () => labelsByTask(withGold, dawidSkene(withGold, { gold }))],
        ['mace', () => labelsByTask(r, mace(r, { crowdKitBugs: true }))],
      ];
      for (const [id, run] of runs) {
        const theirs = column(id);
        if (theirs.size === 0) {
          // crowd-kit left it out: KOS on more than two labels, which we refuse too.
          if (id === 'kos' && r.labelNames.length !== 2) assert.throws(run, /exactly two labels/);
          continue;
        }
        const share = agreement(run(), theirs);
        assert.ok(share >= 0.995, `${name} ${id}: ${(share * 100).toFixed(2)}% of tasks as crowd-kit`);
      }
    });
  }

  itWithDatasets('M-MSR: where every pair of Tolokers shares a task, crowd-kit’s sign bug cannot show, and the labels are its own', () => {
    for (const name of ['bluebirds', 'face']) {
      const r = loadDataset(name);
      const [header, ...body] = csvRowsWithHeader(datasetPath(name, 'crowdkit_pred_extra.csv'));
      const c = (header ?? []).indexOf('mmsr');
      const theirs = new Map(body.map((row) => [row[0] ?? '', row[c] ?? '']));
      assert.ok(agreement(labelsByTask(r, mmsr(r)), theirs) >= 0.995, name);
    }
  });
});

describe('Aggregation in a worker thread', () => {
  const workerFile = path.join(repoRoot, 'dist', 'aggregationWorker.js');

  it('is built beside the extension (npm run build)', () => {
    assert.ok(fs.existsSync(workerFile), `${workerFile} is missing: run node esbuild.js`);
  });

  itWithDatasets('gives exactly what the same method gives in this thread', async () => {
    const r = loadDataset('rte');
    for (const m of methods) {
      const here = m.run(r);
      const there = await runInWorker(workerFile, m.id, r);
      assert.deepEqual(Array.from(there.labels), Array.from(here.labels), m.id);
      assert.deepEqual(Array.from(there.confidence), Array.from(here.confidence), m.id);
    }
    assert.equal(r.tasks.length, csvRows(datasetPath('rte', 'labels.csv')).length, 'the caller keeps its responses');
  });

  it('stops when cancelled, before or while it computes, and never answers', async () => {
    // GLAD on 300,000 responses takes seconds: the abort lands long before it could finish.
    const b = new ResponseBuilder();
    for (let i = 0; i < 300_000; i++) b.add(`w${i % 997}`, `t${i % 60_000}`, String((i * 7919) % 3));
    const big = b.build();
    await assert.rejects(runInWorker(workerFile, 'glad', big, AbortSignal.abort()), /cancelled/);
    const controller = new AbortController();
    const running = runInWorker(workerFile, 'glad', big, controller.signal);
    setImmediate(() => controller.abort());
    await assert.rejects(running, /cancelled/);
  });

  it('takes golden answers and weights along, and rejects with a method’s own error', async () => {
    const b = new ResponseBuilder();
    for (const [w, t, l] of [['w1', 't', 'x'], ['w2', 't', 'y'], ['w3', 't', 'y'], ['w1', 'u', 'x'], ['w2', 'u', 'z']] as const) b.add(w, t, l);
    const r = b.build();
    const weights = Float64Array.from([5, 1, 1]);
    assert.deepEqual(Array.from((await runInWorker(workerFile, 'mv', r, undefined, { weights })).labels), [0, 0]);
    const gold = Int32Array.from([0, -1]);
    assert.equal((await runInWorker(workerFile, 'ds', r, undefined, { gold })).labels[0], 0);
    await assert.rejects(runInWorker(workerFile, 'kos', r), /KOS aggregates exactly two labels/);
  });

  it('says so when the worker cannot start', async () => {
    const b = new ResponseBuilder();
    b.add('w', 't', 'x');
    await assert.rejects(runInWorker(path.join(repoRoot, 'dist', 'no-such-worker.js'), 'mv', b.build()), /Cannot find module|no-such-worker/);
  });
});
