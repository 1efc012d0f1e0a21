import { byTask } from './dawidSkene';
import { majorityVote } from './majorityVote';
import type { Aggregated, Responses } from './responses';

/**
 * Wawa: majority vote, then each worker's skill is the share of their answers that agree with
 * it (each distinct task, worker, label counted once), then majority vote weighted by skill.
 */
export function wawa(r: Responses): Aggregated {
  const mv = majorityVote(r);
  const nWorkers = r.workerNames.length;
  const agree = new Float64Array(nWorkers);
  const total = new Float64Array(nWorkers);
  const { start, order } = byTask(r);
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
        const key = w * r.labelNames.length + l;
        repeated = seen.has(key);
        seen.add(key);
      } else for (let j = from; j < k && !repeated; j++) {
        const o = order[j] as number;
        repeated = r.workers[o] === w && r.labels[o] === l;
      }
      if (repeated) continue;
      total[w] = (total[w] as number) + 1;
      if (mv.labels[t] === l) agree[w] = (agree[w] as number) + 1;
    }
  }
  const skills = new Float64Array(nWorkers);
  for (let w = 0; w < nWorkers; w++) skills[w] = (total[w] as number) > 0 ? (agree[w] as number) / (total[w] as number) : 0;
  return majorityVote(r, skills);
}
