/**
 * The journal of an upload, `<file>.toloka-upload.jsonl`: what was sent under which
 * operation_id, written (and fsynced) before a batch goes out and after its outcome is known,
 * so a later run can tell what is done, what to look up, and what was never sent.
 */
import * as fs from 'node:fs';

export const journalFileFor = (file: string): string => `${file}.toloka-upload.jsonl`;

export type JournalEntry =
  | { t: 'start'; file: string; size: number; mtimeMs: number; poolId: string; batchSize: number; skipInvalid: boolean }
  | { t: 'sent'; batch: number; operationId: string; count: number }
  | { t: 'done'; batch: number; operationId: string; created: number; failed: number; resultsBytes: number };

export type JournalStart = Extract<JournalEntry, { t: 'start' }>;

/** What an earlier run of the same upload got to. */
export interface JournalState {
  readonly done: Map<number, { created: number; failed: number }>;
  /** Batches sent whose outcome is not known: looked up by operation id before anything is resent. */
  readonly sent: Map<number, string>;
  /** Length of the results file after the last confirmed batch. */
  readonly resultsBytes: number;
}

function sameUpload(a: JournalStart, b: JournalStart): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.poolId === b.poolId && a.batchSize === b.batchSize && a.skipInvalid === b.skipInvalid;
}

/** The state an existing journal records, or undefined when there is none for this upload. */
export function readJournal(journalFile: string, start: JournalStart): JournalState | undefined {
  if (!fs.existsSync(journalFile)) return undefined;
  const entries: JournalEntry[] = [];
  for (const l of fs.readFileSync(journalFile, 'utf8').split('\n')) {
    if (!l) continue;
    try {
      entries.push(JSON.parse(l) as JournalEntry);
    } catch {
      // A line cut by a crash is the last one; what it would have said is found out again.
    }
  }
  const first = entries[0];
  if (!first || first.t !== 'start') return undefined;
  if (!sameUpload(first, start)) {
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

/** An open journal: each entry is on disk before `note` returns. */
export class Journal {
  readonly #fd: number;

  private constructor(fd: number) {
    this.#fd = fd;
  }

  /** Opens the journal for appending; a new upload starts it with its `start` entry. */
  static open(journalFile: string, start: JournalStart, fresh: boolean): Journal {
    if (fresh) fs.writeFileSync(journalFile, `${JSON.stringify(start)}\n`);
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
