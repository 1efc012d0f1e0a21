/**
 * What deploy knows of an environment: `.toloka/<environment>.state.json`, committed by the user,
 * maps each file (relative to the folder holding `.toloka/`) to the id it created and the hash of
 * what was last applied. A create in flight is kept as `pending` with its marker, so a rerun after
 * a lost answer finds the object instead of creating a second one. No `vscode` import.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { z } from 'zod';
import type { DeployKind } from './kinds';

export const StateEntry = z.strictObject({
  kind: z.enum(['skill', 'project', 'training', 'pool']),
  id: z.string().min(1),
  /** SHA-256 of the canonical body last sent (references resolved). */
  hash: z.string(),
  applied: z.string(),
});
export type StateEntry = z.infer<typeof StateEntry>;

export const PendingCreate = z.strictObject({
  kind: z.enum(['skill', 'project', 'training', 'pool']),
  marker: z.string().min(1),
  started: z.string(),
});
export type PendingCreate = z.infer<typeof PendingCreate>;

export const StateFile = z.strictObject({
  version: z.literal(1),
  environment: z.string(),
  apiRoot: z.string().optional(),
  objects: z.record(z.string(), StateEntry),
  pending: z.record(z.string(), PendingCreate).default({}),
});
export type StateFile = z.infer<typeof StateFile>;

/** The folder a state belongs to: the nearest one up from `start` with `.toloka/`, else with `.git`, else `start`. */
export async function stateRootFor(start: string): Promise<string> {
  let dir = path.resolve(start);
  try {
    if (!(await fs.stat(dir)).isDirectory()) dir = path.dirname(dir);
  } catch {
    dir = path.dirname(dir);
  }
  const first = dir;
  let git: string | undefined;
  for (;;) {
    if (await exists(path.join(dir, '.toloka'))) return dir;
    if (!git && (await exists(path.join(dir, '.git')))) git = dir;
    const up = path.dirname(dir);
    if (up === dir) return git ?? first;
    dir = up;
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await fs.access(p);
    return true;
  } catch {
    return false;
  }
}

export function stateFileOf(root: string, environment: string): string {
  return path.join(root, '.toloka', `${environment}.state.json`);
}

/** The state of one environment, written whole (to a temporary file, then renamed) after every change. */
export class StateStore {
  private constructor(
    readonly root: string,
    readonly file: string,
    private state: StateFile,
  ) {}

  static async open(root: string, environment: string, apiRoot?: string): Promise<StateStore> {
    const file = stateFileOf(root, environment);
    let state: StateFile = { version: 1, environment, objects: {}, pending: {}, ...(apiRoot ? { apiRoot } : {}) };
    let text: string | undefined;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    if (text !== undefined) {
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (err) {
        throw new Error(`${file}: not valid JSON (${err instanceof Error ? err.message : String(err)})`, { cause: err });
      }
      const parsed = StateFile.safeParse(json);
      if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(document)'}: ${i.message}`).join('; ')}`);
      state = parsed.data;
      if (apiRoot && state.apiRoot && state.apiRoot !== apiRoot) throw new Error(`${file} is the state of ${state.apiRoot}, not ${apiRoot}: use another environment name`);
    }
    return new StateStore(root, file, state);
  }

  /** The key of a file: its path relative to the root, with `/`. */
  keyOf(file: string): string {
    return path.relative(this.root, file).split(path.sep).join('/');
  }

  entry(file: string): StateEntry | undefined {
    return this.state.objects[this.keyOf(file)];
  }

  pending(file: string): PendingCreate | undefined {
    return this.state.pending[this.keyOf(file)];
  }

  /** Every entry, by key: what was applied, including files no longer in the workspace. */
  entries(): ReadonlyArray<[string, StateEntry]> {
    return Object.entries(this.state.objects);
  }

  /** Records that a create is about to be sent, with the marker it carries; written before it is sent. */
  async beginCreate(file: string, kind: DeployKind): Promise<string> {
    const marker = this.pending(file)?.marker ?? randomUUID();
    this.state.pending[this.keyOf(file)] = { kind, marker, started: new Date().toISOString() };
    await this.save();
    return marker;
  }

  async record(file: string, kind: DeployKind, id: string, hash: string): Promise<void> {
    const key = this.keyOf(file);
    this.state.objects[key] = { kind, id, hash, applied: new Date().toISOString() };
    delete this.state.pending[key];
    await this.save();
  }

  snapshot(): StateFile {
    return structuredClone(this.state);
  }

  private async save(): Promise<void> {
    const sorted = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
    const text = `${JSON.stringify({ ...this.state, objects: sorted(this.state.objects), pending: sorted(this.state.pending) }, null, 2)}\n`;
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    await fs.writeFile(tmp, text);
    await fs.rename(tmp, this.file);
  }
}
