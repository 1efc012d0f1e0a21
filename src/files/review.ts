/**
 * The review round trip: a results TSV with `ACCEPT:verdict` (`+` accept, `-` reject) and
 * `ACCEPT:comment` filled in, applied to the assignments it names. A results file has one row
 * per task, so an assignment may appear on several rows: their verdicts must agree. Problems
 * name their line; nothing is sent while any row is wrong. No `vscode` import.
 */
import type { TolokaClient } from '../toloka/client';
import { isTolokaError } from '../toloka/errors';
import { duplicateColumns, readTsvRows, shortRow } from './records';

export interface ReviewDecision {
  readonly assignmentId: string;
  readonly accept: boolean;
  readonly comment: string;
  /** The first line that gave this verdict. */
  readonly line: number;
}

export interface ReviewProblem {
  readonly line: number;
  readonly message: string;
}

export interface ReviewFile {
  readonly decisions: readonly ReviewDecision[];
  readonly problems: readonly ReviewProblem[];
  /** Rows with no verdict (left for later). */
  readonly undecided: number;
}

const VERDICT = 'ACCEPT:verdict';
const COMMENT = 'ACCEPT:comment';
const ASSIGNMENT = 'ASSIGNMENT:assignment_id';

export async function readReviewFile(file: string, signal?: AbortSignal): Promise<ReviewFile> {
  const decisions = new Map<string, ReviewDecision>();
  const problems: ReviewProblem[] = [];
  let undecided = 0;
  let headers: string[] | undefined;
  let verdictCol = -1;
  let commentCol = -1;
  let idCol = -1;
  for await (const r of readTsvRows(file, signal)) {
    if (r.error) {
      problems.push({ line: r.line, message: r.error });
      continue;
    }
    const cells = r.value as string[];
    if (!headers) {
      headers = cells.map((h) => h.trim());
      const twice = duplicateColumns(headers);
      if (twice) {
        problems.push({ line: r.line, message: twice });
        break;
      }
      verdictCol = headers.indexOf(VERDICT);
      commentCol = headers.indexOf(COMMENT);
      idCol = headers.indexOf(ASSIGNMENT);
      const missing = [ASSIGNMENT, VERDICT].filter((h) => !headers?.includes(h));
      if (missing.length > 0) {
        problems.push({ line: r.line, message: `no column ${missing.join(' or ')}: add ${VERDICT} (+ or -) and ${COMMENT} to a results file downloaded with ${ASSIGNMENT}` });
        break;
      }
      continue;
    }
    if (cells.every((c) => c === '')) continue;
    if (cells.length < headers.length) {
      problems.push({ line: r.line, message: shortRow(cells.length, headers.length) });
      continue;
    }
    const verdict = (cells[verdictCol] ?? '').trim();
    const comment = commentCol >= 0 ? (cells[commentCol] ?? '').trim() : '';
    const id = (cells[idCol] ?? '').trim();
    if (verdict === '') {
      undecided++;
      continue;
    }
    if (verdict !== '+' && verdict !== '-') {
      problems.push({ line: r.line, message: `${VERDICT} must be + (accept) or - (reject), not "${verdict}"` });
      continue;
    }
    if (id === '') {
      problems.push({ line: r.line, message: `${ASSIGNMENT} is empty` });
      continue;
    }
    if (verdict === '-' && comment === '') {
      problems.push({ line: r.line, message: `a rejection needs a comment in ${COMMENT}: the Toloker sees it` });
      continue;
    }
    if (comment.length > 2048) {
      problems.push({ line: r.line, message: `${COMMENT} is ${comment.length} characters; Toloka takes at most 2048` });
      continue;
    }
    const earlier = decisions.get(id);
    if (earlier && (earlier.accept !== (verdict === '+') || (comment !== '' && earlier.comment !== '' && earlier.comment !== comment))) {
      problems.push({ line: r.line, message: `assignment ${id} already has a different verdict or comment on line ${earlier.line}` });
      continue;
    }
    if (!earlier || (earlier.comment === '' && comment !== '')) decisions.set(id, { assignmentId: id, accept: verdict === '+', comment: comment || earlier?.comment || '', line: earlier?.line ?? r.line });
  }
  if (!headers) problems.push({ line: 1, message: 'the file is empty' });
  return { decisions: [...decisions.values()], problems, undecided };
}

export type ReviewOutcome = 'accepted' | 'rejected' | 'unchanged' | 'refused' | 'failed';

export interface ReviewResult {
  readonly counts: Readonly<Record<ReviewOutcome, number>>;
  /** Why each refused or failed assignment did not change, with its line. */
  readonly notes: readonly ReviewProblem[];
  readonly cancelled: boolean;
}

/**
 * Accepts or rejects each assignment. One already in the asked-for status is left alone
 * ("unchanged"); one whose status does not allow it (accepted already, for a rejection) is
 * "refused" with Toloka's reason.
 */
export async function applyReview(o: {
  client: TolokaClient;
  decisions: readonly ReviewDecision[];
  signal?: AbortSignal;
  onProgress?: (done: number) => void;
}): Promise<ReviewResult> {
  const counts: Record<ReviewOutcome, number> = { accepted: 0, rejected: 0, unchanged: 0, refused: 0, failed: 0 };
  const notes: ReviewProblem[] = [];
  let done = 0;
  for (const d of o.decisions) {
    if (o.signal?.aborted) return { counts, notes, cancelled: true };
    const want = d.accept ? 'ACCEPTED' : 'REJECTED';
    try {
      const current = await o.client.assignments.get(d.assignmentId, { signal: o.signal });
      if (current.status === want) counts.unchanged++;
      else {
        await (d.accept ? o.client.assignments.accept(d.assignmentId, d.comment, { signal: o.signal }) : o.client.assignments.reject(d.assignmentId, d.comment, { signal: o.signal }));
        counts[d.accept ? 'accepted' : 'rejected']++;
      }
    } catch (err) {
      if (o.signal?.aborted) return { counts, notes, cancelled: true };
      const refused = isTolokaError(err) && (err.status === 409 || err.status === 404);
      counts[refused ? 'refused' : 'failed']++;
      notes.push({ line: d.line, message: `assignment ${d.assignmentId}: ${err instanceof Error ? err.message : String(err)}` });
    }
    o.onProgress?.(++done);
  }
  return { counts, notes, cancelled: false };
}
