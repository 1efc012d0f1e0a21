/**
 * Pairwise comparisons: which of two items a worker preferred. Aggregated into a score per
 * item, from which a ranking follows.
 */
import { lbfgs } from './optimize';
import { MersenneTwister } from './random';

/** Comparison c: worker `workers[c]` compared items `left[c]` and `right[c]` and preferred the left one if `leftWon[c]`. */
export interface Comparisons {
  readonly workers: Int32Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly leftWon: Uint8Array;
  readonly workerNames: readonly string[];
  readonly itemNames: readonly string[];
}

export interface BradleyTerryOptions {
  readonly maxIterations?: number;
  /** Stop once the scores move less than this in total (L1). */
  readonly tolerance?: number;
}

/**
 * Bradley-Terry (1952) by Hunter's MM algorithm (2004): item i beats j with probability
 * p_i / (p_i + p_j); each iteration sets p_i to i's wins over Σ_j n_ij / (p_i + p_j), scaled
 * to sum to 1, until the scores move less than the tolerance (L1) or after 100 iterations.
 * An item that never won scores 0. Where crowd-kit 1.4 differs, this follows the paper: its
 * loop compares the scores with themselves (the previous vector is the same array), so it
 * always stops after the second iteration.
 */
export function bradleyTerry(c: Comparisons, options: BradleyTerryOptions = {}): Float64Array {
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-5;
  const n = c.itemNames.length;
  const wins = new Float64Array(n);
  for (let k = 0; k < c.left.length; k++) {
    const winner = c.leftWon[k] ? c.left[k] : c.right[k];
    wins[winner as number] = (wins[winner as number] as number) + 1;
  }
  let p = new Float64Array(n).fill(1 / n);
  let next = new Float64Array(n);
  const denominators = new Float64Array(n);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    denominators.fill(0);
    for (let k = 0; k < c.left.length; k++) {
      const i = c.left[k] as number;
      const j = c.right[k] as number;
      const share = 1 / ((p[i] as number) + (p[j] as number));
      denominators[i] = (denominators[i] as number) + share;
      denominators[j] = (denominators[j] as number) + share;
    }
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const v = (wins[i] as number) === 0 ? 0 : (wins[i] as number) / (denominators[i] as number);
      next[i] = v;
      sum += v;
    }
    let moved = 0;
    for (let i = 0; i < n; i++) {
      const v = (next[i] as number) / sum;
      moved += Math.abs(v - (p[i] as number));
      next[i] = v;
    }
    [p, next] = [next, p];
    if (moved < tolerance) break;
  }
  return p;
}

export interface NoisyBradleyTerryOptions {
  readonly maxIterations?: number;
  /** L-BFGS stops when an iteration improves the objective by less than this, relatively. */
  readonly tolerance?: number;
  /** Weight of the prior that ties every score to a virtual item with one win and one loss against it. */
  readonly regularization?: number;
  /** Seed of the random start (NumPy's Mersenne Twister). */
  readonly seed?: number;
}

export interface NoisyBradleyTerry {
  /** Per item, σ(s): its chance to beat the virtual item. */
  readonly scores: Float64Array;
  /** Per worker, σ(q): their chance to pick the left item when they do not judge. */
  readonly biases: Float64Array;
  /** Per worker, σ(γ): their chance to judge rather than follow their bias. */
  readonly skills: Float64Array;
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/**
 * Noisy Bradley-Terry (Bugakova et al. 2019): a worker judges with probability σ(γ_w), then
 * prefers i to j with probability σ(s_i - s_j); otherwise they pick the left item with
 * probability σ(q_w). Maximum likelihood by L-BFGS from a random start, with crowd-kit 1.4's
 * defaults (100 iterations, tolerance 1e-5, regularisation 1e-5, seed 0). Where crowd-kit
 * differs, this follows the paper: its gradient writes the bias and skill terms to the
 * neighbouring parameters and keeps only the last comparison's, and its objective adds the
 * regulariser with the opposite sign from its gradient.
 */
export function noisyBradleyTerry(c: Comparisons, options: NoisyBradleyTerryOptions = {}): NoisyBradleyTerry {
  const nItems = c.itemNames.length;
  const nWorkers = c.workerNames.length;
  const lambda = options.regularization ?? 1e-5;
  // Parameters: the virtual item's score, the items' scores, the workers' biases, their skills.
  const items = 1;
  const biases = items + nItems;
  const skills = biases + nWorkers;
  const rng = new MersenneTwister(options.seed ?? 0);
  const x = Float64Array.from({ length: 1 + nItems + 2 * nWorkers }, () => rng.random());
  const objective = (p: Float64Array, g: Float64Array): number => {
    g.fill(0);
    let value = 0;
    for (let k = 0; k < c.left.length; k++) {
      const w = c.workers[k] as number;
      const l = items + (c.left[k] as number);
      const r = items + (c.right[k] as number);
      const y = c.leftWon[k] ? 1 : -1;
      const judge = sigmoid(p[skills + w] as number);
      const a = sigmoid(y * ((p[l] as number) - (p[r] as number)));
      const b = sigmoid(y * (p[biases + w] as number));
      const likelihood = judge * a + (1 - judge) * b;
      value -= Math.log(likelihood);
      const ds = (judge * a * (1 - a) * y) / likelihood;
      g[l] = (g[l] as number) - ds;
      g[r] = (g[r] as number) + ds;
      g[biases + w] = (g[biases + w] as number) - ((1 - judge) * b * (1 - b) * y) / likelihood;
      g[skills + w] = (g[skills + w] as number) - (judge * (1 - judge) * (a - b)) / likelihood;
    }
    const anchor = p[0] as number;
    for (let i = items; i < biases; i++) {
      const d = (p[i] as number) - anchor;
      value -= lambda * (Math.log(sigmoid(-d)) + Math.log(sigmoid(d)));
      const t = Math.tanh(d / 2);
      g[i] = (g[i] as number) + lambda * t;
      g[0] = (g[0] as number) - lambda * t;
    }
    return value;
  };
  lbfgs(x, objective, { maxIterations: options.maxIterations ?? 100, gtol: 1e-5, ftol: options.tolerance ?? 1e-5 });
  return {
    scores: Float64Array.from(x.subarray(items, biases), sigmoid),
    biases: Float64Array.from(x.subarray(biases, skills), sigmoid),
    skills: Float64Array.from(x.subarray(skills), sigmoid),
  };
}

/** Items from the best score down (equal scores by name), with their 1-based rank (equal scores share one). */
export function ranking(itemNames: readonly string[], scores: Float64Array): Array<{ item: string; score: number; rank: number }> {
  const order = itemNames.map((item, i) => ({ item, score: scores[i] as number })).sort((a, b) => b.score - a.score || (a.item < b.item ? -1 : a.item > b.item ? 1 : 0));
  let rank = 0;
  return order.map((o, k) => {
    if (k === 0 || o.score !== (order[k - 1] as { score: number }).score) rank = k + 1;
    return { ...o, rank };
  });
}
