/**
 * The journal of an upload of one file into one pool, `<file>.toloka-upload-<pool>-<server>.jsonl`: what
 * was sent under which operation_id, written (and fsynced) before a batch goes out and after
 * its outcome is known, so a later run can tell what is done, what to look up, and what was
 * never sent. An upload is known by its content (a SHA-256 of the file's bytes), its pool and
 * how it cuts batches: touching or re-saving the file unchanged resumes it. No vscode import.
 */
import * as fs from 'node:fs';
import { z } from 'zod';

/**
 * Which server an upload went to, for file names: pool ids are only unique within one Toloka
 * (the local sandbox, sandbox.toloka.dev and toloka.dev can each have a pool 1000001).
 */
export function serverTag(apiRoot: string): string {
  const u = new URL(apiRoot);
  return u.host.replace(/[^A-Za-z0-9.-]+/g, '_');
}

export const journalFileFor = (file: string, poolId: string, apiRoot: string): string => `${file}.toloka-upload-${poolId}-${serverTag(apiRoot)}.jsonl`;
export const resultsFileFor = (file: string, poolId: string, apiRoot: string): string => `${file}.toloka-results-${poolId}-${serverTag(apiRoot)}.jsonl`;

const Start = z.object({
  t: z.literal('start'),
  version: z.literal(2),
  file: z.string(),
  sha256: z.string(),
  size: z.number(),
  poolId: z.string(),
  batchSize: z.number(),
  skipInvalid: z.boolean(),
  started: z.string(),
});
const Skip = z.object({ t: z.literal('skip'), indexes: z.array(z.number().int()), reason: z.string() });
const Sent = z.object({ t: z.literal('sent'), batch: z.number().int(), operationId: z.string(), count: z.number().int() });
const Done = z.object({ t: z.literal('done'), batch: z.number().int(), operationId: z.string(), created: z.number().int(), failed: z.number().int(), resultsBytes: z.number().int() });
const Entry = z.discriminatedUnion('t', [Start, Skip, Sent, Done]);

export type JournalStart = z.infer<typeof Start>;
export type JournalEntry = z.infer<typeof Entry>;

/** What an earlier run of the same upload got to. */
export interface JournalState {
  readonly start: JournalStart;
  readonly done: Map<number, { created: number; failed: number; operationId: string }>;
  /** Batches sent whose outcome is not known: looked up by operation id before anything is resent. */
  readonly sent: Map<number, string>;
  /** Records of the file not to upload (already in the pool from an earlier version of the file). */
  readonly skip: ReadonlySet<number>;
  /** Length of the results file after the last confirmed batch. */
  readonly resultsBytes: number;
}

/** Whether a journal's upload is this one: the same bytes, pool and batching. */
export function sameUpload(a: JournalStart, b: Pick<JournalStart, 'sha256' | 'size' | 'poolId' | 'batchSize' | 'skipInvalid'>): boolean {
  return a.sha256 === b.sha256 && a.size === b.size && a.poolId === b.poolId && a.batchSize === b.batchSize && a.skipInvalid === b.skipInvalid;
}

/** The state a journal records, or undefined when there is none (or it holds no start). */
export function readJournal(journalFile: string): JournalState | undefined {
  if (!fs.existsSync(journalFile)) return undefined;
  const entries: JournalEntry[] = [];
  for (const l of fs.readFileSync(journalFile, 'utf8').split('\n')) {
    if (!l) continue;
    let raw: unknown;
    try {
      raw = JSON.parse(l);
    } catch {
      continue; // A line cut by a crash is the last one; what it would have said is found out again.
    }
    const e = Entry.safeParse(raw);
    if (e.success) entries.push(e.data);
  }
  const first = entries[0];
  if (!first || first.t !== 'start') return undefined;
  const done = new Map<number, { created: number; failed: number; operationId: string }>();
  const sent = new Map<number, string>();
  const skip = new Set<number>();
  let resultsBytes = 0;
  for (const e of entries) {
    if (e.t === 'sent') sent.set(e.batch, e.operationId);
    else if (e.t === 'skip') for (const i of e.indexes) skip.add(i);
    else if (e.t === 'done') {
      done.set(e.batch, { created: e.created, failed: e.failed, operationId: e.operationId });
      sent.delete(e.batch);
      resultsBytes = Math.max(resultsBytes, e.resultsBytes);
    }
  }
  return { start: first, done, sent, skip, resultsBytes };
}

/**
 * Moves an earlier upload's journal and results aside (`….previous-<time>.jsonl`), kept for the
 * record; they are never deleted.
 */
export function archiveJournal(journalFile: string, resultsFile: string): { journal: string; results: string | undefined } {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const journal = journalFile.replace(/\.jsonl$/, `.previous-${stamp}.jsonl`);
  fs.renameSync(journalFile, journal);
  let results: string | undefined;
  if (fs.existsSync(resultsFile)) {
    results = resultsFile.replace(/\.jsonl$/, `.previous-${stamp}.jsonl`);
    fs.renameSync(resultsFile, results);
  }
  return { journal, results };
}

/** An open journal: each entry is on disk before `note` returns. */
export class Journal {
  readonly #fd: number;

  private constructor(fd: number) {
    this.#fd = fd;
  }

  /** Opens the journal for appending; a new upload starts it with its `start` entry. */
  static open(journalFile: string, start: JournalStart | undefined): Journal {
    if (start) fs.writeFileSync(journalFile, `${JSON.stringify(start)}\n`);
    return new Journal(fs.openSync(journalFile, 'a'));
  }

  note(e: JournalEntry): void {
    fs.writeSync(this.#fd, `${JSON.stringify(e)}\n`);
    fs.fsyncSync(this.#fd);
  }

  close(): void {
    fs.closeSync(this.#fd);
  }
}
