import { z } from 'zod';
import { TolokaError } from '../errors';
import type { CallOptions, HttpCore } from '../http';
import { AnalyticsAnswer, AnalyticsRequest, Operation, type AnalyticsMetric } from '../models';
import type { OperationsApi } from './operations';

/** At most this many metrics per request (reference §1.5). */
export const ANALYTICS_BATCH = 10;

/** A metric's value: the number itself, or the `value` of an object answer; undefined when Toloka gave none. */
export function metricValue(result: AnalyticsAnswer['result']): number | undefined {
  if (typeof result === 'number') return result;
  if (result && typeof result === 'object' && typeof result['value'] === 'number') return result['value'];
  return undefined;
}

/** Toloka's pool analytics: `POST /staging/analytics-2`, answered by an ANALYTICS operation. */
export class AnalyticsApi {
  constructor(
    private readonly core: HttpCore,
    private readonly operations: OperationsApi,
  ) {}

  /** Starts the computation of up to ten metrics. */
  start(requests: readonly AnalyticsRequest[], options: CallOptions = {}) {
    const body = z.array(AnalyticsRequest).min(1).max(ANALYTICS_BATCH).parse(requests);
    return this.core.request({ method: 'POST', path: '/staging/analytics-2', data: body, schema: Operation, ...options });
  }

  /** The metrics of a pool, by name: as many requests as needed, each waited for. */
  async pool(poolId: string, metrics: readonly AnalyticsMetric[], options: CallOptions & { intervalHours?: number } = {}): Promise<Partial<Record<AnalyticsMetric, number>>> {
    const out: Partial<Record<AnalyticsMetric, number>> = {};
    for (let i = 0; i < metrics.length; i += ANALYTICS_BATCH) {
      const requests = metrics.slice(i, i + ANALYTICS_BATCH).map((name): AnalyticsRequest => ({
        subject: 'POOL',
        subject_id: poolId,
        name,
        ...(name === 'active_workers_by_filter_count' ? { interval_hours: options.intervalHours ?? 1 } : {}),
      }));
      const started = await this.start(requests, options);
      const op = await this.operations.wait(started, { signal: options.signal, firstDelayMs: 100, intervalMs: 300 });
      if (op.status !== 'SUCCESS') throw new TolokaError({ kind: 'http', code: 'ANALYTICS_FAILED', message: `the analytics operation ${op.id} ended ${op.status}`, method: 'POST', path: '/staging/analytics-2' });
      const answers = z.array(AnalyticsAnswer).safeParse(op.details?.['value']);
      if (!answers.success) throw new TolokaError({ kind: 'bad-response', code: 'UNEXPECTED_RESPONSE', message: `the analytics operation ${op.id} answered in an unexpected shape: ${answers.error.issues[0]?.message ?? ''}`, method: 'GET', path: `/v1/operations/${op.id}` });
      for (const a of answers.data) {
        const v = metricValue(a.result);
        if (v !== undefined) out[a.request.name] = v;
      }
    }
    return out;
  }
}
