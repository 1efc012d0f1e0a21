/**
 * Apply: carries a plan out, in its order, writing the state after each object. A create first
 * records its marker in the state, then sends it with the marker in the object's metadata, then
 * records the id: a run stopped at any point resumes without creating anything twice. Removing a
 * file never deletes or archives anything. No `vscode` import.
 */
import type { TolokaClient } from '../toloka/client';
import type { Pool, Project, Skill, TrainingPool } from '../toloka/models';
import { isTolokaError, throwIfAborted } from '../toloka/errors';
import { sleep } from '../toloka/sleep';
import { MARKER_KEY, type DeployKind } from './kinds';
import { appliedHash, canApply, resolveReferences, toWire, type Plan, type PlanItem } from './plan';
import type { StateStore } from './state';

export interface ApplyEvent {
  readonly item: PlanItem;
  /** What was done: `created 12`, `updated 12`, `recorded 12`, `skipped`. */
  readonly done: string;
  readonly id?: string | undefined;
}

export interface ApplyOptions {
  readonly signal?: AbortSignal | undefined;
  readonly onEvent?: ((e: ApplyEvent) => void) | undefined;
  /** How long to wait for an open pool's close-for-update and reopen operations. */
  readonly operationTimeoutMs?: number | undefined;
  /**
   * Toloka creates at most 20 projects, trainings and pools a minute: apply waits rather than
   * hit the limit. Undefined: no pacing (the local sandbox has no such quota).
   */
  readonly pacing?: Partial<Record<DeployKind, { readonly creates: number; readonly windowMs: number }>> | undefined;
  /** Told before each wait of the pacing. */
  readonly onWait?: ((ms: number) => void) | undefined;
}

/** Toloka's per-minute quotas on creating each kind of object (each method its own). */
export const TOLOKA_CREATE_PACING: Record<DeployKind, { creates: number; windowMs: number }> = {
  skill: { creates: 10, windowMs: 60_000 },
  project: { creates: 20, windowMs: 60_000 },
  training: { creates: 20, windowMs: 60_000 },
  pool: { creates: 20, windowMs: 60_000 },
};

/** When a create met Toloka's daily quota: the next apply goes on from the state once the day's window has passed. */
export class DailyQuotaReached extends Error {
  constructor(readonly key: string, readonly kind: DeployKind, cause: unknown) {
    super(`${key}: Toloka's daily quota of ${kind} creates is used up. What was applied is in the state; run apply again in up to 24 hours (after ${new Date(Date.now() + 86_400_000).toISOString().slice(0, 16)} UTC at the latest) to go on`, { cause });
  }
}

function isDailyQuota(err: unknown): boolean {
  if (!isTolokaError(err) || err.status !== 429) return false;
  const payload = err.payload;
  return typeof payload === 'object' && payload !== null && (payload as { interval?: unknown }).interval === 'DAY';
}

export interface ApplyResult {
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly blocked: number;
  readonly events: readonly ApplyEvent[];
}

type Body = Record<string, unknown>;

async function create(client: TolokaClient, kind: DeployKind, body: Body, signal: AbortSignal | undefined): Promise<string | undefined> {
  const o = signal ? { signal } : {};
  if (kind === 'skill') return (await client.skills.create(body as Skill, o)).id;
  if (kind === 'project') return (await client.projects.create(body as Project, o)).id;
  if (kind === 'training') return (await client.trainings.create(body as TrainingPool, o)).id;
  return (await client.pools.create(body as Pool, o)).id;
}

async function update(client: TolokaClient, kind: DeployKind, id: string, body: Body, signal: AbortSignal | undefined): Promise<void> {
  const o = signal ? { signal } : {};
  if (kind === 'skill') await client.skills.update(id, body as Skill, o);
  else if (kind === 'project') await client.projects.update(id, body as Project, o);
  else if (kind === 'training') await client.trainings.update(id, body as TrainingPool, o);
  else await client.pools.update(id, body as Pool, o);
}

function withMarker(kind: DeployKind, body: Body, marker: string): Body {
  if (kind === 'skill') return body;
  const metadata = (body['metadata'] ?? {}) as Record<string, string[]>;
  return { ...body, metadata: { ...metadata, [MARKER_KEY]: [marker] } };
}

/** Carries out a plan computed with the same store. Throws on bad input before sending anything. */
export async function applyPlan(client: TolokaClient, plan: Plan, store: StateStore, options: ApplyOptions = {}): Promise<ApplyResult> {
  if (!canApply(plan)) throw new Error('the files have problems: nothing was sent');
  const { signal } = options;
  const events: ApplyEvent[] = [];
  const emit = (e: ApplyEvent) => {
    events.push(e);
    options.onEvent?.(e);
  };
  const ids = new Map<string, string>();
  for (const f of plan.items) {
    const entry = store.entry(f.file);
    if (entry && f.action !== 'replace') ids.set(f.file, entry.id);
  }
  let created = 0;
  let updated = 0;
  let unchanged = 0;
  let blocked = 0;
  const recents = new Map<DeployKind, number[]>();
  const pace = async (kind: DeployKind): Promise<void> => {
    const p = options.pacing?.[kind];
    if (!p) return;
    const recent = recents.get(kind) ?? [];
    recents.set(kind, recent);
    const now = Date.now();
    while (recent.length > 0 && (recent[0] ?? 0) <= now - p.windowMs) recent.shift();
    if (recent.length >= p.creates) {
      const ms = (recent[0] ?? now) + p.windowMs - now;
      options.onWait?.(ms);
      await sleep(ms, signal);
      recent.shift();
    }
    recent.push(Date.now());
  };
  const waitOptions = { signal, firstDelayMs: 50, intervalMs: 200, timeoutMs: options.operationTimeoutMs ?? 10 * 60_000 };
  for (const item of plan.items) {
    throwIfAborted(signal);
    const wire = toWire(item.kind, resolveReferences(item.file, item.source.body, ids));
    const hash = appliedHash(item.kind, wire);
    const at = (err: unknown): Error => new Error(`${item.key}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    try {
      if (item.action === 'blocked') {
        blocked++;
        emit({ item, done: 'skipped' });
      } else if (item.action === 'unchanged') {
        unchanged++;
        if (item.id) ids.set(item.file, item.id);
        if (item.adopted && item.id) {
          await store.record(item.file, item.kind, item.id, hash);
          emit({ item, done: `recorded ${item.id}`, id: item.id });
        }
      } else if (item.action === 'create' || item.action === 'replace') {
        await pace(item.kind);
        const marker = await store.beginCreate(item.file, item.kind);
        const id = await create(client, item.kind, withMarker(item.kind, wire, marker), signal);
        if (!id) throw new Error('Toloka answered the create without an id');
        await store.record(item.file, item.kind, id, hash);
        ids.set(item.file, id);
        created++;
        emit({ item, done: `created ${id}`, id });
      } else if (item.id) {
        const id = item.id;
        if (item.reopen) {
          const op = item.kind === 'pool' ? await client.pools.closeForUpdate(id, signal ? { signal } : {}) : await client.trainings.closeForUpdate(id, signal ? { signal } : {});
          if (op) await client.operations.wait(op, waitOptions);
        }
        await update(client, item.kind, id, wire, signal);
        await store.record(item.file, item.kind, id, hash);
        if (item.reopen) {
          const op = item.kind === 'pool' ? await client.pools.open(id, signal ? { signal } : {}) : await client.trainings.open(id, signal ? { signal } : {});
          if (op) await client.operations.wait(op, waitOptions);
        }
        ids.set(item.file, id);
        updated++;
        emit({ item, done: `updated ${id}${item.reopen ? ' (closed for update and reopened)' : ''}`, id });
      }
    } catch (err) {
      throw isDailyQuota(err) ? new DailyQuotaReached(item.key, item.kind, err) : at(err);
    }
  }
  return { created, updated, unchanged, blocked, events };
}
