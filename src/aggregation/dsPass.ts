/**
 * Dawid-Skene's pass over the responses: the general version, and a version generated for
 * each small number of labels with its loops over labels unrolled.
 */

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

/** Up to this many labels the pass is generated with its loops over labels unrolled. */
const UNROLL_UP_TO = 8;

/**
 * The source of `dsPass` specialised for L labels: every loop over labels written out, with
 * the per-task sums in local variables. Same arithmetic in the same order as `dsPass`, so the
 * same results to the last bit, 2.4 times faster for 4 labels here (loop overhead, not memory,
 * dominated the general version).
 */
function unrolledPassSource(L: number): string {
  const z = Array.from({ length: L }, (_, i) => i);
  const each = (f: (i: number) => string, sep = ' '): string => z.map(f).join(sep);
  return `function unrolledPass(estimate, tFrom, tTo, start, cell, post, logPriors, logErrors, logPost, priors, massByLabel, counts) {
  let entropy = 0;
  ${each((i) => `const p${i} = logPriors[${i}];`)}
  ${each((i) => `let q${i} = priors[${i}], m${i} = massByLabel[${i}];`)}
  for (let t = tFrom; t < tTo; t++) {
    const from = start[t], to = start[t + 1], at = t * ${L};
    ${each((i) => `let r${i};`)}
    if (estimate) {
      ${each((i) => `let a${i} = p${i};`)}
      for (let k = from; k < to; k++) {
        const c = cell[k];
        ${each((i) => `a${i} = a${i} + logErrors[c + ${i}];`)}
      }
      let max = -Infinity;
      ${each((i) => `max = Math.max(max, a${i});`)}
      let s = 0;
      ${each((i) => `const e${i} = Math.exp(a${i} - max); s += e${i};`)}
      const logS = Math.log(s);
      ${each((i) => `r${i} = e${i} / s; post[at + ${i}] = r${i}; if (r${i} > 0) entropy -= r${i} * (a${i} - max - logS);`, '\n      ')}
    } else {
      ${each((i) => `r${i} = post[at + ${i}];`)}
    }
    const n = to - from;
    ${each((i) => `q${i} = q${i} + r${i}; m${i} = m${i} + n * r${i};`)}
    for (let k = from; k < to; k++) {
      const c = cell[k];
      ${each((i) => `counts[c + ${i}] = counts[c + ${i}] + r${i};`)}
    }
  }
  ${each((i) => `priors[${i}] = q${i}; massByLabel[${i}] = m${i};`)}
  return entropy;
}`;
}

const compiled = new Map<number, Pass>();

/** The fastest pass for L labels. */
export function passFor(L: number): Pass {
  let pass = compiled.get(L);
  if (!pass) {
    // Generated from L alone, never from input data.
    pass = L >= 1 && L <= UNROLL_UP_TO ? (new Function(`return (${unrolledPassSource(L)});`)() as Pass) : dsPass;
    compiled.set(L, pass);
  }
  return pass;
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

/** One pass over every task with the fastest pass for the number of labels; returns the entropy. */
export function runPass(a: PassArrays, estimate: boolean, logPost: Float64Array): number {
  a.priors.fill(0);
  a.massByLabel.fill(0);
  a.counts.fill(0);
  return passFor(a.logPriors.length)(estimate, 0, a.start.length - 1, a.start, a.cell, a.post, a.logPriors, a.logErrors, logPost, a.priors, a.massByLabel, a.counts);
}
