import { byTask } from './groups';
import { MersenneTwister } from './random';
import type { Aggregated, Responses } from './responses';

export interface MaceOptions {
  /** Runs from different random starts; the one with the best marginal likelihood is kept. */
  readonly restarts?: number;
  /** EM iterations per run. */
  readonly iterations?: number;
  /** Seed of the first run's start; run k starts from seed + k. */
  readonly seed?: number;
  /** Symmetric Beta prior on each worker's chance of spamming. */
  readonly alpha?: number;
  readonly beta?: number;
  /** Symmetric Dirichlet prior on each worker's spamming strategy. */
  readonly strategyPrior?: number;
  /** Starting values are drawn uniformly from [1, 2 + defaultNoise) and normalised. */
  readonly defaultNoise?: number;
  /**
   * Reproduce crowd-kit 1.4.1's two bugs (every run from the same seed; strategy counts read
   * back in sorted worker and label order): for comparing with its outputs, not for use.
   */
  readonly crowdKitBugs?: boolean;
}

/** The digamma function ψ(x) for x > 0: recurrence up to 12, then the asymptotic series. */
export function digamma(x: number): number {
  let result = 0;
  while (x < 12) {
    result -= 1 / x;
    x += 1;
  }
  const f = 1 / (x * x);
  return result + Math.log(x) - 0.5 / x - f * (1 / 12 - f * (1 / 120 - f * (1 / 252 - f * (1 / 240 - f * (1 / 132)))));
}

/**
 * MACE (Hovy et al. 2013): a worker either knows a task's label and gives it, or spams, with
 * a chance of their own, and then answers from a label distribution of their own (their
 * strategy). Variational Bayes EM with crowd-kit 1.4's defaults: 10 runs of 50 iterations,
 * Beta(0.5, 0.5) on the spamming chance, Dirichlet(10) on the strategy, starting values drawn
 * as crowd-kit draws them (NumPy's Mersenne Twister, seed 0, so the first run starts where
 * crowd-kit's does). Labels: the most probable, a tie to the label seen first.
 *
 * Where crowd-kit differs, this follows the paper: crowd-kit restarts every run from the
 * same seed (ten identical runs), and it reads the strategy counts back in sorted worker and
 * label order while it indexes them in order of first appearance, so that after the first
 * iteration each worker's strategy is another worker's.
 */
export function mace(r: Responses, options: MaceOptions = {}): Aggregated {
  const restarts = options.restarts ?? 10;
  const iterations = options.iterations ?? 50;
  const seed = options.seed ?? 0;
  const alpha = options.alpha ?? 0.5;
  const beta = options.beta ?? 0.5;
  const strategyPrior = options.strategyPrior ?? 10;
  const noise = options.defaultNoise ?? 0.5;
  const nTasks = r.taskNames.length;
  const nWorkers = r.workerNames.length;
  const L = r.labelNames.length;
  const n = r.tasks.length;
  const { start, order } = byTask(r);
  const bugs = options.crowdKitBugs ?? false;
  /** Where the strategy counts of each worker and label are read from: crowd-kit's mix-up, or themselves. */
  const readFrom = bugs ? sortedPositions(r) : undefined;

  /** Per worker: [chance of spamming, chance of knowing]. */
  let spamming = new Float64Array(nWorkers * 2);
  /** Per worker and label: the chance of that label when spamming. */
  let strategy = new Float64Array(nWorkers * L);
  const marginals = new Float64Array(nTasks * L);
  const instance = new Float64Array(nTasks);
  const spamCounts = new Float64Array(nWorkers * 2);
  const strategyCounts = new Float64Array(nWorkers * L);
  /** Per response (in task order): the chance of its answer when spamming, spamming[w, 0] * strategy[w, answer]. */
  const spam = new Float64Array(n);

  const start_ = (runSeed: number): void => {
    const draw = (into: Float64Array, width: number): void => {
      const rng = new MersenneTwister(runSeed);
      for (let k = 0; k < into.length; k++) into[k] = 1 + (1 + noise) * rng.random();
      for (let row = 0; row < into.length; row += width) {
        let s = 0;
        for (let c = 0; c < width; c++) s += into[row + c] as number;
        for (let c = 0; c < width; c++) into[row + c] = (into[row + c] as number) / s;
      }
    };
    draw(spamming, 2);
    draw(strategy, L);
  };

  /** E-step: label marginals per task, expected counts per worker; returns the log marginal likelihood. */
  // The responses in task order, so that the E-step reads them one after another.
  const workerAt = Int32Array.from(order, (i) => r.workers[i] as number);
  const answerAt = Int32Array.from(order, (i) => r.labels[i] as number);
  const knowAt = new Float64Array(n);
  const eStep = (): number => {
    for (let k = 0; k < n; k++) {
      const w = workerAt[k] as number;
      spam[k] = (spamming[w * 2] as number) * (strategy[w * L + (answerAt[k] as number)] as number);
      knowAt[k] = spamming[w * 2 + 1] as number;
    }
    let logLikelihood = 0;
    spamCounts.fill(0);
    strategyCounts.fill(0);
    for (let t = 0; t < nTasks; t++) {
      const from = start[t] as number;
      const to = start[t + 1] as number;
      const at = t * L;
      let total = 0;
      for (let z = 0; z < L; z++) {
        let p = 1;
        for (let k = from; k < to; k++) p *= (spam[k] as number) + (answerAt[k] === z ? (knowAt[k] as number) : 0);
        p /= L;
        marginals[at + z] = p;
        total += p;
      }
      instance[t] = total;
      logLikelihood += Math.log(total + 1e-8);
      const inverse = 1 / total;
      for (let k = from; k < to; k++) {
        const w = workerAt[k] as number;
        const a = answerAt[k] as number;
        const s = spam[k] as number;
        const know = knowAt[k] as number;
        // The posterior of spamming: Σ_z marginal_z / (factor at z) · s / total, where the
        // factor is s + know at the answer's own label and s elsewhere; of knowing: the rest
        // of the answer's label.
        const own = (marginals[at + a] as number) / (s + know);
        const spamming_ = ((total - (marginals[at + a] as number)) / s + own) * s * inverse;
        const knowing = own * know * inverse;
        spamCounts[w * 2] = (spamCounts[w * 2] as number) + spamming_;
        spamCounts[w * 2 + 1] = (spamCounts[w * 2 + 1] as number) + knowing;
        strategyCounts[w * L + a] = (strategyCounts[w * L + a] as number) + spamming_;
      }
    }
    return logLikelihood;
  };

  /** Variational M-step: exp(ψ(count + prior)) / exp(ψ(Σ count + prior)), row by row. */
  const mStep = (): void => {
    const normalise = (counts: Float64Array, into: Float64Array, width: number, prior: (c: number) => number): void => {
      for (let row = 0; row < counts.length; row += width) {
        let s = 0;
        for (let c = 0; c < width; c++) s += (counts[row + c] as number) + prior(c);
        const norm = Math.exp(digamma(s));
        for (let c = 0; c < width; c++) into[row + c] = Math.exp(digamma((counts[row + c] as number) + prior(c))) / norm;
      }
    };
    normalise(spamCounts, spamming, 2, (c) => (c === 0 ? alpha : beta));
    if (readFrom) {
      const mixed = new Float64Array(strategyCounts.length);
      for (let k = 0; k < mixed.length; k++) mixed[k] = strategyCounts[readFrom[k] as number] as number;
      normalise(mixed, strategy, L, () => strategyPrior);
    } else normalise(strategyCounts, strategy, L, () => strategyPrior);
  };

  let best = -Infinity;
  let bestSpamming = spamming;
  let bestStrategy = strategy;
  for (let run = 0; run < restarts; run++) {
    start_(bugs ? seed : seed + run);
    let logLikelihood = eStep();
    for (let iteration = 0; iteration < iterations; iteration++) {
      mStep();
      logLikelihood = eStep();
    }
    if (logLikelihood > best) {
      best = logLikelihood;
      bestSpamming = spamming.slice();
      bestStrategy = strategy.slice();
    }
  }
  spamming = bestSpamming;
  strategy = bestStrategy;
  eStep();

  const labels = new Int32Array(nTasks);
  const confidence = new Float64Array(nTasks);
  for (let t = 0; t < nTasks; t++) {
    let top = 0;
    for (let z = 1; z < L; z++) if ((marginals[t * L + z] as number) > (marginals[t * L + top] as number)) top = z;
    labels[t] = top;
    confidence[t] = (instance[t] as number) > 0 ? (marginals[t * L + top] as number) / (instance[t] as number) : NaN;
  }
  return { labels, confidence };
}

/**
 * crowd-kit's MACE sums the strategy counts in a table sorted by worker and label names and
 * reads it as if it were in order of first appearance: the cell used for (w, l) is the one
 * of the w-th worker and l-th label in sorted order.
 */
function sortedPositions(r: Responses): Int32Array {
  const sorted = (names: readonly string[]): number[] => names.map((name, code) => ({ name, code })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map((x) => x.code);
  const workers = sorted(r.workerNames);
  const labels = sorted(r.labelNames);
  const L = labels.length;
  const from = new Int32Array(workers.length * L);
  for (let w = 0; w < workers.length; w++) for (let l = 0; l < L; l++) from[w * L + l] = (workers[w] as number) * L + (labels[l] as number);
  return from;
}
