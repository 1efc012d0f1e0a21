/**
 * Uploads a task file to a pool exactly once. Every batch goes out as an asynchronous
 * creation with its own operation_id, recorded in a journal before it is sent and after its
 * outcome is known. A second run over the same content reads the journal: confirmed batches
 * are skipped, and a batch whose outcome is unknown is looked up by its operation_id before
 * anything is sent again. One run per file and pool at a time (a lock beside the journal).
 * When the file's content changed since an earlier run, the caller chooses: upload only the
 * records not in the pool yet, or start over knowingly. No `vscode` import.
 */
import * as fs from 'node:fs';
import type { TolokaClient } from '../toloka/client';
import { CancelledError } from '../toloka/errors';
import type { CallOptions, QuotaInterval, RateLimitPolicy } from '../toloka/http';
import type { Logger } from '../toloka/logger';
import type { TaskSpec } from '../toloka/models';
import { contentHash } from './contentHash';
import type { Format } from './records';
import { readTasks } from './tasks';
import { createdDigests, inputDigest } from './uploadReconcile';
import { archiveJournal, Journal, journalFileFor, readJournal, resultsFileFor, sameUpload, type JournalStart, type JournalState } from './uploadJournal';
import { lockFileFor, UploadLock } from './uploadLock';
import { BatchSender, DEFAULT_BATCH, sendBatches, type Tally } from './uploadBatches';

export { journalFileFor, resultsFileFor } from './uploadJournal';
export { UploadLocked } from './uploadLock';

export interface UploadProgress {
  /** Valid tasks in the file (less those already in the pool from an earlier version of it). */
  readonly total: number;
  /** Tasks sent in batches whose outcome is not known yet. */
  readonly sent: number;
  /** Tasks Toloka confirmed created (this run and earlier runs). */
  readonly confirmed: number;
  readonly failed: number;
  /** Confirmed tasks per second in this run. */
  readonly rate: number;
  /** While Toloka's rate limit holds the upload: until when (epoch ms), and which quota. */
  readonly waiting?: { readonly until: number; readonly quota: QuotaInterval | undefined } | undefined;
}

/** What the journal of an earlier version of the file records, for the caller to decide. */
export interface ChangedFile {
  readonly poolId: string;
  /** Tasks that earlier upload created in the pool. */
  readonly created: number;
  /** Its batches sent whose outcome is not known yet (they may have created more). */
  readonly unknownBatches: number;
  /** When that upload started (ISO time). */
  readonly since: string;
}

/**
 * 'only-new': upload the records that are not in the pool yet (matched by their input values
 * against the tasks the earlier upload created); 'start-over': upload every record again,
 * knowing that this duplicates the tasks already created.
 */
export type ChangedFileChoice = 'only-new' | 'start-over';

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
  /** Asked when the file changed since an earlier, unfinished or finished, upload into the pool. */
  readonly onChangedFile?: (info: ChangedFile) => Promise<ChangedFileChoice>;
  readonly logger?: Logger;
  /** The lock's timings (tests). */
  readonly lock?: { readonly staleMs?: number; readonly heartbeatMs?: number };
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
  /** Records left out because an earlier version of the file already created them in the pool. */
  readonly alreadyInPool: number;
  readonly failed: number;
  readonly invalid: number;
  /** The first invalid records (up to 1,000), when nothing was uploaded because of them. */
  readonly problems: readonly InvalidTask[];
  readonly uploaded: boolean;
  /** Where the journal of an earlier version of the file was moved, if it was. */
  readonly previousJournal?: string | undefined;
}

/** The file's content changed and no one said what to do about the tasks already created. */
export class ChangedFileError extends Error {
  constructor(readonly info: ChangedFile) {
    super(`the file changed since an upload into pool ${info.poolId} that created ${info.created.toLocaleString('en-US')} task(s)${info.unknownBatches ? ` (and sent ${info.unknownBatches} batch(es) whose outcome is not known yet)` : ''}: choose to upload only the records not in the pool yet, or to start over (which duplicates those tasks)`);
    this.name = 'ChangedFileError';
  }
}

// 5,000 per batch: half the in-flight buffers of 10,000 at the same throughput (npm run bench -- upload).

interface Checked {
  total: number;
  invalid: number;
  problems: InvalidTask[];
  /** Records left out in the second pass, which does not check again. */
  skip: Set<number>;
  alreadyInPool: number;
  /** Which of them are in the pool already. */
  existing: number[];
}

/**
 * Pass 1: every task read and checked before anything is sent. With `existing` (input digests
 * of tasks an earlier version of the file created), records matching them are left out, each
 * digest as many times as it was created.
 */
async function checkFile(o: UploadOptions, existing: Map<string, number> | undefined): Promise<Checked> {
  const c: Checked = { total: 0, invalid: 0, problems: [], skip: new Set(), alreadyInPool: 0, existing: [] };
  for await (const r of readTasks(o.file, o.format, o.poolId, o.spec, o.signal)) {
    if (r.problems.length > 0 || !r.task) {
      c.invalid++;
      c.skip.add(r.index);
      if (c.problems.length < 1000) c.problems.push({ line: r.line, problems: r.problems });
      continue;
    }
    if (existing) {
      const d = inputDigest(r.task['input_values']);
      const left = existing.get(d) ?? 0;
      if (left > 0) {
        existing.set(d, left - 1);
        c.skip.add(r.index);
        c.existing.push(r.index);
        c.alreadyInPool++;
        continue;
      }
    }
    c.total++;
  }
  return c;
}

/** What an earlier journal of this file and pool means for this run. */
interface Plan {
  /** Resume it (same content and batching). */
  readonly resume: JournalState | undefined;
  /** Input digests of the tasks an earlier version created, to leave out ('only-new'). */
  readonly existing: Map<string, number> | undefined;
  /** A journal of another version, to move aside once this upload starts. */
  readonly replace: boolean;
}

async function plan(o: UploadOptions, journalFile: string, resultsFile: string, start: JournalStart, call: CallOptions): Promise<Plan> {
  const previous = readJournal(journalFile);
  if (!previous) return { resume: undefined, existing: undefined, replace: false };
  if (sameUpload(previous.start, start)) return { resume: previous, existing: undefined, replace: false };
  const created = [...previous.done.values()].reduce((n, d) => n + d.created, 0);
  if (created === 0 && previous.sent.size === 0) return { resume: undefined, existing: undefined, replace: true };
  const info: ChangedFile = { poolId: o.poolId, created, unknownBatches: previous.sent.size, since: previous.start.started };
  if (!o.onChangedFile) throw new ChangedFileError(info);
  const choice = await o.onChangedFile(info);
  if (choice === 'start-over') {
    o.logger?.warn(`${o.file} changed since an upload into pool ${o.poolId} that created ${created} task(s); starting over as asked: those tasks will be in the pool twice`);
    return { resume: undefined, existing: undefined, replace: true };
  }
  const existing = await createdDigests(o.client, o.poolId, previous, resultsFile, call);
  o.logger?.info(`${o.file} changed since an earlier upload into pool ${o.poolId}: ${[...existing.values()].reduce((a, b) => a + b, 0)} task(s) it created are left out by their input values`);
  return { resume: undefined, existing, replace: true };
}

export async function uploadTasks(o: UploadOptions): Promise<UploadResult> {
  const skipInvalid = o.skipInvalid ?? false;
  const journalFile = o.journalFile ?? journalFileFor(o.file, o.poolId, o.client.core.baseUrl);
  const resultsFile = o.resultsFile ?? resultsFileFor(o.file, o.poolId, o.client.core.baseUrl);
  const started = Date.now();
  const tally: Tally = { resumed: 0, created: 0, failed: 0, sent: 0, waiting: undefined };
  let total = 0;
  const report = (): void =>
    o.onProgress?.({ total, sent: tally.sent, confirmed: tally.resumed + tally.created, failed: tally.failed, rate: tally.created / Math.max(0.001, (Date.now() - started) / 1000), waiting: tally.waiting });
  // Toloka's rate limits are waited out, however long, until the user cancels.
  const rateLimits: RateLimitPolicy = {
    mode: 'patient',
    onWait: (ms, quota) => {
      tally.waiting = { until: Date.now() + ms, quota };
      report();
      setTimeout(() => {
        if (tally.waiting && tally.waiting.until <= Date.now()) tally.waiting = undefined;
      }, ms).unref();
    },
  };
  const call: CallOptions = { signal: o.signal, rateLimits };

  const lock = UploadLock.acquire(lockFileFor(journalFile), {
    what: `The upload of ${o.file} into pool ${o.poolId}`,
    ...o.lock,
    onTakeOver: (previous, why) => o.logger?.warn(`Took over the upload lock of ${o.file} for pool ${o.poolId} from process ${previous.pid} on ${previous.host}: ${why}`),
  });
  try {
    const { sha256, size } = await contentHash(o.file, o.signal);
    const start: JournalStart = { t: 'start', version: 2, file: o.file, sha256, size, poolId: o.poolId, batchSize: o.batchSize ?? DEFAULT_BATCH, skipInvalid, started: new Date().toISOString() };
    const p = await plan(o, journalFile, resultsFile, start, call);

    const checked = await checkFile(o, p.existing);
    for (const i of p.resume?.skip ?? []) {
      if (!checked.skip.has(i)) {
        checked.skip.add(i);
        checked.total--;
        checked.alreadyInPool++;
      }
    }
    total = checked.total;
    const result = (created: number, resumed: number, failed: number, uploaded: boolean, previousJournal?: string): UploadResult => ({
      total, created, resumed, alreadyInPool: checked.alreadyInPool, failed, invalid: checked.invalid, problems: uploaded ? [] : checked.problems, uploaded, previousJournal,
    });
    if (o.signal?.aborted) throw new CancelledError();
    if ((checked.invalid > 0 && !skipInvalid) || checked.total === 0) return result(0, 0, 0, false);

    let previousJournal: string | undefined;
    if (p.replace) previousJournal = archiveJournal(journalFile, resultsFile).journal;
    const previous = p.resume;
    if (!previous) fs.writeFileSync(resultsFile, '');
    else {
      // Results written after the last confirmed batch are rewritten when their batch is resolved.
      if (fs.existsSync(resultsFile)) fs.truncateSync(resultsFile, previous.resultsBytes);
      o.logger?.info(`Resuming the upload of ${o.file}: ${previous.done.size} batch(es) confirmed, ${previous.sent.size} to check`);
    }
    const journal = Journal.open(journalFile, previous ? undefined : start);
    // What the earlier version created is left out on every resume of this run too.
    if (!previous && checked.existing.length > 0) journal.note({ t: 'skip', indexes: checked.existing, reason: 'in the pool from an earlier version of the file' });
    for (const d of previous?.done.values() ?? []) {
      tally.resumed += d.created;
      tally.failed += d.failed;
    }
    report();
    try {
      await sendBatches(o, checked.skip, previous, new BatchSender(o, call, journal, previous, resultsFile, tally, report));
    } finally {
      journal.close();
    }
    if (o.signal?.aborted) throw new CancelledError();
    return result(tally.created, tally.resumed, tally.failed, true, previousJournal);
  } finally {
    lock.release();
  }
}
