/**
 * Pass 2 of an upload: the valid tasks in batches, each sent as an asynchronous creation with
 * its own operation_id, journaled before it goes and after its outcome is known, a bounded
 * number in flight. No `vscode` import.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import type { TolokaClient } from '../toloka/client';
import { isTolokaError } from '../toloka/errors';
import type { CallOptions } from '../toloka/http';
import { jsonBytes, solutionBytes, TolokaLimits } from '../toloka/limits';
import type { Operation } from '../toloka/models';
import { Limiter } from './limiter';
import { readTasks, type TaskRecord } from './tasks';
import type { UploadOptions, UploadProgress } from './upload';
import type { Journal, JournalState } from './uploadJournal';

export const DEFAULT_BATCH = 5000;

interface Batch {
  readonly number: number;
  /** Line of each task, for the results file; kept after the tasks themselves are sent. */
  readonly lines: Int32Array;
  /** The tasks, until they are sent: a batch waits on its operation without them. */
  items: unknown[] | undefined;
}

/** Counts of one run, reported as progress. */
export interface Tally {
  resumed: number;
  created: number;
  failed: number;
  sent: number;
  waiting: UploadProgress['waiting'];
}

/** Per-line outcomes of a finished batch operation, from its log. */
async function outcomesOf(client: TolokaClient, op: Operation, count: number, call: CallOptions): Promise<{ byIndex: Map<number, { taskId?: string; error?: string }>; ok: number; bad: number }> {
  const byIndex = new Map<number, { taskId?: string; error?: string }>();
  let ok = 0;
  let bad = 0;
  const entries = await client.operations.outcomes(op.id, call).catch((err: unknown) => {
    if (call.signal?.aborted) throw err;
    return [];
  });
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
export class BatchSender {
  private readonly limiter: Limiter;

  constructor(
    private readonly o: UploadOptions,
    private readonly call: CallOptions,
    private readonly journal: Journal,
    private readonly previous: JournalState | undefined,
    private readonly resultsFile: string,
    private readonly tally: Tally,
    private readonly report: () => void,
  ) {
    this.limiter = new Limiter(o.tasksPerMinute ?? TolokaLimits.tasksPerMinute);
  }

  private writeResults(batch: Batch, byIndex: Map<number, { taskId?: string; error?: string }>): number {
    const out: string[] = [];
    batch.lines.forEach((line, i) => out.push(JSON.stringify({ line, ...(byIndex.get(i) ?? { error: 'no outcome reported by Toloka' }) })));
    fs.appendFileSync(this.resultsFile, `${out.join('\n')}\n`);
    return fs.statSync(this.resultsFile).size;
  }

  /** The operation of a batch an earlier run sent, or undefined when it never reached Toloka. */
  private async lookUp(batch: Batch, operationId: string): Promise<Operation | undefined> {
    const op = await this.o.client.operations.get(operationId, this.call).catch((err: unknown) => {
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
      op = await o.client.tasks.createAsync(items, { operationId, allowDefaults: o.allowDefaults, openPool: o.openPool, skipInvalidItems: o.skipInvalid ?? false, ...this.call });
    } catch (err) {
      if (!isTolokaError(err, 'conflict') || err.code !== 'OPERATION_ALREADY_EXISTS') throw err;
      // A retry of a request that did arrive: the operation is there.
      op = await o.client.operations.get(operationId, this.call);
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
    const final = await o.client.operations.wait(op, { ...this.call, firstDelayMs: 200, intervalMs: 500 });
    const { byIndex, ok, bad } = await outcomesOf(o.client, final, count, this.call);
    tally.sent -= count;
    tally.created += ok;
    tally.failed += bad;
    this.journal.note({ t: 'done', batch: batch.number, operationId: final.id, created: ok, failed: bad, resultsBytes: this.writeResults(batch, byIndex) });
    this.report();
  }
}

/**
 * Pass 2: batches of the valid tasks, a bounded number in flight; the first failure stops the
 * rest. A batch ends at `batchSize` tasks or where Toloka's per-request limits on the bytes of
 * input values and known solutions would be passed, whichever comes first: the same cuts
 * for the same content, run after run.
 */
export async function sendBatches(o: UploadOptions, skip: ReadonlySet<number>, previous: JournalState | undefined, sender: BatchSender): Promise<void> {
  const batchSize = o.batchSize ?? DEFAULT_BATCH;
  const inFlight = o.inFlight ?? 4;
  const running = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  let number = 0;
  let current: TaskRecord[] = [];
  let inputBytes = 0;
  let outputBytes = 0;
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
    const input = jsonBytes(r.task['input_values']);
    const output = solutionBytes(r.task);
    if (current.length > 0 && (inputBytes + input > TolokaLimits.inputValuesBytesPerRequest || outputBytes + output > TolokaLimits.outputValuesBytesPerRequest)) {
      await launch(current);
      current = [];
      inputBytes = 0;
      outputBytes = 0;
    }
    current.push(r);
    inputBytes += input;
    outputBytes += output;
    if (current.length === batchSize) {
      await launch(current);
      current = [];
      inputBytes = 0;
      outputBytes = 0;
    }
  }
  if (current.length > 0 && !failure && !o.signal?.aborted) await launch(current);
  await Promise.all(running);
  if (failure) throw failure.error instanceof Error ? failure.error : new Error(String(failure.error));
}

