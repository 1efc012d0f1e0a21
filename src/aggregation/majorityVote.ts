import type { Aggregated, Responses } from './responses';

/**
 * Rank of each label code in the labels' sort order (as strings): crowd-kit breaks ties by
 * taking the smallest label in that order, and lists label columns in it.
 */
export function labelRanks(r: Responses): Int32Array {
  const order = r.labelNames.map((name, code) => ({ name, code })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const ranks = new Int32Array(r.labelNames.length);
  order.forEach((o, rank) => (ranks[o.code] = rank));
  return ranks;
}

/** (Weighted) vote totals per task and label, `counts[task * nLabels + label]`; duplicates count. */
export function voteCounts(r: Responses, workerWeights?: Float64Array, into?: Float64Array): Float64Array {
  const nLabels = r.labelNames.length;
  const counts = into ? into.fill(0) : new Float64Array(r.taskNames.length * nLabels);
  for (let i = 0; i < r.tasks.length; i++) {
    const k = (r.tasks[i] as number) * nLabels + (r.labels[i] as number);
    counts[k] = (counts[k] as number) + (workerWeights ? (workerWeights[r.workers[i] as number] as number) : 1);
  }
  return counts;
}

/** Each task's vote shares, `shares[task * nLabels + label]` (crowd-kit's majority-vote probabilities). */
export function voteShares(r: Responses): Float64Array {
  const L = r.labelNames.length;
  const shares = voteCounts(r);
  for (let t = 0; t < r.taskNames.length; t++) {
    let s = 0;
    for (let z = 0; z < L; z++) s += shares[t * L + z] as number;
    if (s > 0) for (let z = 0; z < L; z++) shares[t * L + z] = (shares[t * L + z] as number) / s;
  }
  return shares;
}

/** Per task, the label with the largest total; a tie goes to the smallest label in sort order. */
export function argmaxByRank(scores: Float64Array, nTasks: number, ranks: Int32Array, into?: Aggregated): Aggregated {
  const L = ranks.length;
  const labels = into?.labels ?? new Int32Array(nTasks);
  const confidence = into?.confidence ?? new Float64Array(nTasks);
  for (let t = 0; t < nTasks; t++) {
    let best = -1;
    let total = 0;
    for (let l = 0; l < L; l++) {
      const s = scores[t * L + l] as number;
      total += s;
      if (best < 0 || s > (scores[t * L + best] as number) || (s === scores[t * L + best] && (ranks[l] as number) < (ranks[best] as number))) best = l;
    }
    labels[t] = best;
    confidence[t] = total > 0 ? (scores[t * L + best] as number) / total : 0;
  }
  return { labels, confidence };
}

/** Majority vote as crowd-kit does it: every response counts; confidence is the winner's share. */
export function majorityVote(r: Responses, workerWeights?: Float64Array): Aggregated {
  return argmaxByRank(voteCounts(r, workerWeights), r.taskNames.length, labelRanks(r));
}
