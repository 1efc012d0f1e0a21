import { majorityVote } from './majorityVote';
import type { Aggregated, Responses } from './responses';

/**
 * Wawa: majority vote, then each worker's skill is the share of their answers that agree with
 * it (each distinct task, worker, label counted once), then majority vote weighted by skill.
 */
export function wawa(r: Responses): Aggregated {
  const mv = majorityVote(r);
  const nWorkers = r.workerNames.length;
  const L = r.labelNames.length;
  const agree = new Float64Array(nWorkers);
  const total = new Float64Array(nWorkers);
  const seen = new Set<number>();
  for (let i = 0; i < r.tasks.length; i++) {
    const w = r.workers[i] as number;
    const t = r.tasks[i] as number;
    const l = r.labels[i] as number;
    const key = (t * nWorkers + w) * L + l;
    if (seen.has(key)) continue;
    seen.add(key);
    total[w] = (total[w] as number) + 1;
    if (mv.labels[t] === l) agree[w] = (agree[w] as number) + 1;
  }
  const skills = new Float64Array(nWorkers);
  for (let w = 0; w < nWorkers; w++) skills[w] = (total[w] as number) > 0 ? (agree[w] as number) / (total[w] as number) : 0;
  return majorityVote(r, skills);
}
