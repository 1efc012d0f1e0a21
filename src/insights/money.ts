/**
 * Money and time of a pool: what it spent with Toloka's fee, what it will cost in all, when it
 * will be done at its recent pace, and what a file describes before it runs. No vscode import.
 */
import { feeFor } from '../toloka/pricing';

export interface Spend {
  /** Spent so far, rewards and Toloka's fee. */
  readonly spent: number;
  /** What the assignments still to come will cost, with the fee. */
  readonly remaining: number;
  readonly estimatedTotal: number;
}

/** From what is spent (Toloka's spent_budget) and how many assignments remain (estimated_assignments_count). */
export function spend(o: { spent: number; remainingAssignments: number; reward: number }): Spend {
  const remaining = Math.max(0, o.remainingAssignments) * (o.reward + feeFor(o.reward));
  return { spent: o.spent, remaining, estimatedTotal: o.spent + remaining };
}

export interface Eta {
  /** Assignments submitted in the last hour. */
  readonly perHour: number;
  /** Hours until the remaining assignments are in, at that pace; undefined when nothing came lately. */
  readonly hours: number | undefined;
}

export function eta(remainingAssignments: number, submittedLastHour: number): Eta {
  if (remainingAssignments <= 0) return { perHour: submittedLastHour, hours: 0 };
  return { perHour: submittedLastHour, hours: submittedLastHour > 0 ? remainingAssignments / submittedLastHour : undefined };
}

export interface CostEstimate {
  readonly tasks: number;
  readonly suites: number;
  readonly rewards: number;
  readonly fee: number;
  readonly total: number;
}

/**
 * What a pool of `tasks` real tasks costs at most: each answered `overlap` times (dynamic
 * overlap: its maximum), `realPerSuite` real tasks per task suite (the mixer's), control tasks
 * riding along in the same suites, every suite paid `reward` plus Toloka's fee.
 */
export function estimateCost(o: { tasks: number; overlap: number; realPerSuite: number; reward: number }): CostEstimate {
  const perSuite = Math.max(1, Math.floor(o.realPerSuite));
  const suites = Math.ceil((Math.max(0, o.tasks) * Math.max(1, o.overlap)) / perSuite);
  const rewards = suites * o.reward;
  const fee = suites * feeFor(o.reward);
  return { tasks: o.tasks, suites, rewards, fee, total: rewards + fee };
}

/** The reward per hour a Toloker earns, from the reward per suite and the median seconds a suite takes. */
export function hourlyReward(reward: number, medianSeconds: number | undefined): number | undefined {
  if (medianSeconds === undefined || medianSeconds <= 0) return undefined;
  return (reward * 3600) / medianSeconds;
}
