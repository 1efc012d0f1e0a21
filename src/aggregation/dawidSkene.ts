import { runPass, type PassArrays } from './dsPass';
import { byTask } from './groups';
import { argmaxByRank, labelRanks, voteShares } from './majorityVote';
import type { Aggregated, Responses } from './responses';

export interface DawidSkeneOptions {
  readonly maxIterations?: number;
  readonly tolerance?: number;
  /**
   * Known labels (crowd-kit's `true_labels`): per task the label code, or -1 where it is not
   * known. A known task's posterior is fixed on its label from the start, so it trains the
   * error matrices and the priors and is labelled as given.
   */
  readonly gold?: Int32Array;
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
export function dawidSkene(given: Responses, options: DawidSkeneOptions = {}): Aggregated {
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-5;
  const nTasks = given.taskNames.length;
  const nWorkers = given.workerNames.length;
  const L = given.labelNames.length;
  const n = given.tasks.length;
  // Known tasks are renumbered to come last: the pass estimates the others and only adds the
  // known ones' fixed posteriors into the sums.
  const { r, position, free } = knownLast(given, options.gold);
  const { start: taskStart, order } = byTask(r);
  const cells = nWorkers * L * L;
  const a: PassArrays = {
    start: taskStart,
    cell: new Int32Array(n),
    post: voteShares(r),
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

  // Start: majority-vote shares; known tasks on their label.
  if (options.gold) {
    for (let t = 0; t < nTasks; t++) {
      const g = options.gold[t] as number;
      if (g < 0) continue;
      const at = (position[t] as number) * L;
      for (let z = 0; z < L; z++) post[at + z] = z === g ? 1 : 0;
    }
  }
  const errors = new Float64Array(nWorkers * L * L); // [worker][observed][true]
  let entropy = 0;

  /** Priors, and error matrices from the counts (clipped, normalised per worker and true class). */
  const mStep = (): void => {
    for (let z = 0; z < L; z++) {
      priors[z] = (priors[z] as number) / nTasks;
      logPriors[z] = Math.log(Math.max(priors[z] as number, 1e-10));
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
    entropy = runPass(a, true, logPost, free);
    mStep();
    const next = elbo() / n;
    if (next - loss < tolerance) break;
    loss = next;
  }
  if (free === nTasks) return argmaxByRank(post, nTasks, labelRanks(r));
  const inOrder = new Float64Array(post.length);
  for (let t = 0; t < nTasks; t++) inOrder.set(post.subarray((position[t] as number) * L, (position[t] as number) * L + L), t * L);
  return argmaxByRank(inOrder, nTasks, labelRanks(r));
}

/** The responses with tasks renumbered so that those with a known label come after all others. */
function knownLast(r: Responses, gold: Int32Array | undefined): { r: Responses; position: Int32Array; free: number } {
  const nTasks = r.taskNames.length;
  const position = new Int32Array(nTasks);
  let free = 0;
  for (let t = 0; t < nTasks; t++) if (!gold || (gold[t] as number) < 0) position[t] = free++;
  if (free === nTasks) return { r, position, free };
  let known = free;
  for (let t = 0; t < nTasks; t++) if (gold && (gold[t] as number) >= 0) position[t] = known++;
  return { r: { ...r, tasks: r.tasks.map((t) => position[t] as number) }, position, free };
}
