import type { Responses } from './responses';

/** Indices grouped by key (a stable counting sort): those with key g are order[start[g] .. start[g+1]), in their original order. */
export interface Groups {
  readonly start: Int32Array;
  readonly order: Int32Array;
}

export function groupBy(keys: Int32Array, nGroups: number): Groups {
  const start = new Int32Array(nGroups + 1);
  for (let i = 0; i < keys.length; i++) {
    const k = (keys[i] as number) + 1;
    start[k] = (start[k] as number) + 1;
  }
  for (let g = 0; g < nGroups; g++) start[g + 1] = (start[g + 1] as number) + (start[g] as number);
  const next = start.slice(0, nGroups);
  const order = new Int32Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const g = keys[i] as number;
    order[next[g] as number] = i;
    next[g] = (next[g] as number) + 1;
  }
  return { start, order };
}

/** Responses grouped by task. */
export function byTask(r: Responses): Groups {
  return groupBy(r.tasks, r.taskNames.length);
}

/** Responses grouped by worker. */
export function byWorker(r: Responses): Groups {
  return groupBy(r.workers, r.workerNames.length);
}
