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
import { CancelledError, isTolokaError } from '../toloka/errors';
import type { Logger } from '../toloka/logger';
import type { Operation, TaskSpec } from '../toloka/models';
import { Limiter } from './limiter';
import type { Format } from './records';
import { readTasks, type TaskRecord } from './tasks';
import { Journal, journalFileFor, readJournal, type JournalState } from './uploadJournal';

export { journalFileFor } from './uploadJournal';

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

export const resultsFileFor = (file: string): string => `${file}.toloka-results.jsonl`;

/** Pass 1: every task read and checked before anything is sent. */
async function checkFile(o: UploadOptions): Promise<{ total: number; invalid: number; problems: InvalidTask[]; skip: Set<number> }> {
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
  return { total, invalid, problems, skip };
}

interface Batch {
  readonly number: number;
  /** Line of each task, for the results file; kept after the tasks themselves are sent. */
  readonly lines: Int32Array;
  /** The tasks, until they are sent: a batch waits on its operation without them. */
  items: unknown[] | undefined;
}

/** Counts of one run, reported as progress. */
interface Tally {
  resumed: number;
  created: number;
  failed: number;
  sent: number;
}

/** Per-line outcomes of a finished batch operation, from its log. */
async function outcomesOf(client: TolokaClient, op: Operation, count: number, signal: AbortSignal | undefined): Promise<{ byIndex: Map<number, { taskId?: string; error?: string }>; ok: number; bad: number }> {
  const byIndex = new Map<number, { taskId?: string; error?: string }>();
  let ok = 0;
  let bad = 0;
  const entries = await client.operations.outcomes(op.id, { signal }).catch(() => []);
  // Log entries come in request order.
  entries.forEach((e, i) => {
    if (e.success && typeof e.output?.['task_id'] === 'string') {
      byIndex.set(i, { taskId: e.output['task_id'] });
      ok++;
    } else {
      byIndex.set(i, { error: JSON.stringify(e.output ?? {}) });
      bad++;
    }
  });
  if (entries.length === 0 && op.status === 'SUCCESS') ok = Number(op.details?.['success_count'] ?? count);
  if (entries.length === 0 && op.status === 'FAIL') bad = count;
  return { byIndex, ok, bad };
}

/**
 * Sends one batch (or finds it already sent), waits for its operation, records the outcome
 * in the journal and the results file.
 */
class BatchSender {
  private readonly limiter: Limiter;

  constructor(
    private readonly o: UploadOptions,
    private readonly journal: Journal,
    private readonly previous: JournalState | undefined,
    private readonly resultsFile: string,
    private readonly tally: Tally,
    private readonly report: () => void,
  ) {
    this.limiter = new Limiter(o.tasksPerMinute ?? 200_000);
  }

  private writeResults(batch: Batch, byIndex: Map<number, { taskId?: string; error?: string }>): number {
    const out: string[] = [];
    batch.lines.forEach((line, i) => out.push(JSON.stringify({ line, ...(byIndex.get(i) ?? { error: 'no outcome reported by Toloka' }) })));
    fs.appendFileSync(this.resultsFile, `${out.join('\n')}\n`);
    return fs.statSync(this.resultsFile).size;
  }

  /** The operation of a batch an earlier run sent, or undefined when it never reached Toloka. */
  private async lookUp(batch: Batch, operationId: string): Promise<Operation | undefined> {
    const op = await this.o.client.operations.get(operationId, { signal: this.o.signal }).catch((err: unknown) => {
      if (isTolokaError(err, 'not-found')) return undefined;
      throw err;
    });
    this.o.logger?.info(`Batch ${batch.number}: operation ${operationId} ${op ? `found (${op.status})` : 'never reached Toloka; sending it again'}`);
    return op;
  }

  private async send(batch: Batch, known: string | undefined): Promise<Operation> {
    const { o, tally } = this;
    const count = batch.lines.length;
    await this.limiter.take(count, o.signal);
    const operationId = known ?? randomUUID();
    this.journal.note({ t: 'sent', batch: batch.number, operationId, count });
    tally.sent += count;
    this.report();
    const items = batch.items ?? [];
    batch.items = undefined;
    let op: Operation;
    try {
      op = await o.client.tasks.createAsync(items, { operationId, allowDefaults: o.allowDefaults, openPool: o.openPool, skipInvalidItems: o.skipInvalid ?? false, signal: o.signal });
    } catch (err) {
      if (!isTolokaError(err, 'conflict') || err.code !== 'OPERATION_ALREADY_EXISTS') throw err;
      // A retry of a request that did arrive: the operation is there.
      op = await o.client.operations.get(operationId, { signal: o.signal });
    }
    o.logger?.info(`Batch ${batch.number} (${count} tasks, lines ${batch.lines[0] ?? '?'}–${batch.lines[count - 1] ?? '?'}): operation ${operationId}`);
    return op;
  }

  async run(batch: Batch): Promise<void> {
    const { o, tally } = this;
    const count = batch.lines.length;
    const known = this.previous?.sent.get(batch.number);
    // Sent before, outcome unknown: ask Toloka before sending anything again.
    let op = known ? await this.lookUp(batch, known) : undefined;
    if (op) tally.sent += count;
    else op = await this.send(batch, known);
    const final = await o.client.operations.wait(op, { signal: o.signal, firstDelayMs: 200, intervalMs: 500 });
    const { byIndex, ok, bad } = await outcomesOf(o.client, final, count, o.signal);
    tally.sent -= count;
    tally.created += ok;
    tally.failed += bad;
    this.journal.note({ t: 'done', batch: batch.number, operationId: final.id, created: ok, failed: bad, resultsBytes: this.writeResults(batch, byIndex) });
    this.report();
  }
}

/** Pass 2: batches of the valid tasks, a bounded number in flight; the first failure stops the rest. */
async function sendBatches(o: UploadOptions, skip: ReadonlySet<number>, previous: JournalState | undefined, sender: BatchSender): Promise<void> {
  const batchSize = o.batchSize ?? DEFAULT_BATCH;
  const inFlight = o.inFlight ?? 4;
  const running = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  let number = 0;
  let current: TaskRecord[] = [];
  const launch = async (records: TaskRecord[]): Promise<void> => {
    const batch: Batch = { number: number++, lines: Int32Array.from(records, (r) => r.line), items: records.map((r) => r.task) };
    if (previous?.done.has(batch.number)) return;
    while (running.size >= inFlight) await Promise.race(running);
    if (failure) return;
    const tracked: Promise<void> = sender
      .run(batch)
      .catch((error: unknown) => {
        failure ??= { error };
      })
      .finally(() => running.delete(tracked));
    running.add(tracked);
  };
  for await (const r of readTasks(o.file, o.format, o.poolId, o.spec, o.signal, false)) {
    if (failure || o.signal?.aborted) break;
    if (skip.has(r.index) || !r.task) continue;
    current.push(r);
    if (current.length === batchSize) {
      await launch(current);
      current = [];
    }
  }
  if (current.length > 0 && !failure && !o.signal?.aborted) await launch(current);
  await Promise.all(running);
  if (failure) throw failure.error instanceof Error ? failure.error : new Error(String(failure.error));
}

// 5,000 per batch: half the in-flight buffers of 10,000 at the same throughput (npm run bench -- upload).
const DEFAULT_BATCH = 5000;

export async function uploadTasks(o: UploadOptions): Promise<UploadResult> {
  const skipInvalid = o.skipInvalid ?? false;
  const journalFile = o.journalFile ?? journalFileFor(o.file);
  const resultsFile = o.resultsFile ?? resultsFileFor(o.file);

  const { total, invalid, problems, skip } = await checkFile(o);
  if (o.signal?.aborted || (invalid > 0 && !skipInvalid) || total === 0) return { total, created: 0, resumed: 0, failed: 0, invalid, problems, uploaded: false };

  // The journal: resume what an earlier run of this same upload began.
  const stat = fs.statSync(o.file);
  const start = { t: 'start' as const, file: o.file, size: stat.size, mtimeMs: stat.mtimeMs, poolId: o.poolId, batchSize: o.batchSize ?? DEFAULT_BATCH, skipInvalid };
  const previous = readJournal(journalFile, start);
  if (!previous) fs.writeFileSync(resultsFile, '');
  else {
    // Results written after the last confirmed batch are rewritten when their batch is resolved.
    if (fs.existsSync(resultsFile)) fs.truncateSync(resultsFile, previous.resultsBytes);
    o.logger?.info(`Resuming the upload of ${o.file}: ${previous.done.size} batch(es) confirmed, ${previous.sent.size} to check`);
  }
  const journal = Journal.open(journalFile, start, !previous);

  const started = Date.now();
  const tally: Tally = { resumed: 0, created: 0, failed: 0, sent: 0 };
  for (const d of previous?.done.values() ?? []) {
    tally.resumed += d.created;
    tally.failed += d.failed;
  }
  const report = (): void => o.onProgress?.({ total, sent: tally.sent, confirmed: tally.resumed + tally.created, failed: tally.failed, rate: tally.created / Math.max(0.001, (Date.now() - started) / 1000) });
  report();
  try {
    await sendBatches(o, skip, previous, new BatchSender(o, journal, previous, resultsFile, tally, report));
  } finally {
    journal.close();
  }
  if (o.signal?.aborted) throw new CancelledError();
  return { total, created: tally.created, resumed: tally.resumed, failed: tally.failed, invalid, problems: [], uploaded: true };
}
