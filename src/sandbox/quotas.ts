/**
 * Toloka's per-method quotas, as the sandbox enforces them: fixed windows (a minute, an hour,
 * a day) counting what was created, and a 429 naming the exhausted window in
 * `payload.interval`, with no Retry-After (Toloka documents none). No vscode import.
 */
import { TolokaLimits } from '../toloka/limits';
import { ApiError } from './apiError';

export type QuotaIntervalName = 'MIN' | 'HOUR' | 'DAY';

/** How long each window lasts; tests shorten them. */
export type QuotaWindows = Record<QuotaIntervalName, number>;

export const TOLOKA_QUOTA_WINDOWS: QuotaWindows = { MIN: 60_000, HOUR: 3_600_000, DAY: 86_400_000 };

interface Window {
  readonly interval: QuotaIntervalName;
  readonly limit: number;
  start: number;
  used: number;
}

/** One method's quota: a limit per window for any of the three windows. */
export class Quota {
  private readonly windows: Window[];

  constructor(
    private readonly what: string,
    limits: Partial<Record<QuotaIntervalName, number>>,
    private readonly lengths: QuotaWindows,
    private readonly clock: () => number = Date.now,
  ) {
    this.windows = (Object.entries(limits) as Array<[QuotaIntervalName, number]>).map(([interval, limit]) => ({ interval, limit, start: clock(), used: 0 }));
  }

  /** Counts `n` more, or throws Toloka's 429 for the first window it would exceed (counting nothing). */
  take(n: number): void {
    const t = this.clock();
    for (const w of this.windows) {
      if (t - w.start >= this.lengths[w.interval]) {
        w.start = t;
        w.used = 0;
      }
    }
    // The longest window first: when the day is used up, waiting a minute does not help.
    for (const w of [...this.windows].sort((a, b) => this.lengths[b.interval] - this.lengths[a.interval])) {
      if (w.used + n > w.limit) {
        const span = w.interval === 'MIN' ? 'per minute' : w.interval === 'HOUR' ? 'per hour' : 'per day';
        throw new ApiError(429, 'TOO_MANY_REQUESTS', `${this.what} quota ${span} exceeded (${w.limit.toLocaleString('en-US')})`, { interval: w.interval });
      }
    }
    for (const w of this.windows) w.used += n;
  }
}

/** The task-creation quota (tasks and task suites share Toloka's 200,000 a minute, 4,000,000 a day). */
export function taskCreationQuota(lengths: QuotaWindows, limits: { perMinute?: number; perDay?: number } = {}): Quota {
  return new Quota('Task creation', { MIN: limits.perMinute ?? TolokaLimits.tasksPerMinute, DAY: limits.perDay ?? TolokaLimits.tasksPerDay }, lengths);
}

/**
 * Toloka's quotas on creating objects, each method its own: projects, pools and training pools
 * 20 a minute and 100 a day, skills 10 a minute and 100 a day. Keyed by the create's path.
 */
export function objectCreationQuotas(lengths: QuotaWindows, limits: { perMinute?: number; perDay?: number } = {}): ReadonlyMap<string, Quota> {
  const q = (what: string, perMinute: number) => new Quota(what, { MIN: limits.perMinute ?? perMinute, DAY: limits.perDay ?? 100 }, lengths);
  return new Map([
    ['/api/v1/projects', q('Project creation', 20)],
    ['/api/v1/pools', q('Pool creation', 20)],
    ['/api/v1/trainings', q('Training pool creation', 20)],
    ['/api/v1/skills', q('Skill creation', 10)],
  ]);
}
