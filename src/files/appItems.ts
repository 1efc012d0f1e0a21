/**
 * App projects from and to workspace files: items streamed from JSON or JSONL into
 * `items/bulk`, and finished items appended to a JSONL file, continuing from the last item
 * fetched (seed 004's streaming). No `vscode` import.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TolokaClient } from '../toloka/client';
import { CancelledError } from '../toloka/errors';
import { contentHash } from './contentHash';
import { readJsonArray, readJsonl, type Format } from './records';

export interface SendItemsOptions {
  readonly client: TolokaClient;
  readonly file: string;
  readonly format: Exclude<Format, 'tsv'>;
  readonly appProjectId: string;
  /** Items per request; at most 10,000. */
  readonly batchSize?: number;
  readonly journalFile?: string;
  /**
   * Put the items in a new batch of this name (they wait for Start Batch) rather than stream
   * them. The batch's id is journaled: a rerun adds the rest to the same batch.
   */
  readonly batch?: { readonly name: string };
  readonly signal?: AbortSignal;
  readonly onProgress?: (sent: number, total: number) => void;
}

export interface SendItemsResult {
  readonly total: number;
  readonly sent: number;
  /** Items already sent by an earlier run of the same file. */
  readonly resumed: number;
  readonly invalid: ReadonlyArray<{ line: number; problem: string }>;
  /** Batches whose request was sent but whose answer never came: check them before resending. */
  readonly unknown: ReadonlyArray<{ fromLine: number; toLine: number }>;
  /** The app batch the items went into, when sent as a batch. */
  readonly batchId?: string;
}

type Entry =
  | { t: 'sent' | 'done'; batch: number; fromLine: number; toLine: number; count: number }
  | { t: 'start'; sha256: string; size: number; appProjectId: string; batchSize: number }
  | { t: 'appBatch'; id: string };

/**
 * Sends the file's items in batches. The journal records each batch before and after; a rerun
 * skips confirmed batches. `items/bulk` has no idempotency key, so a batch whose answer was lost
 * is not sent again blindly: it is reported, by lines, for the user to check.
 */
export async function sendItems(o: SendItemsOptions): Promise<SendItemsResult> {
  const batchSize = Math.min(o.batchSize ?? 1000, 10_000);
  const journalFile = o.journalFile ?? `${o.file}.toloka-${o.batch ? 'batch' : 'items'}.jsonl`;
  const read = () => (o.format === 'jsonl' ? readJsonl(o.file, o.signal) : readJsonArray(o.file, o.signal));
  const invalid: Array<{ line: number; problem: string }> = [];
  let total = 0;
  for await (const r of read()) {
    if (r.error) invalid.push({ line: r.line, problem: r.error });
    else if (!r.value || typeof r.value !== 'object' || Array.isArray(r.value)) invalid.push({ line: r.line, problem: 'an item must be a JSON object of input fields' });
    else total++;
  }
  if (invalid.length === 0 && total === 0) invalid.push({ line: 1, problem: 'the file has no items' });
  if (invalid.length > 0) return { total, sent: 0, resumed: 0, invalid, unknown: [] };

  // The journal knows the file by its content: an unchanged file resumes, a changed one is refused
  // (items/bulk has no idempotency key, so re-sending a changed file would send items twice).
  const { sha256, size } = await contentHash(o.file, o.signal);
  const start = { t: 'start' as const, sha256, size, appProjectId: o.appProjectId, batchSize };
  const done = new Set<number>();
  const pending = new Map<number, Extract<Entry, { t: 'sent' | 'done' }>>();
  let resumed = 0;
  let fresh = true;
  let batchId: string | undefined;
  if (fs.existsSync(journalFile)) {
    let earlier: Extract<Entry, { t: 'start' }> | undefined;
    for (const line of fs.readFileSync(journalFile, 'utf8').split('\n').filter(Boolean)) {
      try {
        const e = JSON.parse(line) as Entry;
        if (e.t === 'start') earlier = e;
        else if (e.t === 'appBatch') batchId = e.id;
        else if (e.t === 'sent') pending.set(e.batch, e);
        else {
          done.add(e.batch);
          pending.delete(e.batch);
          resumed += e.count;
        }
      } catch {
        // a line cut by a crash
      }
    }
    const same = earlier && earlier.sha256 === sha256 && earlier.size === size && earlier.appProjectId === o.appProjectId && earlier.batchSize === batchSize;
    if (!same && (done.size > 0 || pending.size > 0)) {
      throw new Error(`${o.file} changed since an earlier run sent ${resumed.toLocaleString('en-US')} of its items${pending.size ? ` (and ${pending.size} batch(es) whose answer never came)` : ''} to app project ${earlier?.appProjectId ?? o.appProjectId}: sending this version would send those items again. Put the items not sent yet in a new file and send that`);
    }
    fresh = !same;
  }
  if (fresh) {
    fs.writeFileSync(journalFile, `${JSON.stringify(start)}\n`);
    batchId = undefined;
  }
  const unknown = [...pending.values()].map((e) => ({ fromLine: e.fromLine, toLine: e.toLine }));
  const journal = fs.openSync(journalFile, 'a');
  const note = (e: Entry): void => {
    fs.writeSync(journal, `${JSON.stringify(e)}\n`);
    fs.fsyncSync(journal);
  };
  let sent = 0;
  let batchNo = 0;
  let items: Array<Record<string, unknown>> = [];
  let fromLine = 0;
  let toLine = 0;
  const flush = async (): Promise<void> => {
    const n = batchNo++;
    const batch = items;
    items = [];
    if (done.has(n) || pending.has(n)) return;
    const entry = { batch: n, fromLine, toLine, count: batch.length };
    note({ t: 'sent', ...entry });
    await o.client.apps.createItems(o.appProjectId, batch, { signal: o.signal, ...(batchId ? { batchId } : {}) });
    note({ t: 'done', ...entry });
    sent += batch.length;
    o.onProgress?.(resumed + sent, total);
  };
  try {
    if (o.batch && !batchId) {
      // No idempotency key here either: a crash before the id is journaled leaves an empty batch
      // behind, never items twice.
      batchId = (await o.client.apps.createBatch(o.appProjectId, { name: o.batch.name }, { signal: o.signal })).id;
      note({ t: 'appBatch', id: batchId });
    }
    for await (const r of read()) {
      if (o.signal?.aborted) break;
      if (items.length === 0) fromLine = r.line;
      items.push(r.value as Record<string, unknown>);
      toLine = r.line;
      if (items.length === batchSize) await flush();
    }
    if (items.length > 0 && !o.signal?.aborted) await flush();
  } finally {
    fs.closeSync(journal);
  }
  if (o.signal?.aborted) throw new CancelledError();
  return { total, sent, resumed, invalid, unknown, ...(batchId ? { batchId } : {}) };
}

export interface FetchResultsOptions {
  readonly client: TolokaClient;
  readonly appProjectId: string;
  /** JSONL the finished items are appended to. */
  readonly outFile: string;
  /** Where the last fetched item's id is kept; beside the output by default. */
  readonly stateFile?: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (fetched: number) => void;
}

/** Appends the items finished since the last fetch to `outFile`; returns how many. */
export async function fetchAppResults(o: FetchResultsOptions): Promise<{ fetched: number; lastId: string | undefined }> {
  const stateFile = o.stateFile ?? `${o.outFile}.toloka-state.json`;
  let after: string | undefined;
  if (fs.existsSync(stateFile)) {
    const state = JSON.parse(fs.readFileSync(stateFile, 'utf8')) as { appProjectId?: string; afterId?: string };
    if (state.appProjectId !== o.appProjectId) throw new Error(`${stateFile} tracks app project ${String(state.appProjectId)}, not ${o.appProjectId}; choose another output file`);
    after = state.afterId;
  }
  fs.mkdirSync(path.dirname(o.outFile), { recursive: true });
  let fetched = 0;
  for (;;) {
    const page = await o.client.apps.itemsPage(o.appProjectId, { sort: 'finished' }, { after, limit: 1000, signal: o.signal });
    if (page.items.length === 0) break;
    fs.appendFileSync(o.outFile, page.items.map((i) => JSON.stringify(i)).join('\n') + '\n');
    after = page.items[page.items.length - 1]?.id;
    // The cursor is saved only once its page is on disk: a crash repeats a page, never skips one.
    const tmp = `${stateFile}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ appProjectId: o.appProjectId, afterId: after }));
    fs.renameSync(tmp, stateFile);
    fetched += page.items.length;
    o.onProgress?.(fetched);
    if (!page.hasMore || o.signal?.aborted) break;
  }
  return { fetched, lastId: after };
}
