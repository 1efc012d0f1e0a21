/**
 * Uploads a task file to a pool exactly once. Every batch goes out as an asynchronous
 * creation with its own operation_id, recorded in a journal before it is sent and after its
 * outcome is known. A second run over the same file reads the journal: confirmed batches are
 * skipped, and a batch whose outcome is unknown is looked up by its operation_id before
 * anything is sent again. No `vscode` import.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import type { TolokaClient } from '../toloka/client';
import { isTolokaError } from '../toloka/errors';
import type { Logger } from '../toloka/logger';
import type { Operation, TaskSpec } from '../toloka/models';
import type { Format } from './records';
import { readTasks, type TaskRecord } from './tasks';

export interface UploadProgress {
  /** Valid tasks in the file. */
  readonly total: number;
  /** Tasks sent in batches whose outcome is not known yet. */
  readonly sent: number;
  /** Tasks Toloka confirmed created (this run and earlier runs). */
  readonly confirmed: number;
  readonly failed: number;
  /** Confirmed tasks per second in this run. */
  readonly rate: number;
}

export interface UploadOptions {
  readonly client: TolokaClient;
  readonly file: string;
  readonly format: Format;
  readonly poolId: string;
  readonly spec: TaskSpec;
  readonly batchSize?: number;
  readonly inFlight?: number;
  readonly allowDefaults?: boolean;
  readonly openPool?: boolean;
  /** Upload the valid tasks even when some are invalid (skip_invalid_items). */
  readonly skipInvalid?: boolean;
  /** Client-side limit staying under Toloka's quota; 0 for none. Default 200,000. */
  readonly tasksPerMinute?: number;
  readonly journalFile?: string;
  readonly resultsFile?: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: UploadProgress) => void;
  readonly logger?: Logger;
}

export interface InvalidTask {
  readonly line: number;
  readonly problems: readonly string[];
}

export interface UploadResult {
  readonly total: number;
  readonly created: number;
  /** Tasks already confirmed by an earlier run of the same upload. */
  readonly resumed: number;
  readonly failed: number;
  readonly invalid: number;
  /** The first invalid records (up to 1,000), when nothing was uploaded because of them. */
  readonly problems: readonly InvalidTask[];
  readonly uploaded: boolean;
}

export const journalFileFor = (file: string): string => `${file}.toloka-upload.jsonl`;
export const resultsFileFor = (file: string): string => `${file}.toloka-results.jsonl`;

type JournalEntry =
  | { t: 'start'; file: string; size: number; mtimeMs: number; poolId: string; batchSize: number; skipInvalid: boolean }
  | { t: 'sent'; batch: number; operationId: string; count: number }
  | { t: 'done'; batch: number; operationId: string; created: number; failed: number; resultsBytes: number };

interface JournalState {
  readonly done: Map<number, { created: number; failed: number }>;
  readonly sent: Map<number, string>;
  readonly resultsBytes: number;
}

function readJournal(journalFile: string, fingerprint: Extract<JournalEntry, { t: 'start' }>): JournalState | undefined {
  if (!fs.existsSync(journalFile)) return undefined;
  const lines = fs.readFileSync(journalFile, 'utf8').split('\n').filter(Boolean);
  const entries: JournalEntry[] = [];
  for (const l of lines) {
    try {
      entries.push(JSON.parse(l) as JournalEntry);
    } catch {
      // A line cut by a crash is the last one; what it would have said is found out again.
    }
  }
  const start = entries[0];
  if (!start || start.t !== 'start') return undefined;
  const same = start.size === fingerprint.size && start.mtimeMs === fingerprint.mtimeMs && start.poolId === fingerprint.poolId && start.batchSize === fingerprint.batchSize && start.skipInvalid === fingerprint.skipInvalid;
  if (!same) {
    throw new Error(`${journalFile} belongs to an earlier upload of a different file, pool or batch size. Delete it to start over; tasks that upload created stay in their pool.`);
  }
  const done = new Map<number, { created: number; failed: number }>();
  const sent = new Map<number, string>();
  let resultsBytes = 0;
  for (const e of entries) {
    if (e.t === 'sent') sent.set(e.batch, e.operationId);
    else if (e.t === 'done') {
      done.set(e.batch, { created: e.created, failed: e.failed });
      sent.delete(e.batch);
      resultsBytes = Math.max(resultsBytes, e.resultsBytes);
    }
  }
  return { done, sent, resultsBytes };
}

/** Spends tokens at the quota's pace: 200,000 tasks a minute by default. */
class Limiter {
  private tokens: number;
  private last = Date.now();

  constructor(private readonly perMinute: number) {
    this.tokens = perMinute;
  }

  async take(n: number, signal: AbortSignal | undefined): Promise<void> {
    if (this.perMinute <= 0) return;
    for (;;) {
      const now = Date.now();
      this.tokens = Math.min(this.perMinute, this.tokens + ((now - this.last) * this.perMinute) / 60_000);
      this.last = now;
      if (this.tokens >= n) {
        this.tokens -= n;
        return;
      }
      if (signal?.aborted) throw new Error('cancelled');
      const wait = Math.ceil(((n - this.tokens) * 60_000) / this.perMinute);
      await new Promise((r) => setTimeout(r, Math.min(wait, 1000)));
    }
  }
}

interface Batch {
  readonly number: number;
  /** Line of each task, for the results file; kept after the tasks themselves are sent. */
  readonly lines: Int32Array;
  /** The tasks, until they are sent: a batch waits on its operation without them. */
  items: unknown[] | undefined;
}

export async function uploadTasks(o: UploadOptions): Promise<UploadResult> {
  // 5,000 per batch: half the in-flight buffers of 10,000 at the same throughput (npm run bench -- upload).
  const batchSize = o.batchSize ?? 5000;
  const inFlight = o.inFlight ?? 4;
  const skipInvalid = o.skipInvalid ?? false;
  const journalFile = o.journalFile ?? journalFileFor(o.file);
  const resultsFile = o.resultsFile ?? resultsFileFor(o.file);
  const log = o.logger;

  // Pass 1: read and check every task before anything is sent.
  let total = 0;
  let invalid = 0;
  const problems: InvalidTask[] = [];
  /** Records to leave out in the second pass, which does not check again. */
  const skip = new Set<number>();
  for await (const r of readTasks(o.file, o.format, o.poolId, o.spec, o.signal)) {
    if (r.problems.length > 0 || !r.task) {
      invalid++;
      skip.add(r.index);
      if (problems.length < 1000) problems.push({ line: r.line, problems: r.problems });
    } else total++;
  }
  if (o.signal?.aborted) return { total, created: 0, resumed: 0, failed: 0, invalid, problems, uploaded: false };
  if ((invalid > 0 && !skipInvalid) || total === 0) return { total, created: 0, resumed: 0, failed: 0, invalid, problems, uploaded: false };

  // The journal: resume what an earlier run of this same upload began.
  const stat = fs.statSync(o.file);
  const fingerprint = { t: 'start' as const, file: o.file, size: stat.size, mtimeMs: stat.mtimeMs, poolId: o.poolId, batchSize, skipInvalid };
  const previous = readJournal(journalFile, fingerprint);
  if (!previous) {
    fs.writeFileSync(journalFile, `${JSON.stringify(fingerprint)}\n`);
    fs.writeFileSync(resultsFile, '');
  } else {
    // Results written after the last confirmed batch are rewritten when their batch is resolved.
    if (fs.existsSync(resultsFile)) fs.truncateSync(resultsFile, previous.resultsBytes);
    log?.info(`Resuming the upload of ${o.file}: ${previous.done.size} batch(es) confirmed, ${previous.sent.size} to check`);
  }
  const journal = fs.openSync(journalFile, 'a');
  const note = (e: JournalEntry): void => {
    fs.writeSync(journal, `${JSON.stringify(e)}\n`);
    fs.fsyncSync(journal);
  };

  const limiter = new Limiter(o.tasksPerMinute ?? 200_000);
  const started = Date.now();
  let resumed = 0;
  let created = 0;
  let failed = 0;
  let sent = 0;
  const report = (): void => {
    o.onProgress?.({ total, sent, confirmed: resumed + created, failed, rate: created / Math.max(0.001, (Date.now() - started) / 1000) });
  };
  for (const d of previous?.done.values() ?? []) {
    resumed += d.created;
    failed += d.failed;
  }
  report();

  const writeResults = (batch: Batch, byIndex: Map<number, { taskId?: string; error?: string }>): number => {
    const out: string[] = [];
    batch.lines.forEach((line, i) => out.push(JSON.stringify({ line, ...(byIndex.get(i) ?? { error: 'no outcome reported by Toloka' }) })));
    fs.appendFileSync(resultsFile, `${out.join('\n')}\n`);
    return fs.statSync(resultsFile).size;
  };

  /** Sends one batch (or finds it already sent), waits for its operation, records the outcome. */
  const runBatch = async (batch: Batch): Promise<void> => {
    const count = batch.lines.length;
    let operationId = previous?.sent.get(batch.number);
    let op: Operation | undefined;
    if (operationId) {
      // Sent before, outcome unknown: ask Toloka before sending anything again.
      op = await o.client.operations.get(operationId, { signal: o.signal }).catch((err: unknown) => {
        if (isTolokaError(err, 'not-found')) return undefined;
        throw err;
      });
      log?.info(`Batch ${batch.number}: operation ${operationId} ${op ? `found (${op.status})` : 'never reached Toloka; sending it again'}`);
    }
    if (!op) {
      await limiter.take(count, o.signal);
      operationId ??= randomUUID();
      note({ t: 'sent', batch: batch.number, operationId, count });
      sent += count;
      report();
      const items = batch.items ?? [];
      batch.items = undefined;
      try {
        op = await o.client.tasks.createAsync(items, { operationId, allowDefaults: o.allowDefaults, openPool: o.openPool, skipInvalidItems: skipInvalid, signal: o.signal });
      } catch (err) {
        if (!isTolokaError(err, 'conflict') || err.code !== 'OPERATION_ALREADY_EXISTS') throw err;
        // A retry of a request that did arrive: the operation is there.
        op = await o.client.operations.get(operationId, { signal: o.signal });
      }
      log?.info(`Batch ${batch.number} (${count} tasks, lines ${batch.lines[0] ?? '?'}–${batch.lines[count - 1] ?? '?'}): operation ${operationId}`);
    } else {
      sent += count;
    }
    const final = await o.client.operations.wait(op, { signal: o.signal, firstDelayMs: 200, intervalMs: 500 });
    const byIndex = new Map<number, { taskId?: string; error?: string }>();
    let ok = 0;
    let bad = 0;
    if (final.status === 'SUCCESS' || final.status === 'FAIL') {
      const entries = await o.client.operations.outcomes(final.id, { signal: o.signal }).catch(() => []);
      // Log entries come in request order; their input echoes what was sent.
      entries.forEach((e, i) => {
        if (e.success && typeof e.output?.['task_id'] === 'string') {
          byIndex.set(i, { taskId: e.output['task_id'] });
          ok++;
        } else {
          byIndex.set(i, { error: JSON.stringify(e.output ?? {}) });
          bad++;
        }
      });
      if (entries.length === 0 && final.status === 'SUCCESS') ok = Number(final.details?.['success_count'] ?? count);
      if (final.status === 'FAIL' && entries.length === 0) bad = count;
    }
    sent -= count;
    created += ok;
    failed += bad;
    note({ t: 'done', batch: batch.number, operationId: final.id, created: ok, failed: bad, resultsBytes: writeResults(batch, byIndex) });
    report();
  };

  // Pass 2: batches of valid tasks, a bounded number in flight.
  const running = new Set<Promise<void>>();
  let firstError: unknown;
  let number = 0;
  let current: TaskRecord[] = [];
  const launch = async (records: TaskRecord[]): Promise<void> => {
    const batch: Batch = { number: number++, lines: Int32Array.from(records, (r) => r.line), items: records.map((r) => r.task) };
    if (previous?.done.has(batch.number)) return;
    while (running.size >= inFlight) await Promise.race(running);
    if (firstError) return;
    const p = runBatch(batch).catch((err: unknown) => {
      firstError ??= err;
    });
    const tracked = p.finally(() => running.delete(tracked));
    running.add(tracked);
  };
  try {
    for await (const r of readTasks(o.file, o.format, o.poolId, o.spec, o.signal, false)) {
      if (firstError || o.signal?.aborted) break;
      if (skip.has(r.index) || !r.task) continue;
      current.push(r);
      if (current.length === batchSize) {
        await launch(current);
        current = [];
      }
    }
    if (current.length > 0 && !firstError && !o.signal?.aborted) await launch(current);
    await Promise.all(running);
  } finally {
    fs.closeSync(journal);
  }
  if (firstError) throw firstError;
  if (o.signal?.aborted) throw new Error('cancelled');
  return { total, created, resumed, failed, invalid, problems: [], uploaded: true };
}
