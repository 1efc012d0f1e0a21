/** Aggregation against crowd-kit 1.4.1's choices on 16 real datasets, and small hand-computed cases. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { dawidSkene, glad, majorityVote, ResponseBuilder, wawa, type Aggregated, type Responses } from '../../src/aggregation';
import { repoRoot } from '../runners/provision';

const datasets = path.resolve(repoRoot, '..', 'shared', 'datasets');

function rows(file: string): string[][] {
  return fs.readFileSync(file, 'utf8').trim().split('\n').slice(1).map((l) => l.replace(/\r$/, '').split(','));
}

function load(name: string): Responses {
  const b = new ResponseBuilder();
  for (const [w, t, l] of rows(path.join(datasets, name, 'labels.csv'))) b.add(w ?? '', t ?? '', l ?? '');
  return b.build();
}

function byTask(r: Responses, a: Aggregated): Map<string, string> {
  return new Map(r.taskNames.map((t, i) => [t, r.labelNames[a.labels[i] as number] ?? '']));
}

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
    const got = byTask(r, majorityVote(r));
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
    assert.equal(byTask(r, majorityVote(r)).get('d'), 'y');
    const w = wawa(r);
    assert.equal(byTask(r, w).get('d'), 'x');
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

  it('Dawid-Skene gives the same labels on worker threads as inline', () => {
    // 60,000 tasks, 2,000 workers of varied accuracy, overlap 5, 3 classes; seeded.
    let seed = 12345;
    const rnd = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 4294967296;
    };
    const accuracy = Array.from({ length: 2000 }, () => 0.4 + 0.55 * rnd());
    const b = new ResponseBuilder();
    for (let t = 0; t < 60_000; t++) {
      const truth = Math.floor(rnd() * 3);
      for (let k = 0; k < 5; k++) {
        const w = Math.floor(rnd() * 2000);
        const label = rnd() < (accuracy[w] as number) ? truth : (truth + 1 + Math.floor(rnd() * 2)) % 3;
        b.add(`w${w}`, `t${t}`, String(label));
      }
    }
    const r = b.build();
    const inline = dawidSkene(r, { threads: 1 });
    const threaded = dawidSkene(r, { threads: 3 });
    let same = 0;
    for (let t = 0; t < r.taskNames.length; t++) if (inline.labels[t] === threaded.labels[t]) same++;
    // Sums added in another order may differ in the last bits, nothing more.
    assert.ok(same >= r.taskNames.length - 3, `${r.taskNames.length - same} tasks differ`);
    for (let t = 0; t < 100; t++) assert.ok(Math.abs((inline.confidence[t] as number) - (threaded.confidence[t] as number)) < 1e-6);
  });

  const names = fs.existsSync(datasets) ? fs.readdirSync(datasets).filter((d) => fs.existsSync(path.join(datasets, d, 'crowdkit_pred.csv'))).sort() : [];

  it('finds the shared datasets', () => {
    assert.equal(names.length, 16, `datasets under ${datasets}`);
  });

  for (const name of names) {
    it(`${name}: majority vote and Wawa as crowd-kit task for task, Dawid-Skene and GLAD on ≥ 99.5%, accuracy within 0.5 point`, () => {
      const r = load(name);
      const reference = new Map(rows(path.join(datasets, name, 'crowdkit_pred.csv')).map(([t, mv, ww, ds, gl]) => [t ?? '', { mv, ww, ds, gl }]));
      const gold = new Map(rows(path.join(datasets, name, 'gold.csv')).map(([t, l]) => [t ?? '', l ?? '']));
      const ours = {
        mv: byTask(r, majorityVote(r)),
        ww: byTask(r, wawa(r)),
        ds: byTask(r, dawidSkene(r, { maxIterations: 100, tolerance: 1e-5 })),
        gl: byTask(r, glad(r, { maxIterations: 100, tolerance: 1e-5, mStepMaxIterations: 25, mStepTolerance: 1e-2 })),
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
