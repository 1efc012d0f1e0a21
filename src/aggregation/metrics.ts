/**
 * Quality metrics of a crowd's answers, as crowd-kit 1.4 defines them: consistency,
 * uncertainty and Krippendorff's alpha of the data, each worker's accuracy on the aggregates
 * and, with golden answers, on those, and a method's accuracy.
 */
import { byTask } from './groups';
import { majorityVote } from './majorityVote';
import type { Responses } from './responses';
import { accuracyByWorker, accuracyCounts, firstOfKind } from './workerAccuracy';

/**
 * Consistency: the mean over tasks of the posterior probability of the aggregated label,
 * under a model where a worker with skill s gives the true label with probability s and
 * each other label with (1 - s) / (L - 1). By default the aggregate is majority vote and
 * each skill the worker's agreement with it (crowd-kit's default). A task whose every label
 * has probability 0 counts 0.
 */
export function consistency(r: Responses, labels?: Int32Array, skills?: Float64Array): number {
  const aggregate = labels ?? majorityVote(r).labels;
  const skill = skills ?? accuracyByWorker(r, aggregate);
  const L = r.labelNames.length;
  const nTasks = r.taskNames.length;
  if (nTasks === 0) return NaN;
  const { start, order } = byTask(r);
  const logP = new Float64Array(L);
  let total = 0;
  for (let t = 0; t < nTasks; t++) {
    logP.fill(0);
    for (let k = start[t] as number; k < (start[t + 1] as number); k++) {
      const i = order[k] as number;
      const s = skill[r.workers[i] as number] as number;
      const given = r.labels[i] as number;
      const logOther = L > 1 ? Math.log((1 - s) / (L - 1)) : 0;
      for (let z = 0; z < L; z++) logP[z] = (logP[z] as number) + (z === given ? Math.log(s) : logOther);
    }
    let max = -Infinity;
    for (let z = 0; z < L; z++) max = Math.max(max, logP[z] as number);
    if (max === -Infinity) continue;
    let sum = 0;
    for (let z = 0; z < L; z++) sum += Math.exp((logP[z] as number) - max);
    total += Math.exp((logP[aggregate[t] as number] as number) - max) / sum;
  }
  return total / nTasks;
}

/** Per task and label, how many answers gave it (`counts[task * L + label]`), and per task in all. */
function answerCounts(r: Responses): { counts: Float64Array; answers: Float64Array } {
  const L = r.labelNames.length;
  const counts = new Float64Array(r.taskNames.length * L);
  const answers = new Float64Array(r.taskNames.length);
  for (let i = 0; i < r.tasks.length; i++) {
    const t = r.tasks[i] as number;
    counts[t * L + (r.labels[i] as number)] = (counts[t * L + (r.labels[i] as number)] as number) + 1;
    answers[t] = (answers[t] as number) + 1;
  }
  return { counts, answers };
}

/** Uncertainty: the mean over tasks of the entropy (natural log) of the task's answer shares. */
export function uncertainty(r: Responses): number {
  const L = r.labelNames.length;
  const nTasks = r.taskNames.length;
  const { counts, answers } = answerCounts(r);
  let total = 0;
  for (let t = 0; t < nTasks; t++) {
    const n = answers[t] as number;
    for (let z = 0; z < L; z++) {
      const c = counts[t * L + z] as number;
      if (c > 0) total -= (c / n) * Math.log(c / n);
    }
  }
  return total / nTasks;
}

/**
 * Krippendorff's alpha with the binary distance (NLTK's, as crowd-kit uses it): 1 minus the
 * observed disagreement within tasks over the disagreement expected by chance. Tasks with
 * fewer than two answers are left out; every answer counts, repeats included. 1 when only
 * one label occurs; NaN when no task has two answers.
 */
export function krippendorffAlpha(r: Responses): number {
  const L = r.labelNames.length;
  if (L <= 1) return 1;
  const nTasks = r.taskNames.length;
  const { counts, answers } = answerCounts(r);
  const pooled = new Float64Array(L);
  let pairable = 0;
  let observed = 0;
  for (let t = 0; t < nTasks; t++) {
    const n = answers[t] as number;
    if (n < 2) continue;
    let same = 0;
    for (let z = 0; z < L; z++) {
      const c = counts[t * L + z] as number;
      same += c * c;
      pooled[z] = (pooled[z] as number) + c;
    }
    // The task's disagreement (ordered pairs of different labels over n(n - 1)), times n.
    observed += (n * n - same) / (n - 1);
    pairable += n;
  }
  let same = 0;
  for (let z = 0; z < L; z++) same += (pooled[z] as number) ** 2;
  const expected = (pairable * pairable - same) / (pairable * (pairable - 1));
  return 1 - observed / pairable / expected;
}

export interface AccuracyReport {
  /** Per worker, the share of their distinct answers that match (NaN: none on a known task). */
  readonly byWorker: Float64Array;
  /** Per worker, how many distinct answers were compared. */
  readonly compared: Float64Array;
  /** Over all compared answers. */
  readonly overall: number;
}

/**
 * The workers' answers against a label per task: the aggregates (crowd-kit's accuracy on
 * aggregates) or golden answers (-1 where a task has none). A repeated answer counts once.
 */
export function accuracyAgainst(r: Responses, truth: Int32Array): AccuracyReport {
  const { correct, total } = accuracyCounts(r, truth, firstOfKind(r));
  let right = 0;
  let compared = 0;
  for (let w = 0; w < correct.length; w++) {
    right += correct[w] as number;
    compared += total[w] as number;
  }
  return { byWorker: correct.map((c, w) => c / (total[w] as number)), compared: total, overall: right / compared };
}

/** A method's accuracy: the share of tasks with a golden answer (-1: none) whose label matches it. */
export function labelAccuracy(labels: Int32Array, gold: Int32Array): { readonly accuracy: number; readonly graded: number } {
  let right = 0;
  let graded = 0;
  for (let t = 0; t < gold.length; t++) {
    if ((gold[t] as number) < 0) continue;
    graded++;
    if (labels[t] === gold[t]) right++;
  }
  return { accuracy: right / graded, graded };
}
