import { argmaxByRank, labelRanks, voteCounts } from './majorityVote';
import type { Aggregated, Responses } from './responses';
import { accuracyCounts, firstOfKind } from './workerAccuracy';

export interface ZeroBasedSkillOptions {
  readonly iterations?: number;
  readonly learningRate?: number;
  /** The learning rate is multiplied by `reduceFactor` every this many iterations. */
  readonly reduceEvery?: number;
  readonly reduceFactor?: number;
  /** Added to the starting skill 1 / labels. */
  readonly eps?: number;
}

/**
 * Zero-based skill, with crowd-kit 1.4's defaults: every worker starts with skill 1/L + eps;
 * each iteration is a majority vote weighted by skill, then a gradient step of each skill
 * towards the worker's agreement with that vote (each distinct answer counted once), the
 * learning rate halved every 20 iterations; after 100 iterations, a last weighted vote.
 * Confidence: the winner's share of the weighted votes.
 */
export function zeroBasedSkill(r: Responses, options: ZeroBasedSkillOptions = {}): Aggregated {
  const iterations = options.iterations ?? 100;
  const reduceEvery = options.reduceEvery ?? 20;
  const reduceFactor = options.reduceFactor ?? 0.5;
  const nTasks = r.taskNames.length;
  const L = r.labelNames.length;
  const skills = new Float64Array(r.workerNames.length).fill(1 / L + (options.eps ?? 1e-5));
  const ranks = labelRanks(r);
  const first = firstOfKind(r);
  const counts = new Float64Array(nTasks * L);
  const vote: Aggregated = { labels: new Int32Array(nTasks), confidence: new Float64Array(nTasks) };
  let rate = options.learningRate ?? 1;
  for (let iteration = 1; iteration <= iterations; iteration++) {
    if (iteration % reduceEvery === 0) rate *= reduceFactor;
    argmaxByRank(voteCounts(r, skills, counts), nTasks, ranks, vote);
    const { correct, total } = accuracyCounts(r, vote.labels, first);
    for (let w = 0; w < skills.length; w++) {
      const s = skills[w] as number;
      skills[w] = s + rate * ((correct[w] as number) / (total[w] as number) - s);
    }
  }
  return argmaxByRank(voteCounts(r, skills), nTasks, ranks);
}
