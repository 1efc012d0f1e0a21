/**
 * Pull: an existing project, training or pool, and what it references, written as deploy files
 * with `{"$file"}` references between them and recorded in the state, so that applying the
 * folder right after is nothing to do. No `vscode` import.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { TolokaClient } from '../toloka/client';
import { canonical, isRecord } from './canonical';
import { referenceKindFor, suffixOf, type DeployKind } from './kinds';
import { appliedHash, comparable, getRemote, toWire } from './plan';
import type { StateStore } from './state';

/** `./name.kind.json` from one file to another, as a reference writes it. */
export function relativeReference(from: string, to: string): string {
  const rel = path.relative(path.dirname(from), to).split(path.sep).join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

/** Whether `o[k]` may hold another object's id: a filter's `key` only in a skill condition, a rule's `value` only beside `"key": "skill_id"`. */
function holdsId(o: Record<string, unknown>, k: string): boolean {
  if (k === 'key') return o['category'] === 'skill';
  if (k === 'value') return o['key'] === 'skill_id';
  return true;
}

/** The value with every id that stands for a known file replaced by a reference to it (for files and diffs). */
export function idsToReferences(value: unknown, fromFile: string, fileOf: (kind: DeployKind, id: string) => string | undefined, field?: string | number): unknown {
  if (Array.isArray(value)) return value.map((v) => idsToReferences(v, fromFile, fileOf, field));
  if (isRecord(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, holdsId(value, k) ? idsToReferences(v, fromFile, fileOf, k) : v]));
  }
  const kind = referenceKindFor(field);
  const file = typeof value === 'string' && kind ? fileOf(kind, value) : undefined;
  return file ? { $file: relativeReference(fromFile, file) } : value;
}

/** The ids of other objects a body names, by kind (the fields a reference may stand for). */
function referencedIds(value: unknown, field?: string | number, out: Array<{ kind: DeployKind; id: string }> = []): Array<{ kind: DeployKind; id: string }> {
  if (Array.isArray(value)) for (const v of value) referencedIds(v, field, out);
  else if (isRecord(value)) {
    for (const [k, v] of Object.entries(value)) if (holdsId(value, k)) referencedIds(v, k, out);
  } else {
    const kind = referenceKindFor(field);
    if (kind && typeof value === 'string' && /^\d+$/.test(value)) out.push({ kind, id: value });
  }
  return out;
}

function slug(text: string): string {
  return text.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'untitled';
}

function nameOf(kind: DeployKind, body: Record<string, unknown>): string {
  const name = kind === 'skill' ? body['name'] : kind === 'project' ? body['public_name'] : body['private_name'];
  return typeof name === 'string' ? name : kind;
}

export interface PulledFile {
  readonly file: string;
  readonly kind: DeployKind;
  readonly id: string;
  /** Already in the workspace (known to the state): referenced, not written again. */
  readonly existing: boolean;
}

/**
 * Writes the object and everything it references (project, training, skills) into `dir`, each
 * as a file, references between them, and records each in the state as applied.
 */
export async function pull(client: TolokaClient, kind: DeployKind, id: string, dir: string, store: StateStore, signal?: AbortSignal): Promise<PulledFile[]> {
  const known = new Map(store.entries().map(([key, e]) => [`${e.kind}:${e.id}`, path.join(store.root, key)]));
  const pulled: PulledFile[] = [];
  const bodies = new Map<string, { kind: DeployKind; id: string; file: string; remote: Record<string, unknown> }>();
  const visit = async (k: DeployKind, objectId: string): Promise<void> => {
    const key = `${k}:${objectId}`;
    if (bodies.has(key)) return;
    const existing = known.get(key);
    if (existing) {
      pulled.push({ file: existing, kind: k, id: objectId, existing: true });
      bodies.set(key, { kind: k, id: objectId, file: existing, remote: {} });
      return;
    }
    const remote = await getRemote(client, k, objectId, signal);
    if (!remote) throw new Error(`${k} ${objectId} does not exist on this Toloka`);
    const body = comparable(k, remote);
    let file = path.join(dir, `${slug(nameOf(k, body))}${suffixOf[k]}`);
    const taken = new Set([...bodies.values()].map((b) => b.file));
    if (taken.has(file) || (await fs.stat(file).then(() => true, () => false))) file = path.join(dir, `${slug(nameOf(k, body))}-${objectId}${suffixOf[k]}`);
    bodies.set(key, { kind: k, id: objectId, file, remote: body });
    known.set(key, file);
    for (const ref of referencedIds(body)) await visit(ref.kind, ref.id);
  };
  await visit(kind, id);
  await fs.mkdir(dir, { recursive: true });
  const fileOf = (k: DeployKind, objectId: string) => known.get(`${k}:${objectId}`);
  for (const b of bodies.values()) {
    if (pulled.some((p) => p.file === b.file && p.existing)) continue;
    const withRefs = idsToReferences(b.remote, b.file, fileOf);
    await fs.writeFile(b.file, `${JSON.stringify(canonical(withRefs), null, 2)}\n`);
    await store.record(b.file, b.kind, b.id, appliedHash(b.kind, toWire(b.kind, b.remote)));
    pulled.push({ file: b.file, kind: b.kind, id: b.id, existing: false });
  }
  return pulled;
}
