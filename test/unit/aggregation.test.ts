/** Aggregation against crowd-kit 1.4.1's choices on 16 real datasets, and small hand-computed cases. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { dawidSkene, majorityVote, ResponseBuilder, wawa, type Aggregated, type Responses } from '../../src/aggregation';
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

  const names = fs.existsSync(datasets) ? fs.readdirSync(datasets).filter((d) => fs.existsSync(path.join(datasets, d, 'crowdkit_pred.csv'))).sort() : [];

  it('finds the shared datasets', () => {
    assert.equal(names.length, 16, `datasets under ${datasets}`);
  });

  for (const name of names) {
    it(`${name}: majority vote and Wawa as crowd-kit task for task, Dawid-Skene on ≥ 99.5%, accuracy within 0.5 point`, () => {
      const r = load(name);
      const reference = new Map(rows(path.join(datasets, name, 'crowdkit_pred.csv')).map(([t, mv, ww, ds]) => [t ?? '', { mv, ww, ds }]));
      const gold = new Map(rows(path.join(datasets, name, 'gold.csv')).map(([t, l]) => [t ?? '', l ?? '']));
      const ours = { mv: byTask(r, majorityVote(r)), ww: byTask(r, wawa(r)), ds: byTask(r, dawidSkene(r, { maxIterations: 100, tolerance: 1e-5 })) };
      for (const method of ['mv', 'ww', 'ds'] as const) {
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
        if (method === 'ds') assert.ok(agreement >= 0.995, `${name} ${method}: ${(agreement * 100).toFixed(2)}% of tasks as crowd-kit`);
        else assert.equal(same, reference.size, `${name} ${method}: ${reference.size - same} task(s) differ from crowd-kit`);
        assert.ok(oursRight / graded >= theirsRight / graded - 0.005, `${name} ${method}: accuracy ${(oursRight / graded).toFixed(4)} vs crowd-kit ${(theirsRight / graded).toFixed(4)}`);
      }
    });
  }
});
