/**
 * Toloka's pool analytics (`POST /api/staging/analytics-2`), computed from the sandbox's own
 * records, all metrics of a request in one pass over the pool's assignments. No vscode import.
 */
import type { AnalyticsMetric, AnalyticsRequest, Assignment } from '../toloka/models';
import { dateTimeMs } from '../toloka/models/common';
import { feeFor } from '../toloka/pricing';
import type { PoolRec } from './state';

/** Whether a task is a control task (it has known solutions). */
function isControl(t: { known_solutions?: unknown[] | undefined }): boolean {
  return (t.known_solutions?.length ?? 0) > 0;
}

const time = (s: string | undefined): number | undefined => (s ? dateTimeMs(s) : undefined);

/** Every metric of one pool at `now` (ms); `intervalHours` for active_workers_by_filter_count. */
export function poolMetrics(pool: PoolRec, now: number, intervalHours = 1): Record<AnalyticsMetric, number> {
  const tasks = pool.data.tasks;
  let realTasks = 0;
  let needed = 0;
  let done = 0;
  for (const t of tasks) {
    if (isControl(t.api)) continue;
    realTasks++;
    const overlap = t.api.overlap ?? 1;
    const remaining = Math.max(0, Math.min(overlap, t.api.remaining_overlap ?? overlap));
    needed += overlap;
    done += overlap - remaining;
  }
  const counts = { SUBMITTED: 0, SKIPPED: 0, REJECTED: 0, ACCEPTED: 0 };
  const workers = new Set<string>();
  const submitters = new Set<string>();
  const active = new Set<string>();
  let submitMillis = 0;
  let submitted = 0;
  let spent = 0;
  const since = now - intervalHours * 3_600_000;
  for (const a of pool.data.assignments as Assignment[]) {
    workers.add(a.user_id);
    if (a.status in counts) counts[a.status as keyof typeof counts]++;
    if (a.status === 'SUBMITTED' || a.status === 'ACCEPTED' || a.status === 'REJECTED') {
      submitters.add(a.user_id);
      const start = time(a.created);
      const end = time(a.submitted);
      if (start !== undefined && end !== undefined) {
        submitMillis += end - start;
        submitted++;
      }
    }
    if (a.status === 'ACCEPTED') spent += (a.reward ?? 0) + feeFor(a.reward ?? 0);
    const created = time(a.created);
    if (created !== undefined && created >= since) active.add(a.user_id);
  }
  const mixer = (pool.api as { mixer_config?: { real_tasks_count?: number } }).mixer_config;
  const perSuite = Math.max(1, mixer?.real_tasks_count ?? 1);
  return {
    real_tasks_count: realTasks,
    submitted_assignments_count: counts.SUBMITTED,
    skipped_assignments_count: counts.SKIPPED,
    rejected_assignments_count: counts.REJECTED,
    approved_assignments_count: counts.ACCEPTED,
    completion_percentage: needed === 0 ? 0 : Math.round((done / needed) * 10_000) / 100,
    avg_submit_assignment_millis: submitted === 0 ? 0 : Math.round(submitMillis / submitted),
    spent_budget: Math.round(spent * 1e6) / 1e6,
    unique_workers_count: workers.size,
    unique_submitters_count: submitters.size,
    active_workers_by_filter_count: active.size,
    estimated_assignments_count: Math.ceil((needed - done) / perSuite),
  };
}

/** The answers of one analytics request, as Toloka's operation details give them. */
export function analyticsAnswers(requests: readonly AnalyticsRequest[], poolOf: (id: string) => PoolRec | undefined, now: number, finished: string): Array<{ request: AnalyticsRequest; result: number; finished: string }> {
  const cache = new Map<string, Record<AnalyticsMetric, number>>();
  return requests.map((request) => {
    const key = `${request.subject_id}/${request.interval_hours ?? 1}`;
    let metrics = cache.get(key);
    if (!metrics) {
      const pool = poolOf(request.subject_id);
      if (!pool) throw new Error(`pool ${request.subject_id} does not exist`);
      metrics = poolMetrics(pool, now, request.interval_hours ?? 1);
      cache.set(key, metrics);
    }
    return { request, result: metrics[request.name], finished };
  });
}
