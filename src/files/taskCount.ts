/**
 * How many tasks a task file holds, told apart as a pool's mixer tells them: real tasks, and
 * control (golden) tasks, those with known solutions. Streaming, so a cost estimate can look at a
 * file of millions of tasks. No `vscode` import.
 */
import { formatOf, readJsonArray, readJsonl, readTsvBatches, type Format, type RawRecord } from './records';

export interface TaskCount {
  readonly file: string;
  readonly real: number;
  readonly golden: number;
  /** Real tasks that set their own overlap, and the sum of those overlaps. */
  readonly ownOverlap: { readonly tasks: number; readonly sum: number };
  /** Records that could not be read (the upload would name them); left out of the counts. */
  readonly unreadable: number;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Counts the tasks in a JSON, JSON Lines or TSV task file. */
export async function countTasks(file: string, signal?: AbortSignal, format: Format | undefined = formatOf(file)): Promise<TaskCount> {
  if (!format) throw new Error(`${file}: not a task file (.json, .jsonl or .tsv)`);
  let real = 0;
  let golden = 0;
  let unreadable = 0;
  let own = 0;
  let ownSum = 0;
  const realTask = (overlap: number | undefined) => {
    real++;
    if (overlap !== undefined && Number.isFinite(overlap) && overlap > 0) {
      own++;
      ownSum += overlap;
    }
  };
  if (format === 'tsv') {
    let goldenColumns: number[] = [];
    let overlapColumn = -1;
    let header = true;
    for await (const batch of readTsvBatches(file, signal)) {
      for (const r of batch) {
        const cells = r.value as string[] | undefined;
        if (r.error || !cells) {
          if (!header) unreadable++;
          continue;
        }
        if (header) {
          header = false;
          goldenColumns = cells.flatMap((h, i) => (h.startsWith('GOLDEN:') ? [i] : []));
          overlapColumn = cells.indexOf('TASK:overlap');
          continue;
        }
        if (cells.every((c) => c === '')) continue;
        if (goldenColumns.some((i) => (cells[i] ?? '') !== '')) golden++;
        else realTask(overlapColumn >= 0 && cells[overlapColumn] ? Number(cells[overlapColumn]) : undefined);
      }
    }
  } else {
    const records: AsyncIterable<RawRecord> = format === 'jsonl' ? readJsonl(file, signal) : readJsonArray(file, signal);
    for await (const r of records) {
      if (r.error || !isObject(r.value)) {
        unreadable++;
        continue;
      }
      const known = r.value['known_solutions'];
      if (Array.isArray(known) && known.length > 0) golden++;
      else realTask(typeof r.value['overlap'] === 'number' ? r.value['overlap'] : undefined);
    }
  }
  return { file, real, golden, ownOverlap: { tasks: own, sum: ownSum }, unreadable };
}
