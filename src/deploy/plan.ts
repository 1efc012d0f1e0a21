/**
 * The plan: what applying the workspace's files would do on one environment, file by file in
 * dependency order — create, update (with the fields that change), unchanged, replace (a new
 * object, where Toloka cannot change the old one) or blocked (with the reason). Computing a plan
 * only reads from Toloka. No `vscode` import.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TolokaClient } from '../toloka/client';
import { isTolokaError } from '../toloka/errors';
import { collect } from '../toloka/paging';
import { canonical, diff, hashOf, isRecord, type FieldChange } from './canonical';
import { MARKER_KEY, serverOwned, type DeployKind } from './kinds';
import type { StateStore } from './state';
import { hasErrors, type DeployFile, type Problem, type Workspace } from './workspace';
import { mapLimit } from '../toloka/mapLimit';

export type PlanAction = 'create' | 'update' | 'unchanged' | 'replace' | 'blocked';

export interface PlanItem {
  readonly file: string;
  /** The file's key in the state: its path relative to the state's root. */
  readonly key: string;
  readonly kind: DeployKind;
  readonly action: PlanAction;
  /** The remote object's id, when there is one. */
  readonly id?: string | undefined;
  readonly changes: readonly FieldChange[];
  /** Why it is blocked or replaced, and what else the user should know. */
  readonly notes: readonly string[];
  /** An open pool: closed for update, updated, and opened again. */
  readonly reopen?: boolean;
  /** Found by the marker of a create whose answer was lost: recorded in the state, not created again. */
  readonly adopted?: boolean;
  readonly source: DeployFile;
}

export interface Plan {
  readonly root: string;
  readonly environment: string;
  readonly items: readonly PlanItem[];
  /** Problems of the files: with any error, the plan refuses to apply. */
  readonly problems: readonly Problem[];
  /** Files of the state that are gone from the workspace: nothing is deleted or archived for them. */
  readonly orphans: readonly string[];
  /** Creates of each kind, counted against Toloka's quota of 100 a day per kind (20 a minute; skills 10). */
  readonly quotaCreates: Readonly<Partial<Record<DeployKind, number>>>;
}

export function changesCount(plan: Plan): number {
  return plan.items.filter((i) => i.action === 'create' || i.action === 'update' || i.action === 'replace' || (i.action === 'unchanged' && i.adopted)).length;
}

export function canApply(plan: Plan): boolean {
  return !hasErrors(plan.problems);
}

/** The file's body with every reference whose target has an id replaced by that id; the others stay `{"$file": …}`. */
export function resolveReferences(file: string, value: unknown, ids: ReadonlyMap<string, string>): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveReferences(file, v, ids));
  if (!isRecord(value)) return value;
  const ref = value['$file'];
  if (typeof ref === 'string' && Object.keys(value).length === 1) return ids.get(path.resolve(path.dirname(file), ref)) ?? value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = resolveReferences(file, v, ids);
  return out;
}

function hasUnresolved(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasUnresolved);
  if (!isRecord(value)) return false;
  return '$file' in value || Object.values(value).some(hasUnresolved);
}

function mapTree(value: unknown, f: (o: Record<string, unknown>) => Record<string, unknown>): unknown {
  if (Array.isArray(value)) return value.map((v) => mapTree(v, f));
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = mapTree(v, f);
  return f(out);
}

function withoutServerOwned(kind: DeployKind, value: Record<string, unknown>): Record<string, unknown> {
  const out = { ...value };
  for (const f of serverOwned[kind]) delete out[f];
  return out;
}

/** What is sent: no server-owned fields, a Template Builder config as a JSON string. */
export function toWire(kind: DeployKind, body: unknown): Record<string, unknown> {
  const mapped = mapTree(body, (o) => (o['type'] === 'tb' && isRecord(o['config']) ? { ...o, config: JSON.stringify(o['config']) } : o));
  return withoutServerOwned(kind, isRecord(mapped) ? mapped : {});
}

/** What is compared: no server-owned fields, no deploy marker, a Template Builder config as an object. */
export function comparable(kind: DeployKind, body: unknown): Record<string, unknown> {
  const mapped = mapTree(body, (o) => {
    if (o['type'] === 'tb' && typeof o['config'] === 'string') {
      try {
        return { ...o, config: JSON.parse(o['config']) as unknown };
      } catch {
        return o;
      }
    }
    return o;
  });
  const out = withoutServerOwned(kind, isRecord(mapped) ? mapped : {});
  const metadata = out['metadata'];
  if (isRecord(metadata) && MARKER_KEY in metadata) {
    const { [MARKER_KEY]: _marker, ...rest } = metadata;
    if (Object.keys(rest).length > 0) out['metadata'] = rest;
    else delete out['metadata'];
  }
  return out;
}

/** The hash recorded in the state: of what is sent, references resolved, without the marker. */
export function appliedHash(kind: DeployKind, wire: unknown): string {
  return hashOf(comparable(kind, wire));
}

type Remote = Record<string, unknown> & { id?: string | undefined; status?: string | undefined; project_id?: string | undefined };

export async function getRemote(client: TolokaClient, kind: DeployKind, id: string, signal?: AbortSignal): Promise<Remote | undefined> {
  const o = signal ? { signal } : {};
  try {
    if (kind === 'skill') return await client.skills.get(id, o);
    if (kind === 'project') return await client.projects.get(id, o);
    if (kind === 'training') return await client.trainings.get(id, o);
    return await client.pools.get(id, o);
  } catch (err) {
    if (isTolokaError(err) && err.status === 404) return undefined;
    throw err;
  }
}

/**
 * The object a create carrying `marker` made, if its answer was lost: projects, trainings and
 * pools carry the marker in `metadata`; a skill (which has no metadata) is known by its name.
 */
export async function findByMarker(client: TolokaClient, kind: DeployKind, marker: string, wire: Record<string, unknown>, signal?: AbortSignal): Promise<Remote | undefined> {
  const o = signal ? { signal } : {};
  const marked = (r: { metadata?: Record<string, string[]> | undefined }) => r.metadata?.[MARKER_KEY]?.includes(marker) === true;
  if (kind === 'skill') return (await collect(client.skills.all({ name: String(wire['name']) }, o))).find((s) => s.name === wire['name']);
  if (kind === 'project') return (await collect(client.projects.all({}, o))).find(marked);
  const projectId = typeof wire['project_id'] === 'string' ? wire['project_id'] : undefined;
  if (!projectId) return undefined;
  if (kind === 'training') return (await collect(client.trainings.all({ project_id: projectId }, o))).find(marked);
  return (await collect(client.pools.all({ project_id: projectId }, o))).find(marked);
}


export interface PlanOptions {
  readonly signal?: AbortSignal | undefined;
  /** How many objects are read from Toloka at the same time. */
  readonly concurrency?: number | undefined;
}

/** The ids of a project's pools (not archived) that hold at least one task; at most 100 pools are looked at. */
async function poolsWithTasks(client: TolokaClient, projectId: string, signal: AbortSignal | undefined): Promise<string[]> {
  const pools = (await client.pools.page({ project_id: projectId }, { limit: 100, signal })).items.filter((p) => p.status !== 'ARCHIVED' && p.id);
  const has = await mapLimit(pools, 8, async (p) => (await client.tasks.page({ pool_id: p.id ?? '' }, { limit: 1, signal })).items.length > 0);
  return pools.filter((_, i) => has[i]).map((p) => p.id ?? '');
}

/** Computes the plan of a workspace against one environment's state and Toloka. Nothing is changed. */
export async function makePlan(client: TolokaClient, workspace: Workspace, store: StateStore, environment: string, options: PlanOptions = {}): Promise<Plan> {
  const base = { root: store.root, environment, problems: workspace.problems };
  const loaded = new Set(workspace.files.map((f) => store.keyOf(f.file)));
  const orphans = store.entries().filter(([key]) => !loaded.has(key) && !fs.existsSync(path.join(store.root, key))).map(([key]) => key);
  if (hasErrors(workspace.problems)) return { ...base, items: [], orphans, quotaCreates: {} };

  const remotes = await mapLimit(workspace.files, options.concurrency ?? 8, async (f) => {
    const entry = store.entry(f.file);
    return entry ? getRemote(client, f.kind, entry.id, options.signal) : undefined;
  });
  const ids = new Map<string, string>();
  const items: PlanItem[] = [];
  for (const [i, f] of workspace.files.entries()) {
    const key = store.keyOf(f.file);
    const desired = resolveReferences(f.file, f.body, ids);
    const wire = toWire(f.kind, desired);
    const entry = store.entry(f.file);
    let remote = remotes[i];
    const notes: string[] = [];
    let adopted = false;
    if (!entry) {
      const pending = store.pending(f.file);
      if (pending && !hasUnresolved(wire)) {
        remote = await findByMarker(client, f.kind, pending.marker, wire, options.signal);
        adopted = remote !== undefined;
        if (adopted) notes.push(`created by an earlier apply whose answer was lost (found by its marker): recorded, not created again`);
      }
    } else if (!remote) notes.push(`${f.kind} ${entry.id} of the state is gone from Toloka: it is created again`);
    const id = remote?.id;
    if (!remote || !id) {
      items.push({ file: f.file, key, kind: f.kind, action: 'create', changes: diff({}, comparable(f.kind, wire)), notes, source: f });
      continue;
    }
    ids.set(f.file, id);
    const changes = diff(comparable(f.kind, remote), comparable(f.kind, wire), { desiredKeysOnly: true });
    const same = changes.length === 0 && (adopted || entry?.hash === appliedHash(f.kind, wire));
    let action: PlanAction = same ? 'unchanged' : 'update';
    let reopen = false;
    if (action === 'update') {
      if (changes.length === 0) notes.push('fields removed from the file go back to their defaults');
      if ((f.kind === 'pool' || f.kind === 'training') && changes.some((c) => c.path === 'project_id')) {
        action = 'replace';
        notes.push(`a ${f.kind} cannot move to another project: a new one is created in it; ${f.kind} ${id} is left as it is`);
      } else if (remote.status === 'ARCHIVED') {
        action = 'replace';
        notes.push(`${f.kind} ${id} is archived and cannot be changed: a new one is created; the archived one is left as it is`);
      } else if (remote.status === 'OPEN' && (f.kind === 'pool' || f.kind === 'training')) {
        reopen = true;
        notes.push(`${f.kind} ${id} is open: it is closed for update, updated and opened again`);
      } else if (remote.status === 'LOCKED') {
        action = 'blocked';
        notes.push(`${f.kind} ${id} is locked by Toloka: no change is possible now; try again later`);
      }
      if (f.kind === 'project' && changes.some((c) => /^task_spec\.(input_spec|output_spec)/.test(c.path))) {
        const withTasks = await poolsWithTasks(client, id, options.signal);
        notes.push(
          withTasks.length === 0
            ? 'the input or output fields change; no pool of this project has tasks yet'
            : `the input or output fields change, and ${withTasks.length === 1 ? 'pool' : 'pools'} ${withTasks.slice(0, 10).join(', ')}${withTasks.length > 10 ? ` and ${withTasks.length - 10} more` : ''} already ${withTasks.length === 1 ? 'has' : 'have'} tasks: their tasks and answers may no longer match the fields`,
        );
      }
    }
    if (action === 'replace') ids.delete(f.file);
    items.push({ file: f.file, key, kind: f.kind, action, id, changes, notes, reopen, adopted, source: f });
  }
  const quotaCreates: Partial<Record<DeployKind, number>> = {};
  for (const i of items) if (i.action === 'create' || i.action === 'replace') quotaCreates[i.kind] = (quotaCreates[i.kind] ?? 0) + 1;
  return { ...base, items, orphans, quotaCreates };
}

function show(v: unknown): string {
  if (v === undefined) return '(none)';
  const text = JSON.stringify(canonical(v));
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}

const symbols: Record<PlanAction, string> = { create: '+', update: '~', unchanged: '=', replace: '±', blocked: '!' };

/** The plan as a readable document (Markdown-friendly plain text). */
export function formatPlan(plan: Plan): string {
  const lines: string[] = [`# Toloka plan: ${plan.environment}`, ''];
  const errors = plan.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) {
    lines.push(`Nothing can be applied: ${errors.length} problem(s) in the files.`, '');
    for (const p of errors) lines.push(`- ${path.relative(plan.root, p.file)}:${p.line}:${p.column}: ${p.field}: ${p.message}`);
    lines.push('');
  }
  lines.push(summary(plan), '');
  for (const item of plan.items) {
    lines.push(`${symbols[item.action]} ${item.action} ${item.kind} ${item.key}${item.id ? ` (${item.id})` : ''}`);
    for (const n of item.notes) lines.push(`    note: ${n}`);
    if (item.action !== 'unchanged') for (const c of item.changes) lines.push(`    ${c.path}: ${show(c.before)} → ${show(c.after)}`);
  }
  for (const o of plan.orphans) lines.push(`? ${o}: no longer in the workspace; its object is left as it is on Toloka (nothing is deleted or archived)`);
  return `${lines.join('\n')}\n`;
}

/** One line: how many of each action, and the quota used. */
export function summary(plan: Plan): string {
  const count = (a: PlanAction) => plan.items.filter((i) => i.action === a).length;
  const parts = [`${count('create')} to create`, `${count('update')} to update`, `${count('replace')} to replace`, `${count('unchanged')} unchanged`];
  if (count('blocked') > 0) parts.push(`${count('blocked')} blocked`);
  const used = Object.entries(plan.quotaCreates).map(([kind, n]) => `${n} of 100 ${kind} creates`);
  const quota = used.length > 0 ? `; uses ${used.join(', ')} of today's quota` : '';
  return `${parts.join(', ')}${quota}.`;
}
