import { z } from 'zod';
import type { CallOptions, HttpCore } from '../http';
import { WebhookSubscription, WebhookTestResult, type WebhookSubscriptionForm } from '../models';
import { v1All, type PageOptions } from '../paging';

const UpsertResult = z.looseObject({
  items: z.record(z.string(), WebhookSubscription),
  validation_errors: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
});

export interface WebhookFilter {
  readonly event_type?: string | undefined;
  readonly pool_id?: string | undefined;
}

/** `/v1/webhook-subscriptions`: Toloka POSTs a pool's events to your URL. */
export class WebhooksApi {
  constructor(private readonly core: HttpCore) {}

  /** Creates or updates subscriptions in bulk: created ones and errors, keyed by request index. */
  upsert(subscriptions: readonly WebhookSubscriptionForm[], options: CallOptions = {}) {
    return this.core.request({ method: 'PUT', path: '/v1/webhook-subscriptions', data: subscriptions, schema: UpsertResult, ...options });
  }

  all(filter: WebhookFilter = {}, options: PageOptions = {}) {
    return v1All(this.core, { path: '/v1/webhook-subscriptions', item: WebhookSubscription, params: { ...filter }, maxLimit: 300, defaultLimit: 300 }, options);
  }

  get(id: string, options: CallOptions = {}) {
    return this.core.request({ method: 'GET', path: `/v1/webhook-subscriptions/${encodeURIComponent(id)}`, schema: WebhookSubscription, ...options });
  }

  async remove(id: string, options: CallOptions = {}): Promise<void> {
    await this.core.request({ method: 'DELETE', path: `/v1/webhook-subscriptions/${encodeURIComponent(id)}`, schema: z.unknown(), allowEmpty: true, ...options });
  }

  /** Sends a TEST_EVENT to the subscriber and says how it answered. */
  test(id: string, options: CallOptions = {}) {
    return this.core.request({ method: 'POST', path: `/v1/webhook-subscriptions/${encodeURIComponent(id)}/test`, schema: WebhookTestResult, ...options });
  }
}
