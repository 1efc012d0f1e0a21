import { voteCounts } from './majorityVote';
import type { Aggregated, Responses } from './responses';

export interface DawidSkeneOptions {
  readonly maxIterations?: number;
  readonly tolerance?: number;
}

/**
 * Dawid-Skene (1979): EM over a confusion matrix per worker and class priors, started from
 * majority-vote posteriors. Returns the MAP label per task and its posterior.
 */
export function dawidSkene(r: Responses, options: DawidSkeneOptions = {}): Aggregated {
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-5;
  const nTasks = r.taskNames.length;
  const nWorkers = r.workerNames.length;
  const L = r.labelNames.length;
  const n = r.tasks.length;

  // Posteriors start as vote shares.
  const post = voteCounts(r);
  for (let t = 0; t < nTasks; t++) {
    let s = 0;
    for (let l = 0; l < L; l++) s += post[t * L + l] as number;
    if (s > 0) for (let l = 0; l < L; l++) post[t * L + l] = (post[t * L + l] as number) / s;
  }
  const errors = new Float64Array(nWorkers * L * L); // [worker][true][observed]
  const logErrors = new Float64Array(nWorkers * L * L);
  const priors = new Float64Array(L);
  const logPost = new Float64Array(nTasks * L);
  let previous = -Infinity;

  for (let iter = 0; iter < maxIterations; iter++) {
    // M-step: priors and confusion matrices from the current posteriors.
    priors.fill(0);
    for (let t = 0; t < nTasks; t++) for (let l = 0; l < L; l++) priors[l] = (priors[l] as number) + (post[t * L + l] as number);
    for (let l = 0; l < L; l++) priors[l] = (priors[l] as number) / nTasks;
    errors.fill(0);
    for (let i = 0; i < n; i++) {
      const w = r.workers[i] as number;
      const t = r.tasks[i] as number;
      const obs = r.labels[i] as number;
      for (let l = 0; l < L; l++) errors[(w * L + l) * L + obs] = (errors[(w * L + l) * L + obs] as number) + (post[t * L + l] as number);
    }
    for (let w = 0; w < nWorkers; w++) {
      for (let l = 0; l < L; l++) {
        const row = (w * L + l) * L;
        let s = 0;
        for (let o = 0; o < L; o++) s += errors[row + o] as number;
        for (let o = 0; o < L; o++) {
          const p = s > 0 ? (errors[row + o] as number) / s : 1 / L;
          logErrors[row + o] = Math.log(Math.max(p, 1e-300));
        }
      }
    }
    // E-step: log posteriors, normalised per task.
    for (let t = 0; t < nTasks; t++) for (let l = 0; l < L; l++) logPost[t * L + l] = Math.log(Math.max(priors[l] as number, 1e-300));
    for (let i = 0; i < n; i++) {
      const w = r.workers[i] as number;
      const t = r.tasks[i] as number;
      const obs = r.labels[i] as number;
      for (let l = 0; l < L; l++) logPost[t * L + l] = (logPost[t * L + l] as number) + (logErrors[(w * L + l) * L + obs] as number);
    }
    let loglik = 0;
    for (let t = 0; t < nTasks; t++) {
      let max = -Infinity;
      for (let l = 0; l < L; l++) max = Math.max(max, logPost[t * L + l] as number);
      let s = 0;
      for (let l = 0; l < L; l++) s += Math.exp((logPost[t * L + l] as number) - max);
      const logZ = max + Math.log(s);
      loglik += logZ;
      for (let l = 0; l < L; l++) post[t * L + l] = Math.exp((logPost[t * L + l] as number) - logZ);
    }
    if (Math.abs(loglik - previous) < tolerance) break;
    previous = loglik;
  }

  const labels = new Int32Array(nTasks);
  const confidence = new Float64Array(nTasks);
  for (let t = 0; t < nTasks; t++) {
    let best = 0;
    for (let l = 1; l < L; l++) if ((post[t * L + l] as number) > (post[t * L + best] as number)) best = l;
    labels[t] = best;
    confidence[t] = post[t * L + best] as number;
  }
  return { labels, confidence };
}
