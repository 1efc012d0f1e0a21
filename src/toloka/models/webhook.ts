import { z } from 'zod';
import { DateTime } from './common';

export const WebhookEventType = z.enum([
  'ASSIGNMENT_APPROVED', 'ASSIGNMENT_CREATED', 'ASSIGNMENT_EXPIRED', 'ASSIGNMENT_REJECTED', 'ASSIGNMENT_SKIPPED', 'ASSIGNMENT_SUBMITTED',
  'DYNAMIC_OVERLAP_COMPLETED', 'POOL_CLOSED', 'TEST_EVENT',
]);
export type WebhookEventType = z.infer<typeof WebhookEventType>;

/** A subscription as sent to `PUT /webhook-subscriptions` (`WebhookSubscriptionFormV1`). */
export const WebhookSubscriptionForm = z.looseObject({
  event_type: WebhookEventType,
  webhook_url: z.url(),
  pool_id: z.union([z.string().min(1), z.number().int().transform(String)]).pipe(z.string()),
  secret_key: z.string().optional(),
});
export type WebhookSubscriptionForm = z.infer<typeof WebhookSubscriptionForm>;

/** A subscription as Toloka returns it; the secret key is never returned. */
export const WebhookSubscription = z.looseObject({
  id: z.string(),
  created: DateTime.optional(),
  event_type: z.union([WebhookEventType, z.string()]),
  webhook_url: z.string(),
  pool_id: z.string(),
});
export type WebhookSubscription = z.infer<typeof WebhookSubscription>;

/** One event of a notification `{"events": [...]}` POSTed to the subscriber. */
export const WebhookEvent = z.looseObject({
  uuid: z.string(),
  event_time: DateTime,
  project_id: z.string().optional(),
  pool_id: z.string(),
  webhook_subscription_id: z.string(),
  type: z.union([WebhookEventType, z.string()]),
  close_reason: z.string().optional(),
  task_suite_id: z.string().optional(),
  assignment_id: z.string().optional(),
  /** DYNAMIC_OVERLAP_COMPLETED: the task, the confidence of its aggregated answer, the answer, and the assignments it came from. */
  task_id: z.string().optional(),
  confidence: z.number().optional(),
  output_values: z.record(z.string(), z.unknown()).optional(),
  assignment_ids: z.array(z.string()).optional(),
});
export type WebhookEvent = z.infer<typeof WebhookEvent>;

export const WebhookTestResult = z.looseObject({
  success: z.boolean(),
  responseReceivedAt: z.string().optional(),
  errorType: z.string().optional(),
  originalStatusCode: z.number().optional(),
  uuids: z.array(z.string()).optional(),
});
export type WebhookTestResult = z.infer<typeof WebhookTestResult>;
