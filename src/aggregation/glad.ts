import { argmaxByRank, labelRanks } from './majorityVote';
import { conjugateGradient } from './optimize';
import type { Aggregated, Responses } from './responses';

export interface GladOptions {
  readonly maxIterations?: number;
  readonly tolerance?: number;
  /** Conjugate-gradient iterations per M-step. */
  readonly mStepMaxIterations?: number;
  /** The M-step stops once no gradient component exceeds this. */
  readonly mStepTolerance?: number;
}

/** log(1 + exp(x)) as crowd-kit computes it: exactly x above 30 and 0 below -30. */
function softplus(x: number): number {
  return x > 30 ? x : x < -30 ? 0 : Math.log1p(Math.exp(x));
}

/**
 * GLAD (Whitehill et al., 2009): a worker with ability alpha answers a task with inverse
 * difficulty exp(beta) correctly with probability sigmoid(alpha * exp(beta)), and otherwise
 * picks any other label uniformly. EM as crowd-kit 1.4 runs it: alpha = beta = 1 to start,
 * uniform label priors, one E-step first; each iteration an E-step, then a conjugate-gradient
 * M-step on the expected log likelihood with N(1, 1) priors on every alpha and beta, then
 * the stop test on Q per response (the first test compares with the unscaled Q).
 *
 * Each response touches only the posterior of the label it gave, so one pass over the
 * responses costs O(1) each whatever the number of labels.
 */
export function glad(r: Responses, options: GladOptions = {}): Aggregated {
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-5;
  const cgIterations = options.mStepMaxIterations ?? 25;
  const cgTolerance = options.mStepTolerance ?? 1e-2;
  const nTasks = r.taskNames.length;
  const nWorkers = r.workerNames.length;
  const L = r.labelNames.length;
  const n = r.tasks.length;
  const logOthers = L > 1 ? Math.log(L - 1) : 0;
  const logPrior = -Math.log(L);

  // Parameters: alphas then betas, one vector for the optimiser.
  const x = new Float64Array(nWorkers + nTasks).fill(1);
  const post = new Float64Array(nTasks * L);
  /** Posterior of the label each response gave: all the M-step needs. */
  const given = new Float64Array(n);
  const expBeta = new Float64Array(nTasks);

  const eStep = (): void => {
    for (let t = 0; t < nTasks; t++) expBeta[t] = Math.exp(x[nWorkers + t] as number);
    post.fill(0);
    const base = new Float64Array(nTasks);
    for (let i = 0; i < n; i++) {
      const t = r.tasks[i] as number;
      const s = (x[r.workers[i] as number] as number) * (expBeta[t] as number);
      const right = -softplus(-s);
      const wrong = -softplus(s) - logOthers;
      base[t] = (base[t] as number) + wrong;
      const k = t * L + (r.labels[i] as number);
      post[k] = (post[k] as number) + right - wrong;
    }
    for (let t = 0; t < nTasks; t++) {
      let max = -Infinity;
      for (let c = 0; c < L; c++) {
        const v = (post[t * L + c] as number) + (base[t] as number) + logPrior;
        post[t * L + c] = v;
        if (v > max) max = v;
      }
      let sum = 0;
      for (let c = 0; c < L; c++) {
        const e = Math.exp((post[t * L + c] as number) - max);
        post[t * L + c] = e;
        sum += e;
      }
      for (let c = 0; c < L; c++) post[t * L + c] = (post[t * L + c] as number) / sum;
    }
    for (let i = 0; i < n; i++) given[i] = post[(r.tasks[i] as number) * L + (r.labels[i] as number)] as number;
  };

  const gaussian = (v: number): number => -0.5 * Math.log(2 * Math.PI) - 0.5 * (v - 1) * (v - 1);

  /** Q at the parameters p, and its gradient into g (both for maximising). */
  const q = (p: Float64Array, g: Float64Array | undefined): number => {
    let value = 0;
    let saturated = false;
    if (g) g.fill(0);
    for (let t = 0; t < nTasks; t++) expBeta[t] = Math.exp(p[nWorkers + t] as number);
    for (let i = 0; i < n; i++) {
      const w = r.workers[i] as number;
      const t = r.tasks[i] as number;
      const a = p[w] as number;
      const eb = expBeta[t] as number;
      const s = a * eb;
      const pr = given[i] as number;
      if (!Number.isFinite(s)) saturated = true;
      const sigma = 1 / (1 + Math.exp(-s));
      value += pr * -softplus(-s) + (1 - pr) * (-softplus(s) - logOthers);
      if (g) {
        const d = pr - sigma;
        g[w] = (g[w] as number) + d * eb;
        g[nWorkers + t] = (g[nWorkers + t] as number) + d * a * eb;
      }
    }
    for (let k = 0; k < p.length; k++) {
      const v = p[k] as number;
      // crowd-kit's Q is log(pdf), so -inf once the density underflows: a wall for the optimiser.
      if (Math.exp(-0.5 * (v - 1) * (v - 1)) === 0) saturated = true;
      value += gaussian(v);
      if (g) g[k] = (g[k] as number) - (v - 1);
    }
    return saturated ? -Infinity : value;
  };

  eStep();
  let lastQ = q(x, undefined);
  for (let iter = 0; iter < maxIterations; iter++) {
    eStep();
    conjugateGradient(x, (p, g) => {
      const v = -q(p, g);
      for (let k = 0; k < g.length; k++) g[k] = -(g[k] as number);
      return v;
    }, cgIterations, cgTolerance);
    const next = q(x, undefined) / (n * L); // crowd-kit divides by its rows: one per response and label
    if (next - lastQ < tolerance) break;
    lastQ = next;
  }
  // Labels come from the posteriors of the last E-step, which ran before the last M-step.
  return argmaxByRank(post, nTasks, labelRanks(r));
}
