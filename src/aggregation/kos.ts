import { byTask, byWorker, type Groups } from './groups';
import { labelRanks } from './majorityVote';
import { MersenneTwister } from './random';
import type { Aggregated, Responses } from './responses';

export interface KosOptions {
  readonly iterations?: number;
  /** Seed of the starting reliabilities (NumPy's Mersenne Twister, as crowd-kit). */
  readonly seed?: number;
}

/** Messages beyond this stop the iterations (crowd-kit's guard against overflow). */
const LIMIT = 1e300;

/** Kahan-compensated sums of `values` over each group (pandas sums groups this way). */
function groupSums(values: Float64Array, g: Groups, into: Float64Array): void {
  for (let k = 0; k + 1 < g.start.length; k++) {
    let sum = 0;
    let compensation = 0;
    for (let j = g.start[k] as number; j < (g.start[k + 1] as number); j++) {
      const y = (values[g.order[j] as number] as number) - compensation;
      const next = sum + y;
      compensation = next - sum - y;
      sum = next;
    }
    into[k] = sum;
  }
}

function exceeds(sums: Float64Array): boolean {
  for (let k = 0; k < sums.length; k++) if (Math.abs(sums[k] as number) > LIMIT) return true;
  return false;
}

/**
 * KOS (Karger, Oh and Shah 2011), for two labels: belief propagation between tasks and
 * workers, as crowd-kit 1.4 runs it: the first label seen is +1, the other -1; each response
 * starts with a reliability drawn from N(1, 1) (seed 0); each of 100 iterations sends every
 * response the sum of the other responses' messages, task side then worker side, and stops
 * early once a sum exceeds 1e300. A task's label is the sign of its responses' labels
 * weighted by reliability; a sum of exactly 0 goes to the smallest label as text. No
 * confidence (NaN): the messages are not probabilities.
 */
export function kos(r: Responses, options: KosOptions = {}): Aggregated {
  const iterations = options.iterations ?? 100;
  const L = r.labelNames.length;
  if (L !== 2) throw new Error(`KOS aggregates exactly two labels; these answers have ${L}${L > 0 ? ` (${r.labelNames.slice(0, 5).join(', ')}${L > 5 ? ', …' : ''})` : ''}`);
  const n = r.tasks.length;
  const nTasks = r.taskNames.length;
  const tasks = byTask(r);
  const workers = byWorker(r);
  // Label codes follow first appearance, so code 0 is the first label seen: +1.
  const sign = Float64Array.from(r.labels, (l) => (l === 0 ? 1 : -1));
  const rng = new MersenneTwister(options.seed ?? 0);
  const reliability = Float64Array.from({ length: n }, () => 1 + rng.gaussian());
  const inferred = new Float64Array(n);
  const product = new Float64Array(n);
  const taskSums = new Float64Array(nTasks);
  const workerSums = new Float64Array(r.workerNames.length);

  for (let iteration = 0; iteration < iterations; iteration++) {
    for (let i = 0; i < n; i++) product[i] = (sign[i] as number) * (reliability[i] as number);
    groupSums(product, tasks, taskSums);
    if (exceeds(taskSums)) break;
    for (let i = 0; i < n; i++) inferred[i] = (taskSums[r.tasks[i] as number] as number) - (product[i] as number);
    for (let i = 0; i < n; i++) product[i] = (sign[i] as number) * (inferred[i] as number);
    groupSums(product, workers, workerSums);
    if (exceeds(workerSums)) break;
    for (let i = 0; i < n; i++) reliability[i] = (workerSums[r.workers[i] as number] as number) - (product[i] as number);
  }
  for (let i = 0; i < n; i++) product[i] = (sign[i] as number) * (reliability[i] as number);
  groupSums(product, tasks, taskSums);
  const tie = (labelRanks(r)[0] as number) < (labelRanks(r)[1] as number) ? 0 : 1;
  const labels = Int32Array.from(taskSums, (s) => (s > 0 ? 0 : s < 0 ? 1 : tie));
  return { labels, confidence: new Float64Array(nTasks).fill(NaN) };
}
