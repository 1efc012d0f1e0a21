/**
 * Webhook delivery as Toloka does it: events of subscribed pools (assignment created, submitted,
 * approved, rejected, skipped, expired; a task's dynamic overlap completed; pool closed) are found
 * by watching the state, and POSTed to each subscriber as `{"events": [...]}`, signed with
 * `Toloka-Signature` when the subscription has a secret key. A failed delivery is retried with the
 * same event uuids until the subscriber answers 2xx, so a receiver that counts uuids sees every
 * event once. What each subscription has had is kept in `tolokerData(state).webhookDone` (and the
 * data file), so a restarted sandbox does not send it again. Loopback URLs only: the local
 * sandbox sends nothing off the machine.
 */
import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { WebhookEvent, WebhookSubscription } from '../toloka/models';
import { signWebhook } from '../toloka/webhookSignature';
import { hostNameOf } from './http';
import { now, type PoolRec, type SandboxState } from './state';
import { tolokerData } from './tolokerState';

const TICK_MS = 50;
const MAX_ATTEMPTS = 12;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export function isLoopbackUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return (u.protocol === 'http:' || u.protocol === 'https:') && LOOPBACK.has(hostNameOf(u.host));
  } catch {
    return false;
  }
}

const assignmentEvents = [
  ['ASSIGNMENT_CREATED', 'created'],
  ['ASSIGNMENT_SUBMITTED', 'submitted'],
  ['ASSIGNMENT_APPROVED', 'accepted'],
  ['ASSIGNMENT_REJECTED', 'rejected'],
  ['ASSIGNMENT_SKIPPED', 'skipped'],
  ['ASSIGNMENT_EXPIRED', 'expired'],
] as const;

interface Outbox {
  /** Each event with its key in `webhookDone`. */
  readonly events: { readonly event: WebhookEvent; readonly key: string }[];
  sending: boolean;
  attempts: number;
  notBefore: number;
}

export interface DeliveryResult {
  readonly success: boolean;
  readonly status?: number | undefined;
  readonly errorType?: string | undefined;
}

/** POSTs one notification; resolves with how the subscriber answered. */
export function post(url: string, body: string, secret: string | undefined, timeoutMs = 10_000): Promise<DeliveryResult> {
  return new Promise((resolve) => {
    const headers: Record<string, string> = { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) };
    if (secret) headers['Toloka-Signature'] = signWebhook(secret, body, Date.now());
    const req = http.request(url, { method: 'POST', headers, timeout: timeoutMs }, (res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      resolve(status >= 200 && status < 300 ? { success: true, status } : { success: false, status, errorType: 'WRONG_STATUS_CODE' });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err) => resolve({ success: false, errorType: err.message === 'timeout' ? 'REQUEST_TIMEOUT' : 'CONNECTION_ERROR' }));
    req.end(body);
  });
}

export class WebhookDelivery {
  private timer: NodeJS.Timeout | undefined;
  /** Per subscription: the events settled (`webhookDone`) and those queued. */
  private readonly seen = new Map<string, Set<string>>();
  private readonly outboxes = new Map<string, Outbox>();
  /** Deliveries under way, awaited by `stop`. */
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;

  constructor(private readonly state: SandboxState) {
    // Subscriptions loaded from the data file go on being served.
    if (tolokerData(state).webhooks.size > 0) this.ensureTimer();
  }

  /** A new subscription sees only what happens from now on. */
  subscribed(sub: WebhookSubscription): void {
    const pool = this.state.pools.get(sub.pool_id);
    const done = new Set<string>();
    if (pool) for (const key of this.keysNow(pool)) done.add(key);
    tolokerData(this.state).webhookDone.set(sub.id, done);
    this.seen.set(sub.id, new Set(done));
    this.ensureTimer();
  }

  unsubscribed(id: string): void {
    this.seen.delete(id);
    this.outboxes.delete(id);
    tolokerData(this.state).webhookDone.delete(id);
  }

  private keysNow(pool: PoolRec): string[] {
    const keys: string[] = [];
    for (const a of pool.data.assignments) for (const [type, field] of assignmentEvents) if (field === 'created' || a[field]) keys.push(`${type}:${a.id}`);
    if (pool.api.status === 'CLOSED') keys.push(`POOL_CLOSED:${pool.api.last_stopped ?? ''}`);
    for (const taskId of tolokerData(this.state).dynamicOverlap.get(pool.api.id)?.keys() ?? []) keys.push(`DYNAMIC_OVERLAP_COMPLETED:${taskId}`);
    return keys;
  }

  private ensureTimer(): void {
    if (this.timer || this.stopped) return;
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.timer.unref();
  }

  private tick(): void {
    const subs = tolokerData(this.state).webhooks;
    if (subs.size === 0 && this.outboxes.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
      return;
    }
    for (const sub of subs.values()) {
      if (sub.event_type === 'TEST_EVENT') continue;
      const pool = this.state.pools.get(sub.pool_id);
      if (!pool) continue;
      let seen = this.seen.get(sub.id);
      if (!seen) this.seen.set(sub.id, (seen = new Set(tolokerData(this.state).webhookDone.get(sub.id))));
      const base = { pool_id: pool.api.id, project_id: pool.api.project_id, webhook_subscription_id: sub.id };
      if (sub.event_type === 'POOL_CLOSED') {
        const key = `POOL_CLOSED:${pool.api.last_stopped ?? ''}`;
        if (pool.api.status === 'CLOSED' && !seen.has(key)) {
          seen.add(key);
          this.queue(sub.id, key, { uuid: randomUUID(), event_time: pool.api.last_stopped ?? now(), ...base, type: 'POOL_CLOSED', close_reason: pool.api.last_close_reason ?? 'MANUAL' });
        }
        continue;
      }
      if (sub.event_type === 'DYNAMIC_OVERLAP_COMPLETED') {
        for (const c of tolokerData(this.state).dynamicOverlap.get(pool.api.id)?.values() ?? []) {
          const key = `DYNAMIC_OVERLAP_COMPLETED:${c.task_id}`;
          if (seen.has(key)) continue;
          seen.add(key);
          this.queue(sub.id, key, { uuid: randomUUID(), event_time: c.event_time, ...base, type: 'DYNAMIC_OVERLAP_COMPLETED', task_id: c.task_id, confidence: c.confidence, assignment_ids: c.assignment_ids, output_values: c.output_values });
        }
        continue;
      }
      const field = assignmentEvents.find(([t]) => t === sub.event_type)?.[1];
      if (!field) continue;
      for (const a of pool.data.assignments) {
        const at = field === 'created' ? a.created : a[field];
        if (!at) continue;
        const key = `${sub.event_type}:${a.id}`;
        if (seen.has(key)) continue;
        seen.add(key);
        this.queue(sub.id, key, { uuid: randomUUID(), event_time: at, ...base, type: sub.event_type, task_suite_id: a.task_suite_id, assignment_id: a.id });
      }
    }
    for (const [id, box] of this.outboxes) {
      const p = this.flush(id, box).finally(() => this.inFlight.delete(p));
      this.inFlight.add(p);
    }
  }

  private queue(subId: string, key: string, event: WebhookEvent): void {
    let box = this.outboxes.get(subId);
    if (!box) this.outboxes.set(subId, (box = { events: [], sending: false, attempts: 0, notBefore: 0 }));
    box.events.push({ event, key });
  }

  /** These events will not be sent to this subscription again. */
  private settle(subId: string, keys: readonly string[]): void {
    const d = tolokerData(this.state);
    if (!d.webhooks.has(subId)) return;
    let done = d.webhookDone.get(subId);
    if (!done) d.webhookDone.set(subId, (done = new Set()));
    for (const k of keys) done.add(k);
    this.state.touch();
  }

  private async flush(subId: string, box: Outbox): Promise<void> {
    if (box.sending || box.events.length === 0 || Date.now() < box.notBefore) return;
    const sub = tolokerData(this.state).webhooks.get(subId);
    if (!sub) {
      this.outboxes.delete(subId);
      return;
    }
    box.sending = true;
    const batch = box.events.slice(0, 100);
    const r = await post(sub.webhook_url, JSON.stringify({ events: batch.map((b) => b.event) }), sub.secret_key);
    box.sending = false;
    if (r.success) {
      box.events.splice(0, batch.length);
      this.settle(subId, batch.map((b) => b.key));
      box.attempts = 0;
      box.notBefore = 0;
    } else if (++box.attempts >= MAX_ATTEMPTS) {
      box.events.splice(0, batch.length); // given up on, as Toloka does after its retries
      this.settle(subId, batch.map((b) => b.key));
      box.attempts = 0;
    } else box.notBefore = Date.now() + Math.min(5000, 100 * 2 ** box.attempts);
  }

  /** Stops watching; resolves when the deliveries under way have their answers (and are settled). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await Promise.all([...this.inFlight]);
  }
}
