import { byTask } from './groups';
import { argmaxByRank, labelRanks, voteCounts } from './majorityVote';
import { MersenneTwister } from './random';
import type { Aggregated, Responses } from './responses';

export interface MmsrOptions {
  readonly maxIterations?: number;
  /** Stop once the rank-one estimate u vᵀ moves less than this (Frobenius norm). */
  readonly tolerance?: number;
  /** Seed of the starting vectors (NumPy's Mersenne Twister, as crowd-kit). */
  readonly seed?: number;
}

/** The pairs of workers with tasks in common, both ways, as a sparse matrix by row. */
interface Pairs {
  /** Row i's entries are rowStart[i] .. rowStart[i+1]. */
  readonly rowStart: Int32Array;
  readonly column: Int32Array;
  /** The centred agreement (L/(L-1)) · agreed/common - 1/(L-1): the product of the two skills, in expectation. */
  readonly covariance: Float64Array;
}

/**
 * The worker pairs' agreement on their common tasks. Like crowd-kit, a worker's last answer
 * to a task is the one that counts.
 */
function workerPairs(r: Responses): Pairs {
  const nWorkers = r.workerNames.length;
  const L = r.labelNames.length;
  const { start, order } = byTask(r);
  // Each task's distinct workers with their last answers, then every pair of them, as keys
  // (smaller worker, larger worker) with a bit for agreement; sorting the keys counts them.
  let widest = 0;
  let pairs = 0;
  for (let t = 0; t + 1 < start.length; t++) {
    const k = (start[t + 1] as number) - (start[t] as number);
    widest = Math.max(widest, k);
    pairs += (k * (k - 1)) / 2;
  }
  const keys = new Float64Array(pairs);
  const taskWorkers = new Int32Array(widest);
  const taskLabels = new Int32Array(widest);
  let used = 0;
  for (let t = 0; t + 1 < start.length; t++) {
    let m = 0;
    for (let k = start[t] as number; k < (start[t + 1] as number); k++) {
      const i = order[k] as number;
      const w = r.workers[i] as number;
      let at = 0;
      while (at < m && taskWorkers[at] !== w) at++;
      taskWorkers[at] = w;
      taskLabels[at] = r.labels[i] as number; // a later answer replaces an earlier one
      if (at === m) m++;
    }
    for (let a = 0; a < m; a++) {
      for (let b = a + 1; b < m; b++) {
        const [wa, wb] = [taskWorkers[a] as number, taskWorkers[b] as number];
        keys[used++] = (Math.min(wa, wb) * nWorkers + Math.max(wa, wb)) * 2 + (taskLabels[a] === taskLabels[b] ? 1 : 0);
      }
    }
  }
  const sorted = keys.subarray(0, used).sort();
  // Distinct pairs with their covariances, sorted by (lower, higher) worker.
  const pairLo = new Int32Array(used);
  const pairHi = new Int32Array(used);
  const pairCov = new Float64Array(used);
  let distinct = 0;
  for (let k = 0; k < sorted.length; ) {
    const pair = Math.floor((sorted[k] as number) / 2);
    let common = 0;
    let agreed = 0;
    while (k < sorted.length && Math.floor((sorted[k] as number) / 2) === pair) {
      common++;
      agreed += (sorted[k] as number) % 2;
      k++;
    }
    pairLo[distinct] = Math.floor(pair / nWorkers);
    pairHi[distinct] = pair % nWorkers;
    pairCov[distinct++] = ((L / (L - 1)) * agreed) / common - 1 / (L - 1);
  }
  const rowStart = new Int32Array(nWorkers + 1);
  for (let p = 0; p < distinct; p++) {
    rowStart[(pairLo[p] as number) + 1] = (rowStart[(pairLo[p] as number) + 1] as number) + 1;
    rowStart[(pairHi[p] as number) + 1] = (rowStart[(pairHi[p] as number) + 1] as number) + 1;
  }
  for (let w = 0; w < nWorkers; w++) rowStart[w + 1] = (rowStart[w + 1] as number) + (rowStart[w] as number);
  const next = rowStart.slice(0, nWorkers);
  const column = new Int32Array(distinct * 2);
  const covariance = new Float64Array(distinct * 2);
  const put = (row: number, col: number, p: number): void => {
    const at = next[row] as number;
    column[at] = col;
    covariance[at] = pairCov[p] as number;
    next[row] = at + 1;
  };
  // Pairs come sorted by (lo, hi): rows fill in column order for both halves.
  for (let p = 0; p < distinct; p++) put(pairHi[p] as number, pairLo[p] as number, p);
  for (let p = 0; p < distinct; p++) put(pairLo[p] as number, pairHi[p] as number, p);
  return { rowStart, column, covariance };
}

/** Rearranges values[lo, hi) so that values[k] is the one a sort would put there, smaller ones before it and larger after. */
function select(values: Float64Array, lo: number, hi: number, k: number): void {
  let left = lo;
  let right = hi - 1;
  while (right > left) {
    // Median of three as the pivot, moved to the right end.
    const mid = (left + right) >>> 1;
    const [a, b, c] = [values[left] as number, values[mid] as number, values[right] as number];
    const pivotAt = a < b ? (b < c ? mid : a < c ? right : left) : a < c ? left : b < c ? right : mid;
    const pivot = values[pivotAt] as number;
    values[pivotAt] = values[right] as number;
    values[right] = pivot;
    let store = left;
    for (let i = left; i < right; i++) {
      const v = values[i] as number;
      if (v < pivot) {
        values[i] = values[store] as number;
        values[store++] = v;
      }
    }
    values[right] = values[store] as number;
    values[store] = pivot;
    if (store === k) return;
    if (store < k) left = store + 1;
    else right = store - 1;
  }
}

/**
 * The mean of the values left once the F smallest below `current` and the F largest above
 * it are dropped (all of those below, or above, when there are fewer than F): the
 * mean-subsequence-reduced step. Reorders `values`. None left: NaN. A single 0 left
 * becomes `loneZero` (crowd-kit's guard: the next divisions by it would be infinite).
 */
function reducedMean(values: Float64Array, F: number, current: number, loneZero: number): number {
  const n = values.length;
  let below = 0;
  let above = 0;
  for (let k = 0; k < n; k++) {
    const v = values[k] as number;
    if (v < current) below++;
    else if (v > current) above++;
  }
  const from = below < F ? below : F;
  const to = n - (above < F ? above : F);
  if (to <= from) return NaN;
  if (from > 0) select(values, 0, n, from);
  if (to < n) select(values, from, n, to);
  if (to - from === 1) {
    let only = Infinity;
    for (let k = from; k < n; k++) only = Math.min(only, values[k] as number);
    return only === 0 ? loneZero : only;
  }
  let s = 0;
  for (let k = from; k < to; k++) s += values[k] as number;
  return s / (to - from);
}

/**
 * Signs of the skills (which workers are better than chance), as the paper determines them:
 * a positive covariance says two workers are on the same side of chance, a negative one
 * that they are on opposite sides; the signs are those of the leading eigenvector of this
 * signed graph (the exact two-colouring where one exists), by power iteration in each
 * connected group of workers, oriented so that the group's larger part is better than chance.
 */
function skillSigns(p: Pairs, nWorkers: number): Int8Array {
  const signs = Int8Array.from(p.covariance, Math.sign);
  const sign = new Int8Array(nWorkers);
  const group = new Int32Array(nWorkers).fill(-1);
  const queue = new Int32Array(nWorkers);
  const x = new Float64Array(nWorkers);
  const y = new Float64Array(nWorkers);
  for (let root = 0; root < nWorkers; root++) {
    if (group[root] !== -1 || p.rowStart[root] === p.rowStart[root + 1]) continue;
    let head = 0;
    let tail = 0;
    queue[tail++] = root;
    group[root] = root;
    while (head < tail) {
      const i = queue[head++] as number;
      for (let k = p.rowStart[i] as number; k < (p.rowStart[i + 1] as number); k++) {
        const j = p.column[k] as number;
        if (group[j] === -1) {
          group[j] = root;
          queue[tail++] = j;
        }
      }
    }
    const members = queue.slice(0, tail);
    // Shifted by the largest row sum, so that the algebraically largest eigenvalue leads.
    let shift = 0;
    for (const w of members) {
      let s = 0;
      for (let k = p.rowStart[w] as number; k < (p.rowStart[w + 1] as number); k++) s += Math.abs(signs[k] as number);
      shift = Math.max(shift, s);
      x[w] = 1;
    }
    for (let iteration = 0; iteration < 2000; iteration++) {
      let norm = 0;
      for (const w of members) {
        let s = shift * (x[w] as number);
        for (let k = p.rowStart[w] as number; k < (p.rowStart[w + 1] as number); k++) s += (signs[k] as number) * (x[p.column[k] as number] as number);
        y[w] = s;
        norm += s * s;
      }
      norm = Math.sqrt(norm);
      let moved = 0;
      for (const w of members) {
        const v = norm > 0 ? (y[w] as number) / norm : 0;
        moved = Math.max(moved, Math.abs(v - (x[w] as number)));
        x[w] = v;
      }
      if (moved < 1e-7) break;
    }
    let balance = 0;
    for (const w of members) balance += (x[w] as number) < 0 ? -1 : 1;
    for (const w of members) sign[w] = ((x[w] as number) < 0) === balance >= 0 ? -1 : 1;
  }
  return sign;
}

/**
 * M-MSR (Ma and Olshevsky 2020): the workers' skills as a rank-one completion of their
 * covariance matrix, robust to outliers by the mean-subsequence-reduced update, then a
 * majority vote weighted by log((L-1) p / (1 - p)), p each worker's estimated chance of the
 * true label (a task whose workers all weigh 0 gets the plain majority). crowd-kit 1.4's defaults (10,000 iterations at most, tolerance 1e-10, starting
 * vectors from seed 0).
 *
 * Where crowd-kit differs, this follows the paper: crowd-kit centres every entry of the
 * covariance matrix, so that pairs with no common task and each worker with themselves
 * count as disagreeing (negative covariance) when the signs are determined; and with a
 * worker who shares tasks with fewer than two others its trimming count F is -1, so that
 * only the largest value is kept. Here only observed pairs count, and F is at least 0.
 */
export function mmsr(r: Responses, options: MmsrOptions = {}): Aggregated {
  const maxIterations = options.maxIterations ?? 10_000;
  const tolerance = options.tolerance ?? 1e-10;
  const nWorkers = r.workerNames.length;
  const nTasks = r.taskNames.length;
  const L = r.labelNames.length;
  if (L < 2) return argmaxByRank(voteCounts(r), nTasks, labelRanks(r));
  const p = workerPairs(r);
  let sparsity = Infinity;
  for (let w = 0; w < nWorkers; w++) sparsity = Math.min(sparsity, (p.rowStart[w + 1] as number) - (p.rowStart[w] as number));
  const F = Math.max(0, Math.floor(sparsity / 2) - 1);

  const rng = new MersenneTwister(options.seed ?? 0);
  const u = Float64Array.from({ length: nWorkers }, () => rng.random());
  const v = u.slice();
  const du = new Float64Array(nWorkers);
  const dv = new Float64Array(nWorkers);
  let widest = 0;
  for (let w = 0; w < nWorkers; w++) widest = Math.max(widest, (p.rowStart[w + 1] as number) - (p.rowStart[w] as number));
  const scratch = new Float64Array(widest);
  /** One MSR sweep: each entry of `target` from |C| divided by the other vector over its observed pairs. */
  const sweep = (target: Float64Array, other: Float64Array, change: Float64Array): void => {
    for (let w = 0; w < nWorkers; w++) {
      const from = p.rowStart[w] as number;
      const count = (p.rowStart[w + 1] as number) - from;
      const values = scratch.subarray(0, count);
      for (let k = 0; k < count; k++) values[k] = Math.abs(p.covariance[from + k] as number) / (other[p.column[from + k] as number] as number);
      const before = target[w] as number;
      let next = reducedMean(values, F, before, 1 / Math.sqrt(nTasks));
      if (Number.isNaN(next)) next = before;
      target[w] = next;
      change[w] = next - before;
    }
  };
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    sweep(v, u, dv);
    sweep(u, v, du);
    // ‖u vᵀ − u₀ v₀ᵀ‖ with u vᵀ − u₀ v₀ᵀ = Δu vᵀ + u₀ Δvᵀ, free of cancellation.
    let duDu = 0, vv = 0, u0u0 = 0, dvDv = 0, duU0 = 0, vDv = 0;
    for (let w = 0; w < nWorkers; w++) {
      const a = du[w] as number;
      const b = dv[w] as number;
      const u0 = (u[w] as number) - a;
      const vw = v[w] as number;
      duDu += a * a;
      vv += vw * vw;
      u0u0 += u0 * u0;
      dvDv += b * b;
      duU0 += a * u0;
      vDv += vw * b;
    }
    const loss = Math.sqrt(Math.max(0, duDu * vv + u0u0 * dvDv + 2 * duU0 * vDv));
    if (loss < tolerance) break;
  }
  let uNorm = 0;
  let vNorm = 0;
  for (let w = 0; w < nWorkers; w++) {
    uNorm += (u[w] as number) ** 2;
    vNorm += (v[w] as number) ** 2;
  }
  const scale = Math.sqrt(Math.sqrt(uNorm) / Math.sqrt(vNorm));
  const sign = skillSigns(p, nWorkers);
  const upper = 1 - 1 / Math.sqrt(nTasks);
  const lower = -1 / (L - 1) + 1 / Math.sqrt(nTasks);
  const skills = new Float64Array(nWorkers);
  for (let w = 0; w < nWorkers; w++) {
    const x = Math.max(Math.min(((sign[w] as number) * (u[w] as number)) / scale, upper), lower);
    const probability = (x * (L - 1)) / L + 1 / L;
    skills[w] = Math.log((probability * (L - 1)) / (1 - probability));
  }
  // A task whose workers all have skill 0 (none shares a task with anyone, say) gets the plain majority.
  const scores = voteCounts(r, skills);
  const plain = voteCounts(r);
  for (let t = 0; t < nTasks; t++) {
    const row = scores.subarray(t * L, t * L + L);
    if (row.every((s) => s === 0)) row.set(plain.subarray(t * L, t * L + L));
  }
  return argmaxByRank(scores, nTasks, labelRanks(r));
}
