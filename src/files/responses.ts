/**
 * Responses for aggregation, read from a `worker,task,label` CSV (as crowd-kit and the shared
 * datasets use) or from a results TSV (one column of OUTPUT:), and aggregated labels written
 * out as `task,label,confidence` CSV. Streaming; no `vscode` import.
 */
import * as fs from 'node:fs';
import { IntColumn, ResponseBuilder, type Aggregated, type Responses } from '../aggregation';
import { readTsvBatches } from './records';
import { TextWriter } from './textWriter';

export class ResponsesFileError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    message: string,
  ) {
    super(`${file}:${line}: ${message}`);
    this.name = 'ResponsesFileError';
  }
}

/** Splits one CSV line; quoted cells may hold commas and doubled quotes (not newlines). */
function csvCells(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      cells.push(cell);
      cell = '';
    } else cell += c;
  }
  cells.push(cell);
  return cells;
}

/**
 * Interns byte strings as integer codes in order of first appearance, without making a JS
 * string per occurrence: open addressing on an FNV-1a hash, keys kept in one byte arena.
 * Only a new key is decoded to text. This is what makes reading a million-line CSV fast.
 */
class ByteInterner {
  private table = new Int32Array(1 << 12);
  private hashes = new Int32Array(1 << 10);
  /** Where each key ends in the arena; it starts where the one before it ends. */
  private ends = new Int32Array(1 << 10);
  private arena = new Uint8Array(1 << 16);
  private used = 0;
  readonly names: string[] = [];

  code(buf: Buffer, start: number, end: number, hash?: number): number {
    let h = hash ?? 0x811c9dc5;
    if (hash === undefined) for (let i = start; i < end; i++) h = Math.imul(h ^ (buf[i] as number), 0x01000193);
    const mask = this.table.length - 1;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const entry = this.table[slot] as number;
      if (entry === 0) return this.insert(slot, h, buf, start, end);
      const c = entry - 1;
      if (this.hashes[c] === h && this.same(c, buf, start, end)) return c;
    }
  }

  codeText(text: string): number {
    const bytes = Buffer.from(text, 'utf8');
    return this.code(bytes, 0, bytes.length);
  }

  private same(c: number, buf: Buffer, start: number, end: number): boolean {
    const from = c === 0 ? 0 : (this.ends[c - 1] as number);
    if ((this.ends[c] as number) - from !== end - start) return false;
    for (let i = 0; i < end - start; i++) if (this.arena[from + i] !== buf[start + i]) return false;
    return true;
  }

  private insert(slot: number, h: number, buf: Buffer, start: number, end: number): number {
    const c = this.names.length;
    const len = end - start;
    if (c === this.hashes.length) {
      this.hashes = grow(this.hashes);
      this.ends = grow(this.ends);
    }
    while (this.used + len > this.arena.length) {
      const bigger = new Uint8Array(this.arena.length * 2);
      bigger.set(this.arena);
      this.arena = bigger;
    }
    for (let i = 0; i < len; i++) this.arena[this.used + i] = buf[start + i] as number;
    this.used += len;
    this.hashes[c] = h;
    this.ends[c] = this.used;
    this.names.push(buf.toString('utf8', start, end));
    this.table[slot] = c + 1;
    if ((c + 1) * 2 > this.table.length) this.rehash();
    return c;
  }

  private rehash(): void {
    const table = new Int32Array(this.table.length * 2);
    const mask = table.length - 1;
    for (let c = 0; c < this.names.length; c++) {
      let slot = (this.hashes[c] as number) & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = c + 1;
    }
    this.table = table;
  }
}

function grow(a: Int32Array): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

const NL = 0x0a;
const CR = 0x0d;
const COMMA = 0x2c;
const QUOTE = 0x22;

const FNV = 0x811c9dc5;

interface CsvColumns {
  readonly worker: number;
  readonly task: number;
  readonly label: number;
  /** Cells needed per row: the rightmost of the three, plus one. */
  readonly width: number;
}

/**
 * Reads a CSV with `worker`, `task` and `label` columns in any order (a header row is
 * required), 1 MiB at a time. Rows without a label are skipped; a short row is an error
 * naming its line. Quoted cells are understood (a line with a quote takes a slower path).
 */
export async function readResponsesCsv(file: string, signal?: AbortSignal): Promise<Responses> {
  const workers = new ByteInterner();
  const tasks = new ByteInterner();
  const labels = new ByteInterner();
  // A row takes at least 6 bytes ("w,t,l\n"); most take 15 or more: size for that, grow if not.
  const rowsGuess = Math.ceil((await fs.promises.stat(file)).size / 12);
  const w = new IntColumn(rowsGuess);
  const t = new IntColumn(rowsGuess);
  const l = new IntColumn(rowsGuess);
  let cols: CsvColumns | undefined;
  let lineNo = 0;
  const cellStart = new Int32Array(64);
  const cellEnd = new Int32Array(64);
  const cellHash = new Int32Array(64);

  const readHeader = (line: string): CsvColumns => {
    const names = csvCells(line.replace(/^\uFEFF/, '').replace(/\r$/, '')).map((h) => h.trim().toLowerCase());
    const [worker, task, label] = [names.indexOf('worker'), names.indexOf('task'), names.indexOf('label')];
    const missing = ['worker', 'task', 'label'].filter((_, i) => [worker, task, label][i] === -1);
    if (missing.length > 0) throw new ResponsesFileError(file, 1, `the header must name the columns worker, task and label; missing: ${missing.join(', ')}`);
    const width = Math.max(worker, task, label) + 1;
    if (width > cellStart.length) throw new ResponsesFileError(file, 1, 'the worker, task and label columns must be among the first 64');
    return { worker, task, label, width };
  };
  const short = (n: number, c: CsvColumns): ResponsesFileError => new ResponsesFileError(file, lineNo, `expected at least ${c.width} columns, found ${n}`);
  const quotedRow = (line: string, c: CsvColumns): void => {
    const cells = csvCells(line.replace(/\r$/, ''));
    const [cw, ct, cl] = [cells[c.worker], cells[c.task], cells[c.label]];
    if (cw === undefined || ct === undefined || cl === undefined) throw short(cells.length, c);
    if (cl === '') return;
    w.push(workers.codeText(cw));
    t.push(tasks.codeText(ct));
    l.push(labels.codeText(cl));
  };
  /** The row whose n cells were just split: intern its three cells. */
  const commit = (buf: Buffer, n: number, c: CsvColumns): void => {
    if (n < c.width) throw short(n, c);
    // The row's last cell may end in the CR of a CRLF: drop it (and rehash that cell).
    const last = n - 1;
    const end = cellEnd[last] as number;
    if (end > (cellStart[last] as number) && buf[end - 1] === CR) {
      cellEnd[last] = end - 1;
      let h = FNV;
      for (let i = cellStart[last] as number; i < end - 1; i++) h = Math.imul(h ^ (buf[i] as number), 0x01000193);
      cellHash[last] = h;
    }
    if (cellEnd[c.label] === cellStart[c.label]) return; // no answer: nothing to count
    w.push(workers.code(buf, cellStart[c.worker] as number, cellEnd[c.worker] as number, cellHash[c.worker]));
    t.push(tasks.code(buf, cellStart[c.task] as number, cellEnd[c.task] as number, cellHash[c.task]));
    l.push(labels.code(buf, cellStart[c.label] as number, cellEnd[c.label] as number, cellHash[c.label]));
  };
  /** Splits and hashes every complete line of buf[0, filled) in one pass; returns where the unfinished line starts. */
  const scan = (buf: Buffer, filled: number, c: CsvColumns): number => {
    const width = c.width;
    let lineStart = 0;
    let n = 0;
    let from = 0;
    let h = FNV;
    let quoted = false;
    for (let i = 0; i < filled; i++) {
      const b = buf[i] as number;
      if (b === NL) {
        lineNo++;
        if (quoted) quotedRow(buf.toString('utf8', lineStart, i), c);
        else if (i > lineStart && !(i === lineStart + 1 && buf[lineStart] === CR)) {
          if (n < width) {
            cellStart[n] = from;
            cellEnd[n] = i;
            cellHash[n++] = h;
          }
          commit(buf, n, c);
        }
        lineStart = from = i + 1;
        n = 0;
        h = FNV;
        quoted = false;
      } else if (n >= width || quoted) continue;
      else if (b === COMMA) {
        cellStart[n] = from;
        cellEnd[n] = i;
        cellHash[n++] = h;
        from = i + 1;
        h = FNV;
      } else if (b === QUOTE) quoted = true;
      else h = Math.imul(h ^ b, 0x01000193);
    }
    return lineStart;
  };

  const fd = await fs.promises.open(file, 'r');
  try {
    // The unfinished last line of a chunk moves to the front, and the next read fills in after it.
    let buf = Buffer.allocUnsafe(1 << 20);
    let carried = 0;
    for (;;) {
      if (signal?.aborted) throw new Error('cancelled');
      if (carried === buf.length) {
        const bigger = Buffer.allocUnsafe(buf.length * 2); // a line longer than the buffer
        buf.copy(bigger, 0, 0, carried);
        buf = bigger;
      }
      const { bytesRead } = await fd.read(buf, carried, buf.length - carried, null);
      let filled = carried + bytesRead;
      if (bytesRead === 0) {
        if (carried === 0) break;
        buf[filled++] = NL; // a last line without a newline
        if (filled > buf.length) break;
      }
      let from = 0;
      if (!cols) {
        const nl = buf.indexOf(NL);
        if (nl === -1 || nl >= filled) {
          carried = filled;
          if (bytesRead === 0) break;
          continue;
        }
        cols = readHeader(buf.toString('utf8', 0, nl));
        lineNo = 1;
        from = nl + 1;
      }
      const consumed = from + scan(buf.subarray(from), filled - from, cols);
      buf.copy(buf, 0, consumed, filled);
      carried = filled - consumed;
      if (bytesRead === 0) break;
    }
  } finally {
    await fd.close();
  }
  if (!cols) throw new ResponsesFileError(file, 1, 'the file is empty; expected a worker,task,label header');
  return { workers: w.toArray(), tasks: t.toArray(), labels: l.toArray(), workerNames: workers.names, taskNames: tasks.names, labelNames: labels.names };
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
export async function readResponsesFromResults(file: string, field: string, options: { excludeControl?: boolean; signal?: AbortSignal } = {}): Promise<ResultsResponses> {
  const builder = new ResponseBuilder();
  const inputs: string[][] = [];
  let headers: string[] | undefined;
  let worker = -1;
  let task = -1;
  let label = -1;
  let inputCols: number[] = [];
  let goldenCols: number[] = [];
  let skippedControl = 0;
  for await (const batch of readTsvBatches(file, options.signal)) for (const r of batch) {
    if (r.error) throw new ResponsesFileError(file, r.line, r.error);
    const cells = r.value as string[];
    if (!headers) {
      headers = cells.map((h) => h.trim());
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
    if (options.excludeControl && goldenCols.some((i) => (cells[i] ?? '') !== '')) {
      skippedControl++;
      continue;
    }
    const answer = cells[label] ?? '';
    if (answer === '') continue;
    const inputValues = task === -1 ? inputCols.map((i) => cells[i] ?? '') : undefined;
    const code = builder.add(cells[worker] ?? '', inputValues ? JSON.stringify(inputValues) : (cells[task] ?? ''), answer);
    // Task codes count up from 0 in order of first appearance: a new task's code is the next index.
    if (code === inputs.length) inputs.push(inputValues ?? inputCols.map((i) => cells[i] ?? ''));
  }
  if (options.signal?.aborted) throw new Error('cancelled'); // the reader stopped early: never aggregate half a file
  if (!headers) throw new ResponsesFileError(file, 1, 'the file is empty');
  return { responses: builder.build(), inputs, inputHeaders: inputCols.map((i) => headers[i] ?? ''), skippedControl };
}

function csvCell(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** Writes `task,label,confidence`, one line per task, streaming. */
export async function writeAggregatedCsv(file: string, r: Responses, a: Aggregated): Promise<void> {
  const out = await TextWriter.open(file);
  try {
    await out.write('task,label,confidence\n');
    for (let t = 0; t < r.taskNames.length; t++) {
      await out.write(`${csvCell(r.taskNames[t] ?? '')},${csvCell(r.labelNames[a.labels[t] as number] ?? '')},${Number((a.confidence[t] as number).toPrecision(6))}\n`);
    }
  } finally {
    await out.close();
  }
}
