/**
 * The data of a pool's dashboard, gathered from Toloka: the summary first (analytics, pool,
 * balance, bans: a handful of quick calls), then the details from the pool's assignments (read
 * by the stats worker, incrementally). No vscode import: the dashboard benchmark runs it in Node.
 */
import type { TolokaClient } from '../toloka/client';
import { restrictionApplies, type AnalyticsMetric, type Pool } from '../toloka/models';
import { formatDateTime } from '../toloka/models/common';
import type { CallOptions } from '../toloka/http';
import { mapLimit } from '../toloka/mapLimit';
import { loadPoolWithSpec, poolSkillIds } from '../toloka/poolSpec';

export { poolSkillIds } from '../toloka/poolSpec';
import { PoolCollector, StatsWorkerClient } from './collector';
import { eta, spend } from './money';
import { lastHour } from './poolStats';
import type { PoolStatsSnapshot } from './messages';

const METRICS: AnalyticsMetric[] = [
  'real_tasks_count', 'submitted_assignments_count', 'skipped_assignments_count', 'rejected_assignments_count', 'approved_assignments_count',
  'completion_percentage', 'avg_submit_assignment_millis', 'spent_budget', 'unique_workers_count', 'unique_submitters_count', 'estimated_assignments_count',
];

export interface Summary {
  readonly poolId: string;
  readonly name: string;
  readonly projectName: string;
  readonly status: string;
  readonly closeReason?: string;
  readonly reward: number;
  readonly metrics: Record<string, number>;
  readonly spent: number;
  readonly remaining: number;
  readonly estimatedTotal: number;
  readonly balance?: number;
  readonly etaHours?: number;
  readonly perHour: number;
  readonly fastSeconds?: number;
  readonly banned: string[];
  /** The skills the pool's filter and rules name (at most MAX_SKILLS), and each Toloker's value of them. */
  readonly skills: Array<{ id: string; name: string }>;
  readonly skillValues: Record<string, Record<string, number>>;
  readonly refreshedAt: string;
}

const MAX_SKILLS = 5;

/** The pool's own fast-response threshold (an ASSIGNMENT_SUBMIT_TIME rule), in seconds. */
export function fastThreshold(pool: Pool): number | undefined {
  for (const rule of pool.quality_control?.configs ?? []) {
    const c = rule.collector_config as { type?: string; parameters?: { fast_submit_threshold_seconds?: number } };
    if (c.type === 'ASSIGNMENT_SUBMIT_TIME' && typeof c.parameters?.fast_submit_threshold_seconds === 'number') return c.parameters.fast_submit_threshold_seconds;
  }
  return undefined;
}

export class DashboardData {
  readonly #worker: StatsWorkerClient;
  readonly #collector: PoolCollector;
  #initialised = false;
  #latest: PoolStatsSnapshot | undefined;
  /** Skill names, read once: a refresh re-reads only the Tolokers' values. */
  readonly #skillNames = new Map<string, string>();

  constructor(
    private readonly client: TolokaClient,
    private readonly poolId: string,
    workerFile: string,
  ) {
    this.#worker = new StatsWorkerClient(workerFile);
    this.#collector = new PoolCollector(client, poolId, this.#worker);
  }

  /** The quick part: what Toloka's analytics and a few calls say now. */
  async summary(options: CallOptions = {}): Promise<Summary> {
    const target = await loadPoolWithSpec(this.client, this.poolId, options);
    if (!this.#initialised) {
      this.#worker.init(target.spec.output_spec);
      this.#initialised = true;
    }
    const [metrics, requester, banned, skills] = await Promise.all([
      this.client.analytics.pool(this.poolId, METRICS, options),
      this.client.requester.get(options).catch(() => undefined),
      this.bannedNow(target.pool, options),
      this.skillsOf(target.pool as Pool & Record<string, unknown>, options),
    ]);
    const reward = target.pool.reward_per_assignment;
    const remainingAssignments = metrics.estimated_assignments_count ?? 0;
    const s = spend({ spent: metrics.spent_budget ?? 0, remainingAssignments, reward });
    const perHour = this.#latest ? lastHour(this.#latest.recentMinutes, Date.now()) : 0;
    const e = eta(remainingAssignments, perHour);
    const rule = fastThreshold(target.pool);
    const fast = rule ?? (this.#latest?.medianSeconds !== undefined ? this.#latest.medianSeconds / 4 : undefined);
    return {
      poolId: this.poolId,
      name: target.pool.private_name,
      projectName: target.project.public_name,
      status: target.pool.status ?? 'CLOSED',
      ...(target.pool.last_close_reason ? { closeReason: target.pool.last_close_reason } : {}),
      reward,
      metrics: metrics as Record<string, number>,
      spent: s.spent,
      remaining: s.remaining,
      estimatedTotal: s.estimatedTotal,
      ...(requester?.balance !== undefined ? { balance: requester.balance } : {}),
      ...(e.hours !== undefined ? { etaHours: e.hours } : {}),
      perHour: e.perHour,
      ...(fast !== undefined ? { fastSeconds: fast } : {}),
      banned,
      skills: skills.skills,
      skillValues: skills.values,
      refreshedAt: formatDateTime(new Date()),
    };
  }

  /** The pool's skills by name, and every Toloker's value of each (a skill that cannot be read is left out). */
  private async skillsOf(pool: Pool & Record<string, unknown>, options: CallOptions): Promise<{ skills: Summary['skills']; values: Summary['skillValues'] }> {
    const skills: Array<{ id: string; name: string }> = [];
    const values: Record<string, Record<string, number>> = {};
    for (const id of poolSkillIds(pool).slice(0, MAX_SKILLS)) {
      try {
        let name = this.#skillNames.get(id);
        if (name === undefined) this.#skillNames.set(id, (name = (await this.client.skills.get(id, options)).name));
        for await (const us of this.client.userSkills.all({ skill_id: id }, options)) {
          const v = us.exact_value ?? us.value;
          if (v !== undefined) (values[us.user_id] ??= {})[id] = v;
        }
        skills.push({ id, name });
      } catch (err) {
        if (options.signal?.aborted) throw err;
      }
    }
    return { skills, values };
  }

  private async bannedNow(pool: Pool & { id: string }, options: CallOptions): Promise<string[]> {
    const out = new Set<string>();
    const now = Date.now();
    for await (const r of this.client.userRestrictions.all({}, options)) if (restrictionApplies(r, { id: pool.id, project_id: pool.project_id }, now)) out.add(r.user_id);
    return [...out];
  }

  /**
   * The slow part: reads what was submitted since the last call and answers the stats. While a
   * large pool is read the first time, `onPartial` gets a snapshot every `everyMs`.
   */
  async details(options: CallOptions & { onPartial?: (s: PoolStatsSnapshot) => void; everyMs?: number } = {}): Promise<PoolStatsSnapshot> {
    // A snapshot costs the worker time in proportion to what it holds, and the read waits for it:
    // the next one comes no sooner than four times the last one took, so partial figures never
    // take more than a fifth of a large first read (taken every second, they once took most of it).
    let last = Date.now();
    let gap = options.everyMs ?? 1000;
    await this.#collector.collect(options.signal, async () => {
      if (options.onPartial && Date.now() - last >= gap) {
        const t0 = Date.now();
        options.onPartial(await this.#worker.snapshot());
        last = Date.now();
        gap = Math.max(options.everyMs ?? 1000, 4 * (last - t0));
      }
    });
    this.#latest = await this.#worker.snapshot();
    return this.#latest;
  }

  readonly #profiles = new Map<string, { country?: string; languages?: string[] }>();

  /**
   * Where Tolokers are from (`/user-metadata/:id`: country, languages), for the first `max` of
   * the ids given; each asked once per dashboard. One that cannot be read is left out.
   */
  async profiles(workerIds: readonly string[], options: CallOptions = {}, max = 100): Promise<Record<string, { country?: string; languages?: string[] }>> {
    const wanted = workerIds.slice(0, max);
    const missing = wanted.filter((id) => !this.#profiles.has(id));
    await mapLimit(missing, 4, async (id) => {
      const m = await this.client.userMetadata.get(id, options).catch((err: unknown) => {
        if (options.signal?.aborted) throw err;
        return undefined;
      });
      this.#profiles.set(id, { ...(m?.country ? { country: m.country } : {}), ...(m?.languages ? { languages: m.languages } : {}) });
    });
    return Object.fromEntries(wanted.flatMap((id) => {
      const p = this.#profiles.get(id);
      return p && (p.country || p.languages) ? [[id, p]] : [];
    }));
  }

  dispose(): void {
    this.#worker.dispose();
  }
}
