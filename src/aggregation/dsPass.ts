/**
 * Dawid-Skene's pass over the responses: the general version here, and in `dsPassUnrolled.ts`
 * a version for each small number of labels with its loops over labels unrolled, generated
 * by `scripts/generateDsPasses.ts`.
 */
import { unrolledPasses } from './dsPassUnrolled';

/**
 * Tasks [tFrom, tTo): with `estimate`, each task's posterior from the priors and error matrices
 * (the E-step); then the posterior added into priors, mass by label and error counts. Returns
 * the posteriors' entropy.
 */
export function dsPass(
  estimate: boolean, tFrom: number, tTo: number, start: Int32Array, cell: Int32Array, post: Float64Array,
  logPriors: Float64Array, logErrors: Float64Array, logPost: Float64Array, priors: Float64Array, massByLabel: Float64Array, counts: Float64Array,
): number {
  const L = logPriors.length;
  let entropy = 0;
  for (let t = tFrom; t < tTo; t++) {
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
  return entropy;
}

export type Pass = typeof dsPass;

/** The fastest pass for L labels: unrolled (generated at build time) up to 8 labels, else the general one. */
export function passFor(L: number): Pass {
  return (L >= 1 ? unrolledPasses[L - 1] : undefined) ?? dsPass;
}

/** The arrays of one Dawid-Skene run; the pass adds into priors, massByLabel and counts. */
export interface PassArrays {
  readonly start: Int32Array;
  readonly cell: Int32Array;
  readonly post: Float64Array;
  readonly logPriors: Float64Array;
  readonly logErrors: Float64Array;
  readonly priors: Float64Array;
  readonly massByLabel: Float64Array;
  readonly counts: Float64Array;
}

/**
 * One pass over every task with the fastest pass for the number of labels; returns the
 * entropy. Tasks from `fixedFrom` on keep their posteriors (known labels): they are only
 * added into the sums.
 */
export function runPass(a: PassArrays, estimate: boolean, logPost: Float64Array, fixedFrom = a.start.length - 1): number {
  a.priors.fill(0);
  a.massByLabel.fill(0);
  a.counts.fill(0);
  const pass = passFor(a.logPriors.length);
  const nTasks = a.start.length - 1;
  const entropy = pass(estimate, 0, fixedFrom, a.start, a.cell, a.post, a.logPriors, a.logErrors, logPost, a.priors, a.massByLabel, a.counts);
  if (fixedFrom < nTasks) pass(false, fixedFrom, nTasks, a.start, a.cell, a.post, a.logPriors, a.logErrors, logPost, a.priors, a.massByLabel, a.counts);
  return entropy;
}
