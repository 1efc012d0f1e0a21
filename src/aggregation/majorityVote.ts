import type { Aggregated, Responses } from './responses';

/** Vote counts per task and label, `counts[task * nLabels + label]`. */
export function voteCounts(r: Responses): Float64Array {
  const nLabels = r.labelNames.length;
  const counts = new Float64Array(r.taskNames.length * nLabels);
  for (let i = 0; i < r.tasks.length; i++) {
    const k = (r.tasks[i] as number) * nLabels + (r.labels[i] as number);
    counts[k] = (counts[k] as number) + 1;
  }
  return counts;
}

/**
 * The label with most votes per task; a tie goes to the label seen first in the input.
 * Confidence is the winner's share of the task's votes.
 */
export function majorityVote(r: Responses): Aggregated {
  const nTasks = r.taskNames.length;
  const nLabels = r.labelNames.length;
  const counts = voteCounts(r);
  const labels = new Int32Array(nTasks);
  const confidence = new Float64Array(nTasks);
  for (let t = 0; t < nTasks; t++) {
    let best = 0;
    let bestCount = -1;
    let total = 0;
    for (let l = 0; l < nLabels; l++) {
      const c = counts[t * nLabels + l] as number;
      total += c;
      if (c > bestCount) {
        bestCount = c;
        best = l;
      }
    }
    labels[t] = best;
    confidence[t] = total > 0 ? bestCount / total : 0;
  }
  return { labels, confidence };
}
