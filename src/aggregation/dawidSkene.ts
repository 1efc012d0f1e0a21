import { runPass, type PassArrays } from './dsPass';
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
  const { start: taskStart, order } = byTask(r);
  const cells = nWorkers * L * L;
  const a: PassArrays = {
    start: taskStart,
    cell: new Int32Array(n),
    post: voteCounts(r),
    logPriors: new Float64Array(L),
    logErrors: new Float64Array(cells),
    priors: new Float64Array(L),
    massByLabel: new Float64Array(L),
    counts: new Float64Array(cells),
  };
  const { cell, post, priors, logPriors, massByLabel, counts, logErrors } = a;
  /** Per response in task order: where its worker's row for the label given starts in the error arrays. */
  const used = new Uint8Array(nWorkers * L); // labels each worker gave
  for (let k = 0; k < n; k++) {
    const i = order[k] as number;
    const row = (r.workers[i] as number) * L + (r.labels[i] as number);
    cell[k] = row * L;
    used[row] = 1;
  }

  // Start: majority-vote shares.
  for (let t = 0; t < nTasks; t++) {
    let s = 0;
    for (let z = 0; z < L; z++) s += post[t * L + z] as number;
    if (s > 0) for (let z = 0; z < L; z++) post[t * L + z] = (post[t * L + z] as number) / s;
  }
  const errors = new Float64Array(nWorkers * L * L); // [worker][observed][true]
  let entropy = 0;

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
    let value = entropy;
    for (let k = 0; k < counts.length; k++) {
      const c = counts[k] as number;
      if (c > 0) value += c * (logErrors[k] as number);
    }
    for (let z = 0; z < L; z++) if ((massByLabel[z] as number) > 0) value += (massByLabel[z] as number) * (logPriors[z] as number);
    return value;
  };

  const logPost = new Float64Array(L);
  runPass(a, false, logPost);
  mStep();
  let loss = -Infinity;
  for (let iter = 0; iter < maxIterations; iter++) {
    entropy = runPass(a, true, logPost);
    mStep();
    const next = elbo() / n;
    if (next - loss < tolerance) break;
    loss = next;
  }
  return argmaxByRank(post, nTasks, labelRanks(r));
}
