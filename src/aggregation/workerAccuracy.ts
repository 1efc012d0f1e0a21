import { byTask } from './groups';
import type { Responses } from './responses';

/**
 * Per response, 1 if it is the first with its task, worker and label: crowd-kit's accuracy of
 * a worker (`get_accuracy`) counts a repeated answer once.
 */
export function firstOfKind(r: Responses): Uint8Array {
  const first = new Uint8Array(r.tasks.length);
  const { start, order } = byTask(r);
  const L = r.labelNames.length;
  for (let t = 0; t < r.taskNames.length; t++) {
    const from = start[t] as number;
    const to = start[t + 1] as number;
    // A task has few answers: look back among them for the same worker and label. A task
    // with very many uses a set instead.
    const seen = to - from > 64 ? new Set<number>() : undefined;
    for (let k = from; k < to; k++) {
      const i = order[k] as number;
      const w = r.workers[i] as number;
      const l = r.labels[i] as number;
      let repeated = false;
      if (seen) {
        const key = w * L + l;
        repeated = seen.has(key);
        seen.add(key);
      } else {
        for (let j = from; j < k && !repeated; j++) {
          const o = order[j] as number;
          repeated = r.workers[o] === w && r.labels[o] === l;
        }
      }
      if (!repeated) first[i] = 1;
    }
  }
  return first;
}

export interface WorkerAccuracy {
  /** Per worker: answers equal to the truth (each distinct answer once). */
  readonly correct: Float64Array;
  /** Per worker: answers on tasks whose truth is known (each distinct answer once). */
  readonly total: Float64Array;
}

/** Counts each worker's answers against a label per task (`truth[t]`, or -1 where it is not known). */
export function accuracyCounts(r: Responses, truth: Int32Array, first: Uint8Array = firstOfKind(r)): WorkerAccuracy {
  const correct = new Float64Array(r.workerNames.length);
  const total = new Float64Array(r.workerNames.length);
  for (let i = 0; i < r.tasks.length; i++) {
    if (!first[i]) continue;
    const truthLabel = truth[r.tasks[i] as number] as number;
    if (truthLabel < 0) continue;
    const w = r.workers[i] as number;
    total[w] = (total[w] as number) + 1;
    if (r.labels[i] === truthLabel) correct[w] = (correct[w] as number) + 1;
  }
  return { correct, total };
}

/** Each worker's share of distinct answers equal to the truth; NaN for a worker with none on a known task. */
export function accuracyByWorker(r: Responses, truth: Int32Array, first?: Uint8Array): Float64Array {
  const { correct, total } = accuracyCounts(r, truth, first);
  return correct.map((c, w) => c / (total[w] as number));
}
