/**
 * Paying bonuses from a TSV file exactly once. Every row is checked before anything is sent;
 * then the bonuses go out in batches, each an asynchronous USER_BONUS.BATCH_CREATE with its
 * own operation_id, written to a journal (fsynced) before it is sent and after its outcome is
 * known. A rerun reads the journal: paid batches are skipped and a batch whose outcome is not
 * known is looked up by its operation_id before anything is sent again, so a crash or a lost
 * answer never pays a Toloker twice. No `vscode` import.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import { z } from 'zod';
import type { TolokaClient } from '../toloka/client';
import { isTolokaError, throwIfAborted } from '../toloka/errors';
import { BONUS_MAX, BONUS_MIN, type Operation, type UserBonusForm } from '../toloka/models';
import { contentHash } from './contentHash';
import { serverTag } from './uploadJournal';
import { UploadLock } from './uploadLock';

export const bonusJournalFor = (file: string, apiRoot: string): string => `${file}.toloka-bonuses-${serverTag(apiRoot)}.jsonl`;
export const bonusResultsFor = (file: string, apiRoot: string): string => `${file}.toloka-bonus-results-${serverTag(apiRoot)}.tsv`;

/** One row of the file, ready to send, with the line it came from. */
export interface BonusRow {
  readonly line: number;
  readonly bonus: UserBonusForm;
}

export interface BonusProblem {
  readonly line: number;
  readonly problems: readonly string[];
}

export interface BonusFile {
  readonly rows: readonly BonusRow[];
  readonly problems: readonly BonusProblem[];
  /** Sum of the amounts of the valid rows, in US dollars. */
  readonly total: number;
}

const WORKER_ID = /^[0-9a-f]{32}$/;
const LANG = /^[A-Z]{2}(-[A-Z]{2,4})?$/;

function splitTsvLine(line: string): string[] {
  return line.replace(/\r$/, '').split('\t');
}

/**
 * Reads and checks a bonus TSV: a header row naming `worker_id` (or `user_id`), `amount`, and
 * optionally `assignment_id`, `private_comment`, `without_message`, `public_title`,
 * `public_message` (one text for every language, sent as EN) or `public_title:DE`,
 * `public_message:DE`… per language. Problems are named by line (1-based, the header is line 1).
 */
export function readBonusFile(text: string): BonusFile {
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  const header = splitTsvLine(lines[0] ?? '').map((h) => h.trim());
  const col = (name: string): number => header.indexOf(name);
  const worker = col('worker_id') >= 0 ? col('worker_id') : col('user_id');
  const amountCol = col('amount');
  const headProblems: string[] = [];
  if (worker < 0) headProblems.push('the header has no worker_id column');
  if (amountCol < 0) headProblems.push('the header has no amount column');
  for (const h of header) {
    const m = /^(public_title|public_message)(?::(.+))?$/.exec(h);
    if (m?.[2] !== undefined && !LANG.test(m[2])) headProblems.push(`column ${h}: the language must be an upper-case code such as EN or PT-BR`);
    else if (!m && !['worker_id', 'user_id', 'amount', 'assignment_id', 'private_comment', 'without_message', ''].includes(h)) headProblems.push(`unknown column ${h}`);
  }
  if (headProblems.length > 0) return { rows: [], problems: [{ line: 1, problems: headProblems }], total: 0 };

  const rows: BonusRow[] = [];
  const problems: BonusProblem[] = [];
  const firstLineOf = new Map<string, number>();
  let total = 0;
  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i] ?? '';
    if (raw.trim() === '') continue;
    const line = i + 1;
    const cells = splitTsvLine(raw);
    const cell = (name: string): string => {
      const c = col(name);
      return c >= 0 ? (cells[c] ?? '').trim() : '';
    };
    const found: string[] = [];
    const userId = (cells[worker] ?? '').trim();
    if (!userId) found.push('worker_id is empty');
    else if (!WORKER_ID.test(userId)) found.push(`worker_id ${JSON.stringify(userId)} is not a Toloker id (32 hexadecimal digits)`);
    const amountText = (cells[amountCol] ?? '').trim();
    const amount = Number(amountText);
    if (!amountText) found.push('amount is empty');
    else if (!/^\d+(\.\d+)?$/.test(amountText) && !/^-/.test(amountText)) found.push(`amount ${JSON.stringify(amountText)} is not a number`);
    else if (!(amount > 0)) found.push(`amount ${amountText} must be more than 0`);
    else if (amount < BONUS_MIN) found.push(`amount ${amountText} is under Toloka's minimum of $${BONUS_MIN}`);
    else if (amount > BONUS_MAX) found.push(`amount ${amountText} is over Toloka's limit of $${BONUS_MAX} per bonus`);
    const withoutText = cell('without_message').toLowerCase();
    if (withoutText && !['true', 'false', '1', '0', 'yes', 'no'].includes(withoutText)) found.push(`without_message ${JSON.stringify(withoutText)} must be true or false`);
    const withoutMessage = ['true', '1', 'yes'].includes(withoutText);
    const texts = (field: 'public_title' | 'public_message'): Record<string, string> | undefined => {
      const out: Record<string, string> = {};
      header.forEach((h, c) => {
        const value = (cells[c] ?? '').trim();
        if (!value) return;
        if (h === field) out['EN'] ??= value;
        else if (h.startsWith(`${field}:`)) out[h.slice(field.length + 1)] = value;
      });
      return Object.keys(out).length > 0 ? out : undefined;
    };
    const title = texts('public_title');
    const message = texts('public_message');
    if (!withoutMessage && (!title || !message)) found.push('a bonus needs public_title and public_message, or without_message set to true');
    if (found.length > 0) {
      problems.push({ line, problems: found });
      continue;
    }
    const assignmentId = cell('assignment_id');
    const comment = cell('private_comment');
    const bonus: UserBonusForm = {
      user_id: userId,
      amount,
      ...(withoutMessage ? { without_message: true, public_title: null, public_message: null } : { without_message: false, public_title: title, public_message: message }),
      ...(assignmentId ? { assignment_id: assignmentId } : {}),
      ...(comment ? { private_comment: comment } : {}),
    };
    // Toloka refuses the same Toloker, amount, title, message and comment twice in a request;
    // and the same assignment rewarded twice is a mistake in the file.
    const key = JSON.stringify([userId, assignmentId || null, amount, title ?? null, message ?? null, comment || null]);
    const first = firstLineOf.get(key);
    if (first !== undefined) {
      problems.push({ line, problems: [`duplicate of line ${first}: the same Toloker, amount and message`] });
      continue;
    }
    firstLineOf.set(key, line);
    rows.push({ line, bonus });
    total += amount;
  }
  return { rows, problems, total: Math.round(total * 1000) / 1000 };
}

const Start = z.object({ t: z.literal('start'), version: z.literal(1), sha256: z.string(), size: z.number(), batchSize: z.number(), started: z.string() });
const Sent = z.object({ t: z.literal('sent'), batch: z.number().int(), operationId: z.string(), count: z.number().int() });
const Done = z.object({ t: z.literal('done'), batch: z.number().int(), operationId: z.string(), paid: z.number().int(), failed: z.number().int(), amount: z.number(), resultsBytes: z.number().int() });
const Entry = z.discriminatedUnion('t', [Start, Sent, Done]);
type Entry = z.infer<typeof Entry>;

interface JournalState {
  readonly start: z.infer<typeof Start>;
  readonly sent: Map<number, string>;
  readonly done: Map<number, z.infer<typeof Done>>;
  readonly resultsBytes: number;
}

function readJournal(file: string): JournalState | undefined {
  if (!fs.existsSync(file)) return undefined;
  const entries: Entry[] = [];
  for (const l of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!l) continue;
    try {
      const e = Entry.safeParse(JSON.parse(l));
      if (e.success) entries.push(e.data);
    } catch {
      // a line cut by a crash: what it would have said is found out again
    }
  }
  const first = entries[0];
  if (!first || first.t !== 'start') return undefined;
  const sent = new Map<number, string>();
  const done = new Map<number, z.infer<typeof Done>>();
  let resultsBytes = 0;
  for (const e of entries) {
    if (e.t === 'sent') sent.set(e.batch, e.operationId);
    else if (e.t === 'done') {
      done.set(e.batch, e);
      sent.delete(e.batch);
      resultsBytes = Math.max(resultsBytes, e.resultsBytes);
    }
  }
  return { start: first, sent, done, resultsBytes };
}

function appendSynced(fd: number, text: string): void {
  fs.writeSync(fd, text);
  fs.fsyncSync(fd);
}

export interface PayProgress {
  readonly batches: number;
  /** Batches whose outcome is known (this run and earlier ones). */
  readonly doneBatches: number;
  readonly paid: number;
  readonly failed: number;
  /** A batch was just sent (its outcome not known yet). */
  readonly sentBatch?: number | undefined;
}

export interface PayOptions {
  readonly client: TolokaClient;
  readonly file: string;
  readonly apiRoot: string;
  readonly batchSize?: number | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ((p: PayProgress) => void) | undefined;
  /** Operation polling (tests go faster). */
  readonly pollMs?: number | undefined;
}

export interface PayResult {
  readonly paid: number;
  readonly failed: number;
  /** Bonuses paid by an earlier run of the same file. */
  readonly resumed: number;
  /** What this file's bonuses cost, this run and earlier ones. */
  readonly amount: number;
  readonly resultsFile: string;
}

/** The file changed after bonuses were paid from it: paying it again could pay Tolokers twice. */
export class BonusFileChanged extends Error {
  constructor(readonly journalFile: string, paid: number) {
    super(`the file changed since ${paid} bonus(es) were paid from it (see ${journalFile}): paying it again could pay Tolokers twice. Put the new bonuses in a new file, or move the journal aside to pay every row again`);
    this.name = 'BonusFileChanged';
  }
}

/** The words for Toloka's 409 on a balance that cannot cover the bonuses. */
export function describeBonusError(err: unknown): string | undefined {
  if (isTolokaError(err, 'conflict') && err.code === 'NOT_ENOUGH_BALANCE') return `The account's balance does not cover these bonuses (${err.serverMessage}). Top up the account, or pay fewer bonuses.`;
  if (isTolokaError(err, 'conflict') && err.code === 'ENTITY_CONFLICT') return 'Toloka refused the same Toloker, amount, title, message and comment twice in one request: remove the duplicate rows.';
  return undefined;
}

/** The operation of a batch sent earlier, or undefined when it never reached Toloka. */
async function lookUp(client: TolokaClient, operationId: string, call: { signal?: AbortSignal | undefined }): Promise<Operation | undefined> {
  try {
    return await client.operations.get(operationId, call);
  } catch (err) {
    if (isTolokaError(err, 'not-found')) return undefined;
    throw err;
  }
}

const RESULTS_HEADER = 'line\tworker_id\tamount\tstatus\tbonus_id\terror\n';

/** Pays every valid row of a checked file; the caller has checked it has no problems and asked. */
export async function payBonuses(checked: BonusFile, o: PayOptions): Promise<PayResult> {
  if (checked.problems.length > 0) throw new Error(`${o.file}:${checked.problems[0]?.line ?? 0}: fix the ${checked.problems.length} row(s) with problems first; nothing was sent`);
  const journalFile = bonusJournalFor(o.file, o.apiRoot);
  const resultsFile = bonusResultsFor(o.file, o.apiRoot);
  const batchSize = o.batchSize ?? 100;
  const call = { signal: o.signal };
  const lock = UploadLock.acquire(journalFile.replace(/\.jsonl$/, '.lock'), { what: `Paying the bonuses of ${o.file}` });
  try {
    const { sha256, size } = await contentHash(o.file, o.signal);
    let previous = readJournal(journalFile);
    if (previous && (previous.start.sha256 !== sha256 || previous.start.size !== size)) {
      const paid = [...previous.done.values()].reduce((s, d) => s + d.paid, 0);
      if (paid > 0 || previous.sent.size > 0) throw new BonusFileChanged(journalFile, paid);
      previous = undefined;
    }
    const batchesOf = previous?.start.batchSize ?? batchSize;
    if (!previous) {
      fs.writeFileSync(journalFile, `${JSON.stringify({ t: 'start', version: 1, sha256, size, batchSize: batchesOf, started: new Date().toISOString() })}\n`);
      fs.writeFileSync(resultsFile, RESULTS_HEADER);
    } else if (fs.existsSync(resultsFile)) {
      // Rows of a batch whose outcome was being written when the run stopped are written again.
      fs.truncateSync(resultsFile, Math.max(previous.resultsBytes, Buffer.byteLength(RESULTS_HEADER)));
    } else fs.writeFileSync(resultsFile, RESULTS_HEADER);
    const journal = fs.openSync(journalFile, 'a');
    const results = fs.openSync(resultsFile, 'a');
    try {
      const batches: BonusRow[][] = [];
      for (let i = 0; i < checked.rows.length; i += batchesOf) batches.push(checked.rows.slice(i, i + batchesOf));
      let paid = 0;
      let failed = 0;
      let resumed = 0;
      let amount = 0;
      let doneBatches = 0;
      for (const d of previous?.done.values() ?? []) {
        resumed += d.paid;
        amount += d.amount;
        doneBatches++;
      }
      const report = (sentBatch?: number): void => o.onProgress?.({ batches: batches.length, doneBatches, paid: paid + resumed, failed, sentBatch });
      report();
      for (let b = 0; b < batches.length; b++) {
        if (previous?.done.has(b)) continue;
        throwIfAborted(o.signal);
        const rows = batches[b] as BonusRow[];
        let operationId = previous?.sent.get(b);
        let op = operationId ? await lookUp(o.client, operationId, call) : undefined;
        if (!op) {
          // Never sent, or sent and never reached Toloka: send it (again) under the journaled id.
          operationId ??= randomUUID();
          if (!previous?.sent.has(b)) appendSynced(journal, `${JSON.stringify({ t: 'sent', batch: b, operationId, count: rows.length })}\n`);
          try {
            op = await o.client.userBonuses.createAsync(rows.map((r) => r.bonus), { operationId, ...call });
          } catch (err) {
            // The first attempt was taken and its answer lost: the retry finds the id in use.
            if (!(isTolokaError(err, 'conflict') && err.code === 'OPERATION_ALREADY_EXISTS')) throw err;
            op = await o.client.operations.get(operationId, call);
          }
          report(b);
        }
        const final = await o.client.operations.wait(op, { ...call, firstDelayMs: o.pollMs ?? 300, intervalMs: o.pollMs ?? 1000 });
        const log = final.status === 'SUCCESS' || final.status === 'FAIL' ? await o.client.operations.log(final.id, call).catch(() => []) : [];
        let text = '';
        let batchPaid = 0;
        let batchAmount = 0;
        rows.forEach((r, i) => {
          const e = log[i];
          const id = e?.success ? e.output?.['user_bonus_id'] : undefined;
          if (typeof id === 'string') {
            batchPaid++;
            batchAmount += r.bonus.amount;
          }
          const error = typeof id === 'string' ? '' : e ? JSON.stringify(e.output ?? {}) : `operation ${final.id} ${final.status}: ${JSON.stringify(final.details ?? {})}`;
          text += `${r.line}\t${r.bonus.user_id}\t${r.bonus.amount}\t${typeof id === 'string' ? 'PAID' : 'FAILED'}\t${typeof id === 'string' ? id : ''}\t${error.replace(/[\t\n]/g, ' ')}\n`;
        });
        appendSynced(results, text);
        const resultsBytes = fs.fstatSync(results).size;
        appendSynced(journal, `${JSON.stringify({ t: 'done', batch: b, operationId: final.id, paid: batchPaid, failed: rows.length - batchPaid, amount: batchAmount, resultsBytes })}\n`);
        paid += batchPaid;
        failed += rows.length - batchPaid;
        amount += batchAmount;
        doneBatches++;
        report();
      }
      return { paid, failed, resumed, amount: Math.round(amount * 1000) / 1000, resultsFile };
    } finally {
      fs.closeSync(journal);
      fs.closeSync(results);
    }
  } finally {
    lock.release();
  }
}
