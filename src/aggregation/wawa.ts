import { majorityVote } from './majorityVote';
import type { Aggregated, Responses } from './responses';
import { accuracyByWorker } from './workerAccuracy';

/**
 * Wawa: majority vote, then each worker's skill is the share of their answers that agree with
 * it (each distinct task, worker, label counted once), then majority vote weighted by skill.
 */
export function wawa(r: Responses): Aggregated {
  const skills = accuracyByWorker(r, majorityVote(r).labels);
  return majorityVote(r, skills);
}
