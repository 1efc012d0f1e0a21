/**
 * What the sandbox keeps about Tolokers and money beyond SandboxState: bonuses paid, webhook
 * subscriptions (and the events each has had, so none is sent twice), message threads and the
 * tasks whose dynamic overlap is complete. Held beside the state (one per SandboxState) so the
 * routes for Tolokers add no fields to it; persist.ts saves and loads all of it.
 */
import type { MessageThread, UserBonus, WebhookSubscription } from '../toloka/models';
import type { SandboxState } from './state';

/** A task whose dynamic overlap is complete: what DYNAMIC_OVERLAP_COMPLETED tells. */
export interface DynamicOverlapCompletion {
  readonly pool_id: string;
  readonly task_id: string;
  readonly confidence: number;
  readonly output_values: Record<string, unknown>;
  readonly assignment_ids: string[];
  readonly event_time: string;
}

export interface TolokerData {
  readonly bonuses: Map<string, UserBonus & { id: string; created: string }>;
  bonusCounter: number;
  /** Webhook subscriptions with their secret keys (never returned by the API). */
  readonly webhooks: Map<string, WebhookSubscription & { created: string; secret_key?: string | undefined }>;
  webhookCounter: number;
  /**
   * Per subscription, the events (`<type>:<assignment, task or close>`) that are settled: delivered,
   * given up on, or already past when it subscribed. Never queued again, also after a restart.
   */
  readonly webhookDone: Map<string, Set<string>>;
  readonly threads: Map<string, MessageThread & { created: string; folders: string[]; messages: NonNullable<MessageThread['messages']> }>;
  threadCounter: number;
  /** Per pool, per task: tasks whose dynamic overlap is complete. */
  readonly dynamicOverlap: Map<string, Map<string, DynamicOverlapCompletion>>;
}

const data = new WeakMap<SandboxState, TolokerData>();

export function tolokerData(state: SandboxState): TolokerData {
  let d = data.get(state);
  if (!d) {
    d = { bonuses: new Map(), bonusCounter: 0, webhooks: new Map(), webhookCounter: 0, webhookDone: new Map(), threads: new Map(), threadCounter: 0, dynamicOverlap: new Map() };
    data.set(state, d);
  }
  return d;
}
