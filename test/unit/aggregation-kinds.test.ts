/** Pairwise comparisons, texts, multi-label answers and the quality metrics, on small cases worked out by hand. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { methodById } from '../../src/aggregation';
import { binaryRelevance } from '../../src/aggregation/binaryRelevance';
import { goldCodes } from '../../src/aggregation/gold';
import { accuracyAgainst, consistency, krippendorffAlpha, labelAccuracy, uncertainty } from '../../src/aggregation/metrics';
import { bradleyTerry, noisyBradleyTerry, ranking, type Comparisons } from '../../src/aggregation/pairwise';
import { rover } from '../../src/aggregation/rover';
import { labelSet } from '../../src/files/aggregationInputs';
import { responsesOf } from './helpers/datasets';

/** Comparisons from (worker, left, right, winner) quadruples. */
function comparisons(rows: ReadonlyArray<readonly [string, string, string, string]>): Comparisons {
  const workers: string[] = [];
  const items: string[] = [];
  const code = (list: string[], name: string): number => (list.includes(name) ? list.indexOf(name) : list.push(name) - 1);
  const w = rows.map(([worker]) => code(workers, worker));
  const l = rows.map(([, left]) => code(items, left));
  const r = rows.map(([, , right]) => code(items, right));
  return { workers: Int32Array.from(w), left: Int32Array.from(l), right: Int32Array.from(r), leftWon: Uint8Array.from(rows, ([, left, , winner]) => (winner === left ? 1 : 0)), workerNames: workers, itemNames: items };
}

describe('Pairwise comparisons', () => {
  it('Bradley-Terry: 3 wins to 1 gives scores 3/4 and 1/4; an item that never won scores 0', () => {
    const c = comparisons([['w1', 'A', 'B', 'A'], ['w2', 'B', 'A', 'A'], ['w3', 'A', 'B', 'A'], ['w4', 'A', 'B', 'B'], ['w1', 'C', 'A', 'A']]);
    const p = bradleyTerry(c);
    assert.equal(p[c.itemNames.indexOf('C')], 0);
    // With C at 0, A and B meet the fixed point p_A / (p_A + p_B) = 3/4 (C's loss adds 1 win to A and 1/p_A to its sum).
    assert.ok(Math.abs((p[0] as number) + (p[1] as number) - 1) < 1e-12);
    assert.deepEqual(ranking(c.itemNames, p).map((x) => [x.item, x.rank]), [['A', 1], ['B', 2], ['C', 3]]);
  });

  it('Bradley-Terry iterates to the maximum-likelihood scores (crowd-kit stops after two iterations)', () => {
    // A beats B 2-1, B beats C 2-1, A beats C 2-1: at the optimum every item's wins equal Σ n_ij p_i / (p_i + p_j).
    const rows: Array<[string, string, string, string]> = [];
    for (const [x, y] of [['A', 'B'], ['B', 'C'], ['A', 'C']] as const) rows.push(['w', x, y, x], ['w', x, y, x], ['w', x, y, y]);
    const c = comparisons(rows);
    const p = bradleyTerry(c, { maxIterations: 10_000, tolerance: 1e-15 });
    const expected = (i: number): number => {
      let s = 0;
      for (let k = 0; k < c.left.length; k++) {
        const [a, b] = [c.left[k] as number, c.right[k] as number];
        if (a === i) s += (p[a] as number) / ((p[a] as number) + (p[b] as number));
        if (b === i) s += (p[b] as number) / ((p[a] as number) + (p[b] as number));
      }
      return s;
    };
    for (const [i, wins] of [[0, 4], [1, 3], [2, 2]] as const) assert.ok(Math.abs(expected(i) - wins) < 1e-9, `item ${c.itemNames[i]}: ${expected(i)} expected wins`);
    const twoSteps = bradleyTerry(c, { maxIterations: 2 });
    assert.ok(Math.abs((twoSteps[0] as number) - (p[0] as number)) > 1e-4, 'two iterations are not the optimum');
  });

  it('noisy Bradley-Terry: a Toloker who always picks the left item is found out and does not bend the ranking', () => {
    // True order A > B > C > D. Two honest Tolokers judge every pair both ways round (4 wins to
    // the better item); a biased one always picks the left item, with the worse item on the
    // left, 5 times a pair: more wins for the worse item than for the better.
    const order = ['A', 'B', 'C', 'D'];
    const rows: Array<[string, string, string, string]> = [];
    for (let i = 0; i < 4; i++) {
      for (let j = i + 1; j < 4; j++) {
        const [better, worse] = [order[i] as string, order[j] as string];
        for (const w of ['h1', 'h2']) rows.push([w, better, worse, better], [w, worse, better, better]);
        for (let k = 0; k < 5; k++) rows.push(['biased', worse, better, worse]);
      }
    }
    const c = comparisons(rows);
    const n = noisyBradleyTerry(c);
    assert.deepEqual(ranking(c.itemNames, n.scores).map((x) => x.item), order);
    const biased = c.workerNames.indexOf('biased');
    assert.ok((n.biases[biased] as number) > 0.9, `bias ${n.biases[biased]}`);
    assert.ok((n.skills[biased] as number) < (n.skills[c.workerNames.indexOf('h1')] as number));
    // Plain Bradley-Terry counts the biased wins as wins: the order turns round.
    assert.deepEqual(ranking(c.itemNames, bradleyTerry(c)).map((x) => x.item), [...order].reverse());
  });
});

describe('Texts: ROVER', () => {
  it('aligns inserted and missing words, and takes the word most texts gave in each slot', () => {
    const r = responsesOf([['w1', 't', 'the cat sat'], ['w2', 't', 'the black cat sat'], ['w3', 't', 'the cat sat down'], ['w1', 'u', 'a  b '], ['w2', 'u', 'a c']]);
    const texts = rover(r);
    assert.equal(texts[r.taskNames.indexOf('t')], 'the cat sat');
    // A tie between b and c (one text each, same length) goes to the larger as text.
    assert.equal(texts[r.taskNames.indexOf('u')], 'a c');
  });

  it('one text stays as it is (its white space normalised); an empty text adds "no word" everywhere', () => {
    const r = responsesOf([['w', 'one', ' hello   world '], ['w1', 'e', 'yes'], ['w2', 'e', ''], ['w3', 'e', '']]);
    assert.deepEqual(rover(r), ['hello world', '']);
  });
});

describe('Multi-label: binary relevance', () => {
  it('each label by its own vote; a label a minority chose is left out', () => {
    const r = responsesOf([['w1', 't', 'a|b'], ['w2', 't', '["a"]'], ['w3', 't', 'b|c'], ['w1', 'u', '[]'], ['w2', 'u', 'c'], ['w3', 'u', '']]);
    const mv = methodById('mv');
    assert.ok(mv);
    const result = binaryRelevance(r, labelSet, mv);
    assert.deepEqual(result.labelNames, ['a', 'b', 'c']);
    const sets = result.sets.map((s) => s.map((c) => result.labelNames[c]));
    // t: a 2 of 3, b 2 of 3, c 1 of 3. u: every label 1 of 3 at most, the empty set twice.
    assert.deepEqual(sets, [['a', 'b'], []]);
  });

  it('label cells: JSON arrays or labels separated by |', () => {
    assert.deepEqual(labelSet('["x","y z"]'), ['x', 'y z']);
    assert.deepEqual(labelSet(' x | y '), ['x', 'y']);
    assert.deepEqual(labelSet('[]'), []);
    assert.throws(() => labelSet('["x"'));
  });
});

describe('Quality metrics', () => {
  // X: A and B say yes; Y: both no; Z: A yes, B no (majority vote: a tie, to "no").
  const r = responsesOf([['A', 'X', 'yes'], ['B', 'X', 'yes'], ['A', 'Y', 'no'], ['B', 'Y', 'no'], ['A', 'Z', 'yes'], ['B', 'Z', 'no']]);
  const no = r.labelNames.indexOf('no');
  const yes = r.labelNames.indexOf('yes');

  it("consistency: the aggregate's posterior under the skills, averaged over tasks", () => {
    const labels = Int32Array.from([yes, no, no]);
    const skills = Float64Array.from(r.workerNames, (w) => (w === 'A' ? 0.8 : 0.6));
    // X: 0.8·0.6 / (0.8·0.6 + 0.2·0.4) = 6/7; Y the same; Z (no): 0.2·0.6 / (0.2·0.6 + 0.8·0.4) = 3/11.
    assert.ok(Math.abs(consistency(r, labels, skills) - (6 / 7 + 6 / 7 + 3 / 11) / 3) < 1e-12);
    // By default: majority vote, and skills as agreement with it (A 2/3, B 1): B is never wrong, so every task is certain.
    assert.equal(consistency(r), 1);
  });

  it('uncertainty: the mean entropy of the answers; Krippendorff’s alpha: 1 - observed / expected disagreement', () => {
    assert.ok(Math.abs(uncertainty(r) - Math.log(2) / 3) < 1e-12);
    assert.equal(uncertainty(responsesOf([['A', 'X', 'y'], ['B', 'X', 'y']])), 0);
    assert.ok(Math.abs(uncertainty(responsesOf([['A', 'X', 'yes'], ['B', 'X', 'no'], ['C', 'X', 'maybe']])) - Math.log(3)) < 1e-12);
    // 6 answers, 3 yes and 3 no: expected 2·3·3 / (6·5) = 0.6; observed: only Z disagrees, 2 of 6 pairable answers.
    assert.ok(Math.abs(krippendorffAlpha(r) - (1 - 2 / 6 / 0.6)) < 1e-12);
    assert.equal(krippendorffAlpha(responsesOf([['A', 'X', 'y'], ['B', 'X', 'y']])), 1);
    // A task with one answer cannot disagree with itself: it is left out.
    assert.equal(krippendorffAlpha(responsesOf([['A', 'X', 'y'], ['B', 'X', 'y'], ['A', 'Y', 'n'], ['B', 'Y', 'n'], ['C', 'Z', 'y']])), 1);
  });

  it('accuracy on aggregates and on golden answers, per Toloker and overall; a repeated answer counts once', () => {
    const mv = Int32Array.from([yes, no, no]);
    const onAggregates = accuracyAgainst(r, mv);
    assert.deepEqual(Array.from(onAggregates.byWorker), [2 / 3, 1]);
    assert.equal(onAggregates.overall, 5 / 6);
    const { responses, gold } = goldCodes(r, new Map([['Z', 'yes']]));
    const onGold = accuracyAgainst(responses, gold);
    assert.deepEqual(Array.from(onGold.byWorker), [1, 0]);
    assert.deepEqual(Array.from(onGold.compared), [1, 1]);
    assert.deepEqual(labelAccuracy(mv, gold), { accuracy: 0, graded: 1 });
    const repeated = responsesOf([['A', 'X', 'y'], ['A', 'X', 'y'], ['A', 'Y', 'n']]);
    assert.deepEqual(Array.from(accuracyAgainst(repeated, Int32Array.from([0, 0])).compared), [2]);
  });
});
