/**
 * What the sandbox keeps about Tolokers and money beyond SandboxState: bonuses paid. Held
 * beside the state (one per SandboxState) so the routes for Tolokers add no fields to it.
 * Also webhook subscriptions and message threads.
 * Not persisted to the data file yet.
 */
import type { MessageThread, UserBonus, WebhookSubscription } from '../toloka/models';
import type { SandboxState } from './state';

export interface TolokerData {
  readonly bonuses: Map<string, UserBonus & { id: string; created: string }>;
  bonusCounter: number;
  /** Webhook subscriptions with their secret keys (never returned by the API). */
  readonly webhooks: Map<string, WebhookSubscription & { created: string; secret_key?: string | undefined }>;
  webhookCounter: number;
  readonly threads: Map<string, MessageThread & { created: string; folders: string[]; messages: NonNullable<MessageThread['messages']> }>;
  threadCounter: number;
}

const data = new WeakMap<SandboxState, TolokerData>();

export function tolokerData(state: SandboxState): TolokerData {
  let d = data.get(state);
  if (!d) {
    d = { bonuses: new Map(), bonusCounter: 0, webhooks: new Map(), webhookCounter: 0, threads: new Map(), threadCounter: 0 };
    data.set(state, d);
  }
  return d;
}
