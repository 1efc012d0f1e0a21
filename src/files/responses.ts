/**
 * Responses for aggregation, read from a `worker,task,label` CSV (as crowd-kit and the shared
 * datasets use) or from a results TSV (one column of OUTPUT:), and aggregated labels written
 * out as `task,label,confidence` CSV. Streaming; no `vscode` import.
 */
import { ResponseBuilder, type Aggregated, type Responses } from '../aggregation';
import { CancelledError } from '../toloka/errors';
import { csvCell, readCsvTable, ResponsesFileError } from './csvTable';
import { assertReadableFile } from './fileChecks';
import { duplicateColumns, shortRow } from './records';
import { readTsvBatches } from './records';
import { TextWriter } from './textWriter';

export { ResponsesFileError } from './csvTable';

export interface ResponsesCsvOptions {
  /** The answer column: `label` (the default), or `text` for texts. */
  readonly answerColumn?: string;
  /** Checks each distinct answer when first met; a message refuses it, naming its line. */
  readonly checkAnswer?: (answer: string) => string | undefined;
  readonly signal?: AbortSignal;
}

/**
 * Reads a CSV with `worker`, `task` and `label` (or `text`) columns in any order (a header
 * row is required), 1 MiB at a time. Rows without an answer are skipped; a short row is an
 * error naming its line. Quoted cells are understood.
 */
export async function readResponsesCsv(file: string, o: ResponsesCsvOptions = {}): Promise<Responses> {
  const answer = o.answerColumn ?? 'label';
  const table = await readCsvTable(file, { columns: ['worker', 'task', answer], dictionaries: [0, 1, 2], skipIfEmpty: 2, ...(o.checkAnswer ? { check: { 2: o.checkAnswer } } : {}) }, o.signal);
  const [workers, tasks, labels] = table.codes as [Int32Array, Int32Array, Int32Array];
  const [workerNames, taskNames, labelNames] = table.names as [string[], string[], string[]];
  return { workers, tasks, labels, workerNames, taskNames, labelNames };
}

export interface ResultsResponses {
  readonly responses: Responses;
  /** Per task code, its INPUT: values (the first row seen), for writing the aggregate back. */
  readonly inputs: ReadonlyArray<readonly string[]>;
  readonly inputHeaders: readonly string[];
  /** Rows of control tasks (with a GOLDEN: value) that were left out. */
  readonly skippedControl: number;
}

/**
 * Responses from a results TSV: worker from `ASSIGNMENT:worker_id`, label from
 * `OUTPUT:<field>`, task from `ASSIGNMENT:task_id` or, without it, from the INPUT: values.
 */
export async function readResponsesFromResults(
  file: string,
  field: string,
  options: { excludeControl?: boolean; signal?: AbortSignal; checkAnswer?: (answer: string) => string | undefined } = {},
): Promise<ResultsResponses> {
  const checked = new Set<string>();
  const builder = new ResponseBuilder();
  const inputs: string[][] = [];
  let headers: string[] | undefined;
  let worker = -1;
  let task = -1;
  let label = -1;
  let inputCols: number[] = [];
  let goldenCols: number[] = [];
  let skippedControl = 0;
  await assertReadableFile(file, 'a results TSV');
  for await (const batch of readTsvBatches(file, options.signal)) for (const r of batch) {
    if (r.error) throw new ResponsesFileError(file, r.line, r.error);
    const cells = r.value as string[];
    if (!headers) {
      headers = cells.map((h) => h.trim());
      const twice = duplicateColumns(headers);
      if (twice) throw new ResponsesFileError(file, r.line, twice);
      worker = headers.indexOf('ASSIGNMENT:worker_id');
      task = headers.indexOf('ASSIGNMENT:task_id');
      label = headers.indexOf(`OUTPUT:${field}`);
      inputCols = headers.flatMap((h, i) => (h.startsWith('INPUT:') ? [i] : []));
      goldenCols = headers.flatMap((h, i) => (h.startsWith('GOLDEN:') ? [i] : []));
      const outputs = headers.filter((h) => h.startsWith('OUTPUT:')).map((h) => h.slice(7));
      if (label === -1) throw new ResponsesFileError(file, r.line, `no column OUTPUT:${field}; the file has ${outputs.length > 0 ? outputs.map((o) => `OUTPUT:${o}`).join(', ') : 'no OUTPUT: columns'}`);
      if (worker === -1) throw new ResponsesFileError(file, r.line, 'no column ASSIGNMENT:worker_id: download the results with that column to aggregate them');
      if (task === -1 && inputCols.length === 0) throw new ResponsesFileError(file, r.line, 'neither ASSIGNMENT:task_id nor INPUT: columns: nothing identifies the tasks');
      continue;
    }
    if (cells.every((c) => c === '')) continue; // a row delimiter
    if (cells.length < headers.length) throw new ResponsesFileError(file, r.line, shortRow(cells.length, headers.length));
    if (options.excludeControl && goldenCols.some((i) => (cells[i] ?? '') !== '')) {
      skippedControl++;
      continue;
    }
    const answer = cells[label] ?? '';
    if (answer === '') continue;
    if (options.checkAnswer && !checked.has(answer)) {
      const problem = options.checkAnswer(answer);
      if (problem !== undefined) throw new ResponsesFileError(file, r.line, `OUTPUT:${field}: ${problem}`);
      checked.add(answer);
    }
    const inputValues = task === -1 ? inputCols.map((i) => cells[i] ?? '') : undefined;
    const code = builder.add(cells[worker] ?? '', inputValues ? JSON.stringify(inputValues) : (cells[task] ?? ''), answer);
    // Task codes count up from 0 in order of first appearance: a new task's code is the next index.
    if (code === inputs.length) inputs.push(inputValues ?? inputCols.map((i) => cells[i] ?? ''));
  }
  if (options.signal?.aborted) throw new CancelledError(); // the reader stopped early: never aggregate half a file
  if (!headers) throw new ResponsesFileError(file, 1, 'the file is empty');
  return { responses: builder.build(), inputs, inputHeaders: inputCols.map((i) => headers[i] ?? ''), skippedControl };
}

/** Writes `task,label,confidence`, one line per task, streaming; a method without confidences (NaN) leaves it empty. */
export async function writeAggregatedCsv(file: string, r: Responses, a: Aggregated): Promise<void> {
  const out = await TextWriter.open(file);
  try {
    await out.write('task,label,confidence\n');
    for (let t = 0; t < r.taskNames.length; t++) {
      await out.write(`${csvCell(r.taskNames[t] ?? '')},${csvCell(r.labelNames[a.labels[t] as number] ?? '')},${confidenceCell(a.confidence[t] as number)}\n`);
    }
  } finally {
    await out.close();
  }
}

function confidenceCell(c: number): string {
  return Number.isNaN(c) ? '' : String(Number(c.toPrecision(6)));
}
