import type { DawidSkeneOptions } from './dawidSkene';
import { byTask } from './groups';
import { argmaxByRank, labelRanks, voteShares } from './majorityVote';
import type { Aggregated, Responses } from './responses';

const EPS = 1e-10;

/**
 * One-coin Dawid-Skene (Zhang et al. 2016): each worker has a single skill s, the chance of
 * giving the true label, and otherwise picks any of the other L - 1 labels alike. EM as
 * crowd-kit 1.4 runs it: majority-vote shares to start; the M-step sets a worker's skill to
 * the mean posterior of the labels they gave (each response counted), clipped to
 * [1e-10, 1 - 1e-10]; priors are the mean posterior, clipped below at 1e-10; the stop rule
 * and the loss (the evidence lower bound per response) are Dawid-Skene's.
 */
export function oneCoinDawidSkene(r: Responses, options: DawidSkeneOptions = {}): Aggregated {
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-5;
  const nTasks = r.taskNames.length;
  const nWorkers = r.workerNames.length;
  const L = r.labelNames.length;
  const n = r.tasks.length;
  const { start, order } = byTask(r);

  const post = voteShares(r);
  const logPriors = new Float64Array(L);
  /** Per worker, the log chance of the true label and of each other label. */
  const logRight = new Float64Array(nWorkers);
  const logWrong = new Float64Array(nWorkers);
  const sums = new Float64Array(nWorkers);
  const answered = new Float64Array(nWorkers);
  for (let i = 0; i < n; i++) {
    const w = r.workers[i] as number;
    answered[w] = (answered[w] as number) + 1;
  }

  const mStep = (): void => {
    for (let z = 0; z < L; z++) {
      let p = 0;
      for (let t = 0; t < nTasks; t++) p += post[t * L + z] as number;
      logPriors[z] = Math.log(Math.max(p / nTasks, EPS));
    }
    sums.fill(0);
    for (let i = 0; i < n; i++) {
      const w = r.workers[i] as number;
      sums[w] = (sums[w] as number) + (post[(r.tasks[i] as number) * L + (r.labels[i] as number)] as number);
    }
    for (let w = 0; w < nWorkers; w++) {
      const skill = (sums[w] as number) / (answered[w] as number);
      logRight[w] = Math.log(Math.min(Math.max(skill, EPS), 1 - EPS));
      logWrong[w] = L > 1 ? Math.log(Math.min(Math.max((1 - skill) / (L - 1), EPS), 1 - EPS)) : 0;
    }
  };

  const logPost = new Float64Array(L);
  /** E-step: posteriors from priors and skills. */
  const eStep = (): void => {
    for (let t = 0; t < nTasks; t++) {
      logPost.set(logPriors);
      let wrong = 0;
      for (let k = start[t] as number; k < (start[t + 1] as number); k++) {
        const i = order[k] as number;
        const w = r.workers[i] as number;
        const l = r.labels[i] as number;
        wrong += logWrong[w] as number;
        logPost[l] = (logPost[l] as number) + (logRight[w] as number) - (logWrong[w] as number);
      }
      let max = -Infinity;
      for (let z = 0; z < L; z++) max = Math.max(max, (logPost[z] as number) + wrong);
      let s = 0;
      for (let z = 0; z < L; z++) {
        const e = Math.exp((logPost[z] as number) + wrong - max);
        post[t * L + z] = e;
        s += e;
      }
      for (let z = 0; z < L; z++) post[t * L + z] = (post[t * L + z] as number) / s;
    }
  };

  /** The evidence lower bound per response: expected log joint plus the posteriors' entropy. */
  const loss = (): number => {
    let value = 0;
    for (let t = 0; t < nTasks; t++) {
      const from = start[t] as number;
      const to = start[t + 1] as number;
      for (let z = 0; z < L; z++) {
        const p = post[t * L + z] as number;
        value += (to - from) * p * (logPriors[z] as number);
        const clipped = Math.max(p, EPS);
        value -= clipped * Math.log(clipped);
      }
      for (let k = from; k < to; k++) {
        const i = order[k] as number;
        const w = r.workers[i] as number;
        const p = post[t * L + (r.labels[i] as number)] as number;
        value += p * (logRight[w] as number) + (1 - p) * (logWrong[w] as number);
      }
    }
    return value / n;
  };

  mStep();
  let last = -Infinity;
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    eStep();
    mStep();
    const next = loss();
    if (next - last < tolerance) break;
    last = next;
  }
  return argmaxByRank(post, nTasks, labelRanks(r));
}
