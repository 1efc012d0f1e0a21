/**
 * What a pool file will cost before it runs: its reward, overlap (dynamic overlap's maximum),
 * the mixer's real tasks per suite, and a count of its tasks, with Toloka's fee; and what it pays
 * a Toloker by the hour at a median time per suite. No vscode import.
 */
import { z } from 'zod';
import { dateTimeMs } from '../toloka/models/common';
import { dollars } from '../toloka/pricing';
import { estimateCost, hourlyReward, type CostEstimate } from './money';

const count = z.number().int().nonnegative();

/** The fields of a pool a cost depends on; the rest of the file is checked by its schema. */
export const PoolCostFields = z.object({
  id: z.string().optional(),
  reward_per_assignment: z.number().nonnegative(),
  defaults: z.object({ default_overlap_for_new_tasks: count.optional(), default_overlap_for_new_task_suites: count.optional() }).partial().optional(),
  dynamic_overlap_config: z.object({ max_overlap: count }).optional(),
  mixer_config: z.object({ real_tasks_count: count, golden_tasks_count: count.optional(), training_tasks_count: count.optional() }).optional(),
});
export type PoolCostFields = z.infer<typeof PoolCostFields>;

export interface TaskTotals {
  /** Real (not control) tasks. */
  readonly real: number;
  readonly golden?: number;
  /** Real tasks that set their own overlap, and the sum of those (dynamic overlap's maximum wins over them). */
  readonly ownOverlap?: { readonly tasks: number; readonly sum: number };
  /** Where the counts come from, for people: "animals.tasks.jsonl", "the pool on Toloka". */
  readonly source: string;
}

export interface PoolCost extends CostEstimate {
  readonly overlap: number;
  readonly dynamic: boolean;
  readonly realPerSuite: number;
  readonly goldenPerSuite: number;
  readonly source: string;
  /** One line for a CodeLens. */
  readonly headline: string;
  /** The working, a line each. */
  readonly explanation: readonly string[];
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** The most a pool's tasks cost: every real task answered its overlap's worth, in suites of the mixer's size. */
export function estimatePoolCost(pool: PoolCostFields, tasks: TaskTotals): PoolCost {
  const dynamic = pool.dynamic_overlap_config !== undefined;
  const overlap = Math.max(1, pool.dynamic_overlap_config?.max_overlap ?? pool.defaults?.default_overlap_for_new_tasks ?? pool.defaults?.default_overlap_for_new_task_suites ?? 1);
  const own = dynamic ? undefined : tasks.ownOverlap;
  const answers = own ? own.sum + (tasks.real - own.tasks) * overlap : tasks.real * overlap;
  const realPerSuite = Math.max(1, pool.mixer_config?.real_tasks_count ?? 1);
  const goldenPerSuite = pool.mixer_config?.golden_tasks_count ?? 0;
  // estimateCost works in tasks × overlap; hand it the answers with an overlap of one.
  const e = estimateCost({ tasks: answers, overlap: 1, realPerSuite, reward: pool.reward_per_assignment });
  const headline = `≈ ${dollars(e.total)} for ${plural(tasks.real, 'task')}`;
  const explanation = [
    `${plural(tasks.real, 'real task')}${tasks.golden ? ` and ${plural(tasks.golden, 'control task')}` : ''}, from ${tasks.source}`,
    `${dynamic ? `up to ${overlap} answers each (dynamic overlap's max_overlap)` : own && own.tasks > 0 ? `${plural(answers, 'answer')} in all (${plural(own.tasks, 'task')} set their own overlap, the rest ${overlap})` : `${overlap} answer${overlap === 1 ? '' : 's'} each`}`,
    `${plural(e.suites, 'task suite')} of ${realPerSuite} real${goldenPerSuite ? ` + ${goldenPerSuite} control` : ''} task${realPerSuite + goldenPerSuite === 1 ? '' : 's'}${pool.mixer_config ? '' : ' (no mixer: one task a suite)'}`,
    `${dollars(e.rewards)} in rewards (${dollars(pool.reward_per_assignment)} a suite) + ${dollars(e.fee)} Toloka's fee = ${dollars(e.total)}`,
  ];
  return { ...e, overlap, dynamic, realPerSuite, goldenPerSuite, source: tasks.source, headline, explanation };
}

export interface HourlyCheck {
  readonly hourly: number;
  readonly medianSeconds: number;
  readonly minimum: number;
  readonly tooLow: boolean;
  readonly message: string;
}

/** What the reward pays by the hour at a median time per suite, against the user's minimum. */
export function checkHourlyReward(reward: number, medianSeconds: number | undefined, minimum: number, timeSource: string): HourlyCheck | undefined {
  const hourly = hourlyReward(reward, medianSeconds);
  if (hourly === undefined || medianSeconds === undefined) return undefined;
  const tooLow = minimum > 0 && hourly < minimum;
  const secs = medianSeconds < 10 ? medianSeconds.toFixed(1) : Math.round(medianSeconds).toString();
  const message = tooLow
    ? `${dollars(reward)} a suite pays ${dollars(hourly)} an hour at the median ${secs} s a suite (${timeSource}), under your minimum of ${dollars(minimum)} an hour (toloka.costEstimate.minHourlyReward)`
    : `${dollars(reward)} a suite pays ${dollars(hourly)} an hour at the median ${secs} s a suite (${timeSource})`;
  return { hourly, medianSeconds, minimum, tooLow, message };
}


/** Seconds from an assignment's creation (a suite taken) to its submission, for those submitted. */
export function suiteSeconds(assignments: ReadonlyArray<{ readonly created?: string | undefined; readonly submitted?: string | undefined }>): number[] {
  const out: number[] = [];
  for (const a of assignments) {
    if (!a.created || !a.submitted) continue;
    const s = (dateTimeMs(a.submitted) - dateTimeMs(a.created)) / 1000;
    if (Number.isFinite(s) && s >= 0) out.push(s);
  }
  return out;
}
