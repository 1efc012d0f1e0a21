import { z } from 'zod';
import { DateTime } from './common';

/** The pool metrics of Toloka's analytics API (reference §11). */
export const AnalyticsMetric = z.enum([
  'real_tasks_count',
  'submitted_assignments_count',
  'skipped_assignments_count',
  'rejected_assignments_count',
  'approved_assignments_count',
  'completion_percentage',
  'avg_submit_assignment_millis',
  'spent_budget',
  'unique_workers_count',
  'unique_submitters_count',
  'active_workers_by_filter_count',
  'estimated_assignments_count',
]);
export type AnalyticsMetric = z.infer<typeof AnalyticsMetric>;

export const AnalyticsRequest = z.object({
  subject: z.literal('POOL'),
  subject_id: z.string().min(1),
  name: AnalyticsMetric,
  /** Only for active_workers_by_filter_count: the window, in hours. */
  interval_hours: z.number().int().min(1).optional(),
});
export type AnalyticsRequest = z.infer<typeof AnalyticsRequest>;

/** One answer in a finished ANALYTICS operation's `details.value`. */
export const AnalyticsAnswer = z.looseObject({
  request: AnalyticsRequest.loose(),
  /** A number, or for some metrics an object (`{value: …}`). */
  result: z.union([z.number(), z.null(), z.record(z.string(), z.unknown())]),
  finished: DateTime.optional(),
});
export type AnalyticsAnswer = z.infer<typeof AnalyticsAnswer>;
