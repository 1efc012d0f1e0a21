import { argmaxByRank, labelRanks, voteCounts } from './majorityVote';
import type { Aggregated, Responses } from './responses';

export interface DawidSkeneOptions {
  readonly maxIterations?: number;
  readonly tolerance?: number;
}

/**
 * Dawid-Skene (1979): EM over a confusion matrix per worker and class priors, started from
 * majority-vote shares, with crowd-kit 1.4's conventions: error cells only for the labels a
 * worker used, clipped below at 1e-10 and normalised per worker and true class; the loss is
 * the evidence lower bound per response; it stops as soon as the loss gains less than the
 * tolerance (a drop included) or after the iteration limit.
 */
export function dawidSkene(r: Responses, options: DawidSkeneOptions = {}): Aggregated {
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-5;
  const nTasks = r.taskNames.length;
  const nWorkers = r.workerNames.length;
  const L = r.labelNames.length;
  const n = r.tasks.length;
  const ranks = labelRanks(r);

  const used = new Uint8Array(nWorkers * L); // labels each worker gave
  for (let i = 0; i < n; i++) used[(r.workers[i] as number) * L + (r.labels[i] as number)] = 1;

  // Start: majority-vote shares.
  const post = voteCounts(r);
  for (let t = 0; t < nTasks; t++) {
    let s = 0;
    for (let l = 0; l < L; l++) s += post[t * L + l] as number;
    if (s > 0) for (let l = 0; l < L; l++) post[t * L + l] = (post[t * L + l] as number) / s;
  }
  const priors = new Float64Array(L);
  const errors = new Float64Array(nWorkers * L * L); // [worker][observed][true]
  const logErrors = new Float64Array(nWorkers * L * L);
  const logPost = new Float64Array(nTasks * L);

  const updatePriors = (): void => {
    priors.fill(0);
    for (let t = 0; t < nTasks; t++) for (let l = 0; l < L; l++) priors[l] = (priors[l] as number) + (post[t * L + l] as number);
    for (let l = 0; l < L; l++) priors[l] = (priors[l] as number) / nTasks;
  };
  const mStep = (): void => {
    errors.fill(0);
    for (let i = 0; i < n; i++) {
      const base = ((r.workers[i] as number) * L + (r.labels[i] as number)) * L;
      const t = r.tasks[i] as number;
      for (let z = 0; z < L; z++) errors[base + z] = (errors[base + z] as number) + (post[t * L + z] as number);
    }
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
  const eStep = (): void => {
    for (let t = 0; t < nTasks; t++) for (let z = 0; z < L; z++) logPost[t * L + z] = Math.log(priors[z] as number);
    for (let i = 0; i < n; i++) {
      const base = ((r.workers[i] as number) * L + (r.labels[i] as number)) * L;
      const t = r.tasks[i] as number;
      for (let z = 0; z < L; z++) logPost[t * L + z] = (logPost[t * L + z] as number) + (logErrors[base + z] as number);
    }
    for (let t = 0; t < nTasks; t++) {
      let max = -Infinity;
      for (let z = 0; z < L; z++) max = Math.max(max, logPost[t * L + z] as number);
      let s = 0;
      for (let z = 0; z < L; z++) {
        const v = Math.exp((logPost[t * L + z] as number) - max);
        post[t * L + z] = v;
        s += v;
      }
      for (let z = 0; z < L; z++) post[t * L + z] = (post[t * L + z] as number) / s;
    }
  };
  /** Expected log joint (log prior counted once per response, as crowd-kit does) plus entropy. */
  const elbo = (): number => {
    let joint = 0;
    for (let i = 0; i < n; i++) {
      const base = ((r.workers[i] as number) * L + (r.labels[i] as number)) * L;
      const t = r.tasks[i] as number;
      for (let z = 0; z < L; z++) {
        const p = post[t * L + z] as number;
        if (p > 0) joint += p * ((logErrors[base + z] as number) + Math.log(priors[z] as number));
      }
    }
    let entropy = 0;
    for (let k = 0; k < nTasks * L; k++) {
      const p = post[k] as number;
      if (p > 0) entropy -= p * Math.log(p);
    }
    return joint + entropy;
  };

  updatePriors();
  mStep();
  let loss = -Infinity;
  for (let iter = 0; iter < maxIterations; iter++) {
    eStep();
    updatePriors();
    mStep();
    const next = elbo() / n;
    if (next - loss < tolerance) break;
    loss = next;
  }
  return argmaxByRank(post, nTasks, ranks);
}
