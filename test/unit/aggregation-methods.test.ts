/** The label methods added after majority vote, Wawa, Dawid-Skene and GLAD, on small cases worked out by hand. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dawidSkene, majorityVote, methodById, methods, type Aggregated, type Responses } from '../../src/aggregation';
import { goldCodes } from '../../src/aggregation/gold';
import { kos } from '../../src/aggregation/kos';
import { digamma, mace } from '../../src/aggregation/mace';
import { mmsr } from '../../src/aggregation/mmsr';
import { oneCoinDawidSkene } from '../../src/aggregation/oneCoinDawidSkene';
import { MersenneTwister } from '../../src/aggregation/random';
import { zeroBasedSkill } from '../../src/aggregation/zeroBasedSkill';
import { labelsByTask, responsesOf } from './helpers/datasets';

type Triple = readonly [string, string, string];

/**
 * 40 tasks alternating a and b; four reliable workers always right, one who always gives the
 * other label; then task "last": two reliable workers say a, the contrarian b.
 */
function withContrarian(): Responses {
  const t: Triple[] = [];
  for (let k = 0; k < 40; k++) {
    const truth = k % 2 === 0 ? 'a' : 'b';
    for (const w of ['r1', 'r2', 'r3', 'r4']) t.push([w, `t${k}`, truth]);
    t.push(['liar', `t${k}`, truth === 'a' ? 'b' : 'a']);
  }
  t.push(['r1', 'last', 'a'], ['r2', 'last', 'a'], ['liar', 'last', 'b']);
  return responsesOf(t);
}

function confidenceOf(r: Responses, a: Aggregated, task: string): number {
  return a.confidence[r.taskNames.indexOf(task)] as number;
}

/** One Toloker alone: every method for labels must give their answers back. */
const alone = responsesOf([['w', 't1', 'x'], ['w', 't2', 'y'], ['w', 't3', 'x']]);

describe('Label methods: hand-checked cases', () => {
  it('every method gives a lone Toloker’s answers back, and a task with one answer that answer', () => {
    for (const m of methods) {
      if (m.id === 'kos') continue; // two labels needed and given, but a lone worker's messages cancel: below
      assert.deepEqual(Object.fromEntries(labelsByTask(alone, m.run(alone))), { t1: 'x', t2: 'y', t3: 'x' }, m.id);
    }
  });

  it('NumPy’s Mersenne Twister, so that random starts are crowd-kit’s: seed 0 gives 0.5488135…, N(0,1) 1.7640523…', () => {
    const rng = new MersenneTwister(0);
    assert.deepEqual([rng.random(), rng.random()], [0.5488135039273248, 0.7151893663724195]);
    const normal = new MersenneTwister(0);
    assert.deepEqual([normal.gaussian(), normal.gaussian(), normal.gaussian()], [1.764052345967664, 0.4001572083672233, 0.9787379841057392]);
  });

  it('zero-based skill: a Toloker who agrees with the rest outweighs two who usually dissent; ties go to the smallest label', () => {
    // The Wawa case: on d, w1 says x and the dissenters w3 and w5 say y; plain majority: y.
    const t: Triple[] = [];
    for (const [task, dissenter] of [['a', 'w3'], ['b', 'w3'], ['c', 'w3'], ['e', 'w5'], ['f', 'w5'], ['g', 'w5']] as const) t.push(['w1', task, 'x'], ['w2', task, 'x'], [dissenter, task, 'y']);
    t.push(['w1', 'd', 'x'], ['w3', 'd', 'y'], ['w5', 'd', 'y']);
    // A tie between equally skilled strangers on a task of their own.
    t.push(['s1', 'tie', 'q'], ['s2', 'tie', 'p']);
    const r = responsesOf(t);
    assert.equal(labelsByTask(r, majorityVote(r)).get('d'), 'y');
    // First step (learning rate 1): skills become the agreement with that vote, w1 6/7, w3 and
    // w5 1/4, so d turns to x; second: w3 and w5 agree with nothing, skill 0, and d is x alone.
    const z = zeroBasedSkill(r);
    assert.equal(labelsByTask(r, z).get('d'), 'x');
    assert.equal(confidenceOf(r, z, 'd'), 1);
    assert.equal(labelsByTask(r, zeroBasedSkill(r, { iterations: 1 })).get('d'), 'x');
    assert.equal(confidenceOf(r, zeroBasedSkill(r, { iterations: 1 }), 'd'), 6 / 7 / (6 / 7 + 1 / 2));
    // The first vote ties and goes to p; from then on s2 agrees and s1 does not.
    assert.equal(labelsByTask(r, z).get('tie'), 'p');
    assert.equal(confidenceOf(r, z, 'tie'), 1);
  });

  it('one-coin Dawid-Skene, KOS and M-MSR: a Toloker who is always contradicted counts against their answer', () => {
    const r = withContrarian();
    for (const [name, a] of [['onecoin-ds', oneCoinDawidSkene(r)], ['kos', kos(r)], ['mmsr', mmsr(r)]] as const) {
      const got = labelsByTask(r, a);
      assert.equal(got.get('last'), 'a', name);
      for (let k = 0; k < 40; k++) assert.equal(got.get(`t${k}`), k % 2 === 0 ? 'a' : 'b', `${name} t${k}`);
    }
    // One-coin: the contrarian's skill is ~0, so their "b" is evidence for "a": far above 2/3.
    assert.ok(confidenceOf(r, oneCoinDawidSkene(r), 'last') > 0.99);
    assert.ok(Number.isNaN(confidenceOf(r, kos(r), 'last')), 'KOS has no probabilities');
  });

  it('MACE sees through two Tolokers who always answer "a", where majority vote follows them', () => {
    // Truth alternates; r1..r3 are right; s1, s2 always say a. On "last", r1 says b, s1 and s2 a.
    const t: Triple[] = [];
    for (let k = 0; k < 40; k++) {
      const truth = k % 2 === 0 ? 'a' : 'b';
      for (const w of ['r1', 'r2', 'r3']) t.push([w, `t${k}`, truth]);
      t.push(['s1', `t${k}`, 'a'], ['s2', `t${k}`, 'a']);
    }
    t.push(['r1', 'last', 'b'], ['s1', 'last', 'a'], ['s2', 'last', 'a']);
    const r = responsesOf(t);
    assert.equal(labelsByTask(r, majorityVote(r)).get('last'), 'a');
    const m = mace(r);
    assert.equal(labelsByTask(r, m).get('last'), 'b');
    assert.ok(confidenceOf(r, m, 'last') > 0.5);
    for (let k = 0; k < 40; k++) assert.equal(labelsByTask(r, m).get(`t${k}`), k % 2 === 0 ? 'a' : 'b', `t${k}`);
  });

  it('MACE: digamma matches known values (ψ(1) = -γ, ψ(1/2) = -γ - 2 ln 2)', () => {
    const gamma = 0.5772156649015329;
    assert.ok(Math.abs(digamma(1) + gamma) < 1e-13);
    assert.ok(Math.abs(digamma(0.5) + gamma + 2 * Math.LN2) < 1e-13);
    assert.ok(Math.abs(digamma(10.3) - digamma(9.3) - 1 / 9.3) < 1e-13);
  });

  it('KOS takes exactly two labels, and says so naming them', () => {
    const r = responsesOf([['w1', 't', 'x'], ['w2', 't', 'y'], ['w3', 't', 'z']]);
    assert.throws(() => kos(r), /KOS aggregates exactly two labels; these answers have 3 \(x, y, z\)/);
    assert.throws(() => methodById('kos')?.run(r), /exactly two labels/);
  });

  it('KOS: a lone Toloker’s messages cancel to 0, and a sum of 0 goes to the smallest label', () => {
    const r = responsesOf([['w', 't1', 'y'], ['w', 't2', 'x']]);
    assert.deepEqual(Object.fromEntries(labelsByTask(r, kos(r))), { t1: 'x', t2: 'x' });
  });

  it('M-MSR: with no Toloker sharing a task with another, skills are unknown and each task gets its majority', () => {
    const r = responsesOf([['w1', 't1', 'b'], ['w1', 't1', 'a'], ['w1', 't1', 'b'], ['w2', 't2', 'a']]);
    assert.deepEqual(Object.fromEntries(labelsByTask(r, mmsr(r))), { t1: 'b', t2: 'a' });
  });
});

describe('Dawid-Skene with golden answers', () => {
  // w1 always gives the wrong label, w2 the right one, on 20 tasks whose answers are known;
  // task u has only w1's answer "a". Without the golden answers the two workers are mirror
  // images and nothing says which one lies.
  const t: Triple[] = [];
  const golden = new Map<string, string>();
  for (let k = 0; k < 20; k++) {
    const truth = k % 2 === 0 ? 'a' : 'b';
    golden.set(`g${k}`, truth);
    t.push(['w1', `g${k}`, truth === 'a' ? 'b' : 'a'], ['w2', `g${k}`, truth]);
  }
  t.push(['w1', 'u', 'a']);
  const r = responsesOf(t);

  it('learns from them that a Toloker lies, and labels the task only that Toloker answered accordingly', () => {
    const { responses, gold } = goldCodes(r, golden);
    const a = dawidSkene(responses, { gold });
    assert.equal(labelsByTask(responses, a).get('u'), 'b');
    assert.ok(confidenceOf(responses, a, 'u') > 0.99);
    for (const [task, label] of golden) assert.equal(labelsByTask(responses, a).get(task), label, task);
    assert.equal(methodById('ds')?.run(responses, { gold }).labels[r.taskNames.indexOf('u')], responses.labelNames.indexOf('b'));
  });

  it('a known task keeps its golden label against every answer, even one no Toloker gave; other tasks as without it', () => {
    const r2 = responsesOf([['w1', 't1', 'a'], ['w2', 't1', 'a'], ['w1', 't2', 'b'], ['w2', 't2', 'b']]);
    const { responses, gold, unmatched } = goldCodes(r2, new Map([['t1', 'c'], ['nowhere', 'a']]));
    assert.equal(unmatched, 1);
    assert.deepEqual(responses.labelNames, ['a', 'b', 'c']);
    assert.deepEqual(Object.fromEntries(labelsByTask(responses, dawidSkene(responses, { gold }))), { t1: 'c', t2: 'b' });
  });
});

describe('Weighted majority vote', () => {
  it('a heavy Toloker outweighs two light ones; equal weights tie to the smallest label', () => {
    const r = responsesOf([['heavy', 't', 'x'], ['light1', 't', 'y'], ['light2', 't', 'y'], ['heavy', 'u', 'q'], ['light1', 'u', 'p']]);
    const weights = Float64Array.from(r.workerNames, (w) => (w === 'heavy' ? 3 : 1));
    const a = methodById('mv')?.run(r, { weights });
    assert.ok(a);
    assert.deepEqual(Object.fromEntries(labelsByTask(r, a)), { t: 'x', u: 'q' });
    assert.equal(a.confidence[0], 3 / 5);
    const even = methodById('mv')?.run(r, { weights: new Float64Array(r.workerNames.length).fill(2) });
    assert.ok(even);
    assert.deepEqual(Object.fromEntries(labelsByTask(r, even)), { t: 'y', u: 'p' });
  });
});
