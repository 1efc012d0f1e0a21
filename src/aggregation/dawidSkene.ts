import { argmaxByRank, labelRanks, voteCounts } from './majorityVote';
import type { Aggregated, Responses } from './responses';

export interface DawidSkeneOptions {
  readonly maxIterations?: number;
  readonly tolerance?: number;
}

/** Responses grouped by task (a counting sort): those of task t are order[start[t] .. start[t+1]). */
export function byTask(r: Responses): { start: Int32Array; order: Int32Array } {
  const nTasks = r.taskNames.length;
  const start = new Int32Array(nTasks + 1);
  for (let i = 0; i < r.tasks.length; i++) {
    const k = (r.tasks[i] as number) + 1;
    start[k] = (start[k] as number) + 1;
  }
  for (let t = 0; t < nTasks; t++) start[t + 1] = (start[t + 1] as number) + (start[t] as number);
  const next = start.slice(0, nTasks);
  const order = new Int32Array(r.tasks.length);
  for (let i = 0; i < r.tasks.length; i++) {
    const t = r.tasks[i] as number;
    order[next[t] as number] = i;
    next[t] = (next[t] as number) + 1;
  }
  return { start, order };
}

interface Sums {
  readonly priors: Float64Array;
  readonly massByLabel: Float64Array;
  readonly counts: Float64Array;
  entropy: number;
}

/**
 * One pass over the tasks: with `estimate`, each task's posterior from the current priors and
 * error matrices (E-step, entropy included); then its posterior added into the sums the
 * M-step and the ELBO need. A plain function of typed arrays, so V8 keeps it all in registers.
 */
function pass(estimate: boolean, start: Int32Array, cell: Int32Array, post: Float64Array, logPriors: Float64Array, logErrors: Float64Array, logPost: Float64Array, sums: Sums): void {
  const L = logPriors.length;
  const nTasks = start.length - 1;
  const { priors, massByLabel, counts } = sums;
  let entropy = 0;
  for (let t = 0; t < nTasks; t++) {
    const from = start[t] as number;
    const to = start[t + 1] as number;
    const at = t * L;
    if (estimate) {
      for (let z = 0; z < L; z++) logPost[z] = logPriors[z] as number;
      for (let k = from; k < to; k++) {
        const c = cell[k] as number;
        for (let z = 0; z < L; z++) logPost[z] = (logPost[z] as number) + (logErrors[c + z] as number);
      }
      let max = -Infinity;
      for (let z = 0; z < L; z++) max = Math.max(max, logPost[z] as number);
      let s = 0;
      for (let z = 0; z < L; z++) {
        const v = Math.exp((logPost[z] as number) - max);
        post[at + z] = v;
        s += v;
      }
      // Entropy from the logs already at hand: log p = logPost - max - log s.
      const logS = Math.log(s);
      for (let z = 0; z < L; z++) {
        const p = (post[at + z] as number) / s;
        post[at + z] = p;
        if (p > 0) entropy -= p * ((logPost[z] as number) - max - logS);
      }
    }
    for (let z = 0; z < L; z++) {
      const p = post[at + z] as number;
      priors[z] = (priors[z] as number) + p;
      massByLabel[z] = (massByLabel[z] as number) + (to - from) * p;
    }
    for (let k = from; k < to; k++) {
      const c = cell[k] as number;
      for (let z = 0; z < L; z++) counts[c + z] = (counts[c + z] as number) + (post[at + z] as number);
    }
  }
  sums.entropy = entropy;
}

/**
 * Dawid-Skene (1979): EM over a confusion matrix per worker and class priors, started from
 * majority-vote shares, with crowd-kit 1.4's conventions: error cells only for the labels a
 * worker used, clipped below at 1e-10 and normalised per worker and true class; the loss is
 * the evidence lower bound per response (the log prior counted once per response); it stops
 * as soon as the loss gains less than the tolerance (a drop included) or after the limit.
 *
 * Each iteration is one pass over the responses grouped by task: a task's posterior (E-step)
 * is computed and at once added into the error counts, priors and entropy the M-step and the
 * ELBO need.
 */
export function dawidSkene(r: Responses, options: DawidSkeneOptions = {}): Aggregated {
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-5;
  const nTasks = r.taskNames.length;
  const nWorkers = r.workerNames.length;
  const L = r.labelNames.length;
  const n = r.tasks.length;
  const { start, order } = byTask(r);
  /** Per response in task order: where its worker's row for the label given starts in the error arrays. */
  const cell = new Int32Array(n);
  const used = new Uint8Array(nWorkers * L); // labels each worker gave
  for (let k = 0; k < n; k++) {
    const i = order[k] as number;
    const row = (r.workers[i] as number) * L + (r.labels[i] as number);
    cell[k] = row * L;
    used[row] = 1;
  }

  // Start: majority-vote shares.
  const post = voteCounts(r);
  for (let t = 0; t < nTasks; t++) {
    let s = 0;
    for (let z = 0; z < L; z++) s += post[t * L + z] as number;
    if (s > 0) for (let z = 0; z < L; z++) post[t * L + z] = (post[t * L + z] as number) / s;
  }
  const priors = new Float64Array(L);
  const logPriors = new Float64Array(L);
  /** Posterior mass per response-weighted label (the ELBO's prior term, once per response). */
  const massByLabel = new Float64Array(L);
  const errors = new Float64Array(nWorkers * L * L); // [worker][observed][true]
  const logErrors = new Float64Array(nWorkers * L * L);
  /** Posterior mass behind each error cell before normalising. */
  const counts = new Float64Array(nWorkers * L * L);
  const logPost = new Float64Array(L);
  const sums: Sums = { priors, massByLabel, counts, entropy: 0 };

  const resetSums = (): void => {
    priors.fill(0);
    massByLabel.fill(0);
    counts.fill(0);
    sums.entropy = 0;
  };
  /** Priors, and error matrices from the counts (clipped, normalised per worker and true class). */
  const mStep = (): void => {
    for (let z = 0; z < L; z++) {
      priors[z] = (priors[z] as number) / nTasks;
      logPriors[z] = Math.log(priors[z] as number);
    }
    errors.set(counts);
    for (let w = 0; w < nWorkers; w++) {
      for (let z = 0; z < L; z++) {
        let s = 0;
        for (let o = 0; o < L; o++) {
          if (!used[w * L + o]) continue;
          const k = (w * L + o) * L + z;
          if ((errors[k] as number) < 1e-10) errors[k] = 1e-10;
          s += errors[k] as number;
        }
        for (let o = 0; o < L; o++) {
          if (!used[w * L + o]) continue;
          const k = (w * L + o) * L + z;
          errors[k] = (errors[k] as number) / s;
          logErrors[k] = Math.log(errors[k] as number);
        }
      }
    }
  };
  /** Expected log joint plus entropy, from the sums of the pass just made and the new parameters. */
  const elbo = (): number => {
    let value = sums.entropy;
    for (let k = 0; k < counts.length; k++) {
      const c = counts[k] as number;
      if (c > 0) value += c * (logErrors[k] as number);
    }
    for (let z = 0; z < L; z++) if ((massByLabel[z] as number) > 0) value += (massByLabel[z] as number) * (logPriors[z] as number);
    return value;
  };

  resetSums();
  pass(false, start, cell, post, logPriors, logErrors, logPost, sums);
  mStep();
  let loss = -Infinity;
  for (let iter = 0; iter < maxIterations; iter++) {
    resetSums();
    pass(true, start, cell, post, logPriors, logErrors, logPost, sums);
    mStep();
    const next = elbo() / n;
    if (next - loss < tolerance) break;
    loss = next;
  }
  return argmaxByRank(post, nTasks, labelRanks(r));
}
