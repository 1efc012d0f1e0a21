/**
 * A pool's results on disk: Toloka's results TSV (INPUT:, OUTPUT:, GOLDEN:, HINT:text and the
 * chosen ASSIGNMENT: columns, one row per task of each assignment, the upload format's quoting)
 * or JSON Lines (one assignment per line), written page by page. A checkpoint beside the file
 * records, after each page, the last assignment written and the file's length then; a rerun
 * cuts the file back to that length and continues after that assignment, so a cancel or a
 * crash never leaves a duplicate or half a page. No `vscode` import.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import type { TolokaClient } from '../toloka/client';
import type { AssignmentFilter } from '../toloka/endpoints/assignments';
import { restrictionApplies, type AssignmentResult, type AssignmentStatus, type FieldSpec, type TaskSpec } from '../toloka/models';
import { formatDateTime } from '../toloka/models/common';
import { Utf8Buffer } from './utf8Buffer';

export const assignmentColumns = ['link', 'assignment_id', 'task_id', 'task_suite_id', 'worker_id', 'status', 'started', 'submitted', 'accepted', 'rejected', 'skipped', 'expired', 'reward'] as const;
export type AssignmentColumn = (typeof assignmentColumns)[number];
/** What Toloka's "Download results" selects unless told otherwise. */
export const defaultAssignmentColumns: readonly AssignmentColumn[] = ['link', 'assignment_id', 'task_id', 'worker_id', 'status', 'started'];

export type ResultsFormat = 'tsv' | 'jsonl';

/** A cell of Toloka's TSV: quoted (inner quotes doubled) when it holds a tab, a newline or a quote. */
export function tsvCell(text: string): string {
  return /[\t\n\r"]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A line of Toloka's TSV: the cells quoted as need be, tab-separated, ending in a newline. */
export function tsvRow(cells: readonly string[]): string {
  return cells.map(tsvCell).join('\t') + '\n';
}

/**
 * One value as Toloka's TSV writes it: strings as they are, numbers and booleans as text, JSON
 * values as JSON, arrays comma-separated (strings quoted, so that commas inside survive), a
 * missing value as an empty cell and an explicit null as `null`.
 */
export function formatValue(value: unknown, spec?: FieldSpec): string {
  if (value === undefined) return '';
  if (value === null) return 'null';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const type = spec?.type ?? '';
  if (Array.isArray(value) && type !== 'json' && type !== 'array_json' && type !== 'coordinates') {
    return value.map((v) => (typeof v === 'string' ? `"${v.replace(/"/g, '""')}"` : v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v))).join(',');
  }
  return JSON.stringify(value);
}

/** The header row: INPUT:, OUTPUT: and GOLDEN: in the specs' order, HINT:text, then the ASSIGNMENT: columns. */
export function resultHeaders(spec: TaskSpec, columns: readonly AssignmentColumn[]): string[] {
  const inputs = Object.keys(spec.input_spec);
  const outputs = Object.keys(spec.output_spec);
  return [...inputs.map((f) => `INPUT:${f}`), ...outputs.map((f) => `OUTPUT:${f}`), ...outputs.map((f) => `GOLDEN:${f}`), 'HINT:text', ...columns.map((c) => `ASSIGNMENT:${c}`)];
}

export interface RowContext {
  readonly spec: TaskSpec;
  readonly columns: readonly AssignmentColumn[];
  /** Origin of Toloka's web UI, for ASSIGNMENT:link; without one the link is left empty. */
  readonly webOrigin?: string | undefined;
}

/** The specs' fields as arrays, worked out once per spec rather than once per assignment. */
const fieldLists = new WeakMap<TaskSpec, { inputs: Array<[string, FieldSpec]>; outputs: Array<[string, FieldSpec]> }>();
function fieldsOf(spec: TaskSpec): { inputs: Array<[string, FieldSpec]>; outputs: Array<[string, FieldSpec]> } {
  let f = fieldLists.get(spec);
  if (!f) {
    f = { inputs: Object.entries(spec.input_spec), outputs: Object.entries(spec.output_spec) };
    fieldLists.set(spec, f);
  }
  return f;
}

/** The TSV rows (already joined, each ending in a newline) of one assignment: one per task. */
export function assignmentRows(a: AssignmentResult, ctx: RowContext): string {
  const { inputs, outputs } = fieldsOf(ctx.spec);
  // The ASSIGNMENT: cells are the same on every row but for task_id: cut them around it.
  let before = '';
  let after = '';
  let perTask = false;
  for (const c of ctx.columns) {
    if (c === 'task_id') {
      perTask = true;
      continue;
    }
    const cell = tsvCell(assignmentCell(a, c, ctx.webOrigin));
    if (perTask) after += `\t${cell}`;
    else before += `\t${cell}`;
  }
  let out = '';
  for (let i = 0; i < a.tasks.length; i++) {
    const task = a.tasks[i] as AssignmentResult['tasks'][number];
    const answer = a.solutions?.[i]?.output_values ?? {};
    const golden = task.known_solutions?.[0]?.output_values;
    let line = '';
    for (const [name, spec] of inputs) line += `${tsvCell(formatValue(task.input_values[name], spec))}\t`;
    for (const [name, spec] of outputs) line += `${tsvCell(formatValue(answer[name], spec))}\t`;
    for (const [name, spec] of outputs) line += `${golden ? tsvCell(formatValue(golden[name], spec)) : ''}\t`;
    line += tsvCell(task.message_on_unknown_solution ?? '');
    out += `${line}${before}${perTask ? `\t${tsvCell(task.id ?? '')}` : ''}${after}\n`;
  }
  return out;
}

function assignmentCell(a: AssignmentResult, column: AssignmentColumn, webOrigin: string | undefined): string {
  switch (column) {
    case 'link':
      return webOrigin ? `${webOrigin}/task/${a.pool_id}/${a.task_suite_id}` : '';
    case 'assignment_id':
      return a.id;
    case 'task_id':
      return ''; // per task, filled in by the caller
    case 'task_suite_id':
      return a.task_suite_id;
    case 'worker_id':
      return a.user_id;
    case 'status':
      // The results file says APPROVED where the API says ACCEPTED.
      return a.status === 'ACCEPTED' ? 'APPROVED' : a.status;
    case 'started':
      return a.created ?? '';
    case 'reward':
      return a.reward === undefined ? '' : String(a.reward);
    default:
      return a[column] ?? '';
  }
}

/** `FROM..TO` (either side may be empty) as API date-times, or a message saying what is wrong. */
export function parseTimeRange(text: string): { from?: string; to?: string } | string {
  const t = text.trim();
  if (t === '') return {};
  const parts = t.split('..');
  if (parts.length !== 2) return 'Write FROM..TO, for example 2026-11-01..2026-11-20 (either side may be empty)';
  const out: { from?: string; to?: string } = {};
  for (const [i, p] of parts.entries()) {
    const v = p.trim();
    if (v === '') continue;
    const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : /Z$|[+-]\d{2}:?\d{2}$/.test(v) ? v : `${v}Z`);
    if (Number.isNaN(ms)) return `"${v}" is not a date (use 2026-11-01 or 2026-11-01T12:00, UTC)`;
    out[i === 0 ? 'from' : 'to'] = formatDateTime(new Date(ms));
  }
  if (out.from && out.to && out.from >= out.to) return 'The range ends before it starts';
  return out;
}

export interface DownloadOptions {
  readonly client: TolokaClient;
  readonly poolId: string;
  readonly spec: TaskSpec;
  readonly file: string;
  readonly format: ResultsFormat;
  readonly statuses: readonly AssignmentStatus[];
  /** Start-time range, ISO date-times: from inclusive, to exclusive. */
  readonly startedFrom?: string | undefined;
  readonly startedTo?: string | undefined;
  /** Leave out assignments of Tolokers banned (now) from this pool, its project or everything. */
  readonly excludeBanned?: boolean;
  readonly columns?: readonly AssignmentColumn[];
  readonly webOrigin?: string | undefined;
  /** Continue an interrupted download of the same file with the same options (default true). */
  readonly resume?: boolean;
  /** Assignments per request (default 1,000, the listing's own default; pages are parsed an item at a time, so their size barely changes memory). */
  readonly pageSize?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: DownloadProgress) => void;
}

export interface DownloadProgress {
  readonly assignments: number;
  readonly rows: number;
  /** Rows written by an earlier, interrupted run. */
  readonly resumedRows: number;
}

export interface DownloadResult extends DownloadProgress {
  readonly file: string;
  readonly resumed: boolean;
  readonly skippedBanned: number;
  readonly cancelled: boolean;
}

/** The checkpoint beside a results file being downloaded. */
export const checkpointFileFor = (file: string): string => `${file}.toloka-download.json`;

const Checkpoint = z.object({
  key: z.string(),
  lastAssignmentId: z.string().optional(),
  bytes: z.number().int().min(0),
  assignments: z.number().int().min(0),
  rows: z.number().int().min(0),
});
type Checkpoint = z.infer<typeof Checkpoint>;

function readCheckpoint(file: string): Checkpoint | undefined {
  try {
    return Checkpoint.parse(JSON.parse(fs.readFileSync(checkpointFileFor(file), 'utf8')));
  } catch {
    return undefined;
  }
}

type ResumeKeyOptions = Pick<DownloadOptions, 'file' | 'poolId' | 'format' | 'statuses' | 'startedFrom' | 'startedTo' | 'excludeBanned' | 'columns'>;

/** The ASSIGNMENT: columns a download writes (none in JSONL). */
function columnsOf(o: Pick<DownloadOptions, 'format' | 'columns'>): readonly AssignmentColumn[] {
  return o.format === 'tsv' ? (o.columns ?? defaultAssignmentColumns) : [];
}

/** What must match for a rerun to continue a file rather than start it again. */
function checkpointKey(o: ResumeKeyOptions): string {
  return JSON.stringify([o.poolId, o.format, [...o.statuses].sort(), o.startedFrom ?? null, o.startedTo ?? null, !!o.excludeBanned, columnsOf(o)]);
}

/** The checkpoint of an interrupted download of this file with these options, if it can continue. */
function resumableCheckpoint(o: ResumeKeyOptions): Checkpoint | undefined {
  const cp = readCheckpoint(o.file);
  if (!cp || cp.key !== checkpointKey(o) || !fs.existsSync(o.file) || fs.statSync(o.file).size < cp.bytes) return undefined;
  return cp;
}

/** Whether a download of this file with these options was interrupted and can continue. */
export function interruptedDownload(o: ResumeKeyOptions): { rows: number; assignments: number } | undefined {
  const cp = resumableCheckpoint(o);
  return cp && { rows: cp.rows, assignments: cp.assignments };
}

async function bannedWorkers(client: TolokaClient, poolId: string, signal?: AbortSignal): Promise<Set<string>> {
  const pool = await client.pools.get(poolId, { signal });
  const banned = new Set<string>();
  const now = Date.now();
  for await (const r of client.userRestrictions.all({}, { signal })) if (restrictionApplies(r, { id: poolId, project_id: pool.project_id }, now)) banned.add(r.user_id);
  return banned;
}

/**
 * Downloads a pool's assignments into `file`, page by page in id order. Each page is written
 * with one append and then checkpointed, so memory holds one page whatever the pool's size.
 * Cancelling (the signal) stops after the page in hand and keeps the checkpoint.
 */
export async function downloadResults(o: DownloadOptions): Promise<DownloadResult> {
  const columns = columnsOf(o);
  const key = checkpointKey(o);
  const checkpointFile = checkpointFileFor(o.file);
  const previous = o.resume === false ? undefined : resumableCheckpoint(o);
  const resuming = previous !== undefined;
  let state: Checkpoint = previous ?? { key, bytes: 0, assignments: 0, rows: 0 };
  const resumedRows = state.rows;

  await fs.promises.mkdir(path.dirname(o.file), { recursive: true });
  if (resuming) await fs.promises.truncate(o.file, state.bytes); // drop anything written after the checkpoint
  const fd = await fs.promises.open(o.file, resuming ? 'r+' : 'w');
  let position = state.bytes;
  const write = async (bytes: Buffer): Promise<void> => {
    let done = 0;
    while (done < bytes.length) done += (await fd.write(bytes, done, bytes.length - done, position + done)).bytesWritten;
    position += bytes.length;
  };
  // No fsync: the checkpoint guards against a cancelled or killed process, whose writes the
  // page cache keeps; syncing every page would cost more than the download.
  const saveCheckpoint = async (): Promise<void> => {
    const tmp = `${checkpointFile}.tmp`;
    await fs.promises.writeFile(tmp, JSON.stringify(state));
    await fs.promises.rename(tmp, checkpointFile);
  };

  let skippedBanned = 0;
  let cancelled = false;
  try {
    if (!resuming) {
      if (o.format === 'tsv') await write(Buffer.from(tsvRow(resultHeaders(o.spec, columns)), 'utf8'));
      state = { ...state, bytes: position };
      await saveCheckpoint();
    }
    const banned = o.excludeBanned ? await bannedWorkers(o.client, o.poolId, o.signal) : undefined;
    const filter: AssignmentFilter = {
      pool_id: o.poolId,
      status: o.statuses,
      ...(o.startedFrom ? { created_gte: o.startedFrom } : {}),
      ...(o.startedTo ? { created_lt: o.startedTo } : {}),
    };
    const ctx: RowContext = { spec: o.spec, columns, webOrigin: o.webOrigin };
    // TSV needs only part of each assignment (a lighter schema); JSONL keeps all of it.
    // Either way the next page is requested before this one is checked and written.
    const options = { limit: o.pageSize ?? 1000, after: state.lastAssignmentId, signal: o.signal };
    const pages = o.format === 'tsv' ? o.client.assignments.resultPages(filter, options) : o.client.assignments.pages(filter, options);
    try {
      const text = new Utf8Buffer(1 << 20);
      for await (const page of pages) {
        text.clear();
        let rows = 0;
        let lastId = state.lastAssignmentId;
        let n = 0;
        for (const a of page.items()) {
          // Let the event loop in every 100 assignments (a few ms): the next page, already
          // requested, is read off the socket meanwhile instead of waiting for this one to end,
          // and the extension host never stalls for a whole page.
          if (++n % 100 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
          lastId = a.id;
          if (banned?.has(a.user_id)) {
            skippedBanned++;
            continue;
          }
          text.append(o.format === 'tsv' ? assignmentRows(a, ctx) : JSON.stringify(a) + '\n');
          rows += o.format === 'tsv' ? a.tasks.length : 1;
        }
        await write(text.bytes());
        state = { key, lastAssignmentId: lastId, bytes: position, assignments: state.assignments + page.size, rows: state.rows + rows };
        await saveCheckpoint();
        o.onProgress?.({ assignments: state.assignments, rows: state.rows, resumedRows });
        if (o.signal?.aborted && page.hasMore) {
          cancelled = true;
          break;
        }
      }
    } catch (err) {
      if (!o.signal?.aborted) throw err;
      cancelled = true;
    }
  } finally {
    await fd.close();
  }
  if (!cancelled) await fs.promises.rm(checkpointFile, { force: true });
  return { file: o.file, assignments: state.assignments, rows: state.rows, resumedRows, resumed: resuming, skippedBanned, cancelled };
}
