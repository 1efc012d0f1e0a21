/**
 * Fast reading of large CSV files into integer codes: named columns in any order (a header
 * row is required), each interned in a dictionary (columns may share one), read 1 MiB at a
 * time, without a JS string per cell. No `vscode` import.
 */
import { CancelledError } from '../toloka/errors';
import * as fs from 'node:fs';
import { IntColumn } from '../aggregation';
import { assertReadableFile } from './fileChecks';

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
export function csvCells(line: string): string[] {
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

/** A cell for a CSV line: quoted when it holds a comma, a quote or a line break. */
export function csvCell(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/**
 * Interns byte strings as integer codes in order of first appearance, without making a JS
 * string per occurrence: open addressing on an FNV-1a hash, keys kept in one byte arena.
 * Only a new key is decoded to text (and shown to `onNew`, which may refuse it). This is
 * what makes reading a million-line CSV fast.
 */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

class ByteInterner {
  private table = new Int32Array(1 << 12);
  private hashes = new Int32Array(1 << 10);
  /** Where each key ends in the arena; it starts where the one before it ends. */
  private ends = new Int32Array(1 << 10);
  private arena = new Uint8Array(1 << 16);
  private used = 0;
  readonly names: string[] = [];

  constructor(
    private readonly onNew?: (name: string) => void,
    /** Called (and must throw) when a new key's bytes are not UTF-8. */
    private readonly onBadText?: () => never,
  ) {}

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
    let name: string;
    try {
      // Each distinct key is decoded once: strictly, so a byte that is not UTF-8 is an error, not a U+FFFD in the output.
      name = strictUtf8.decode(buf.subarray(start, end));
    } catch {
      if (this.onBadText) this.onBadText();
      name = buf.toString('utf8', start, end);
    }
    this.onNew?.(name);
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
    this.names.push(name);
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

export interface TableSpec {
  /** The columns to read, as the header names them (any order, any case; other columns are ignored). */
  readonly columns: readonly string[];
  /** Which dictionary interns each column: columns with the same number share codes. */
  readonly dictionaries: readonly number[];
  /** Rows with this column empty are skipped (no answer). */
  readonly skipIfEmpty?: number;
  /** Checks each new value of a column (by index) when first met: a message refuses it, naming its line. */
  readonly check?: Readonly<Record<number, (value: string) => string | undefined>>;
  /** Keep each row's line number (for messages about rows after reading). */
  readonly keepLines?: boolean;
}

export interface Table {
  /** Per column, each row's code in its dictionary. */
  readonly codes: readonly Int32Array[];
  /** Per dictionary, the values by code, in order of first appearance. */
  readonly names: ReadonlyArray<readonly string[]>;
  /** Each row's line in the file, when asked for (`keepLines`); else empty. */
  readonly lines: Int32Array;
}

function namesList(names: readonly string[]): string {
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1] as string}`;
}

/**
 * Reads the named columns of a CSV (a header row is required), 1 MiB at a time. A short row
 * is an error naming its line; so is a value `check` refuses. Quoted cells are understood (a
 * line with a quote takes a slower path); a CRLF, a BOM and a last line without a newline
 * are fine.
 */
export async function readCsvTable(file: string, spec: TableSpec, signal?: AbortSignal): Promise<Table> {
  const nCols = spec.columns.length;
  const nDicts = Math.max(...spec.dictionaries) + 1;
  let lineNo = 0;
  /** Which column a dictionary is being asked about (for the check's message). */
  let asking = -1;
  const dicts = Array.from({ length: nDicts }, (_, d) => {
    const checked = spec.dictionaries.flatMap((dd, c) => (dd === d && spec.check?.[c] ? [c] : []));
    return new ByteInterner(
      checked.length === 0
        ? undefined
        : (name) => {
            const check = spec.check?.[asking];
            const problem = check?.(name);
            if (problem !== undefined) throw new ResponsesFileError(file, lineNo, `${spec.columns[asking] ?? ''}: ${problem}`);
          },
      () => {
        throw new ResponsesFileError(file, lineNo, `${spec.columns[asking] ?? ''}: not valid UTF-8 (save the file as UTF-8)`);
      },
    );
  });
  await assertReadableFile(file, 'a CSV file');
  // A row takes at least 2 bytes a column; most take 5 or more: size for that, grow if not.
  const rowsGuess = Math.ceil((await fs.promises.stat(file)).size / (4 * nCols));
  const cols = Array.from({ length: nCols }, () => new IntColumn(rowsGuess));
  const lines = spec.keepLines ? new IntColumn(rowsGuess) : undefined;
  let at: Int32Array | undefined; // each wanted column's index in the file
  let width = 0; // cells needed per row: the rightmost wanted column, plus one
  const cellStart = new Int32Array(64);
  const cellEnd = new Int32Array(64);
  const cellHash = new Int32Array(64);
  const skip = spec.skipIfEmpty;

  const readHeader = (line: string): void => {
    const names = csvCells(line.replace(/^\uFEFF/, '').replace(/\r$/, '')).map((h) => h.trim().toLowerCase());
    const twice = spec.columns.filter((c) => names.filter((n) => n === c.toLowerCase()).length > 1);
    if (twice.length > 0) throw new ResponsesFileError(file, 1, `the header names ${twice.join(', ')} twice: only one column can be read`);
    const found = spec.columns.map((c) => names.indexOf(c.toLowerCase()));
    const missing = spec.columns.filter((_, i) => found[i] === -1);
    if (missing.length > 0) throw new ResponsesFileError(file, 1, `the header must name the columns ${namesList(spec.columns)}; missing: ${missing.join(', ')}`);
    width = Math.max(...found) + 1;
    if (width > cellStart.length) throw new ResponsesFileError(file, 1, `the ${namesList(spec.columns)} columns must be among the first 64`);
    at = Int32Array.from(found);
  };
  const short = (n: number): ResponsesFileError => new ResponsesFileError(file, lineNo, `expected at least ${width} columns, found ${n}`);
  const dictOf = spec.dictionaries.map((d) => dicts[d] as ByteInterner);
  const quotedRow = (line: string, where: Int32Array): void => {
    const cells = csvCells(line.replace(/\r$/, ''));
    const values = Array.from(where, (i) => cells[i]);
    if (values.some((v) => v === undefined)) throw short(cells.length);
    if (skip !== undefined && values[skip] === '') return;
    for (let c = 0; c < nCols; c++) {
      asking = c;
      (cols[c] as IntColumn).push((dictOf[c] as ByteInterner).codeText(values[c] as string));
    }
    lines?.push(lineNo);
  };
  /** The row whose n cells were just split: intern its wanted cells. */
  const commit = (buf: Buffer, n: number, where: Int32Array): void => {
    if (n < width) throw short(n);
    // The row's last cell may end in the CR of a CRLF: drop it (and rehash that cell).
    const last = n - 1;
    const end = cellEnd[last] as number;
    if (end > (cellStart[last] as number) && buf[end - 1] === CR) {
      cellEnd[last] = end - 1;
      let h = FNV;
      for (let i = cellStart[last] as number; i < end - 1; i++) h = Math.imul(h ^ (buf[i] as number), 0x01000193);
      cellHash[last] = h;
    }
    if (skip !== undefined && cellEnd[where[skip] as number] === cellStart[where[skip] as number]) return; // no answer: nothing to count
    for (let c = 0; c < nCols; c++) {
      const i = where[c] as number;
      asking = c;
      (cols[c] as IntColumn).push((dictOf[c] as ByteInterner).code(buf, cellStart[i] as number, cellEnd[i] as number, cellHash[i]));
    }
    lines?.push(lineNo);
  };
  /** Splits and hashes every complete line of buf[0, filled) in one pass; returns where the unfinished line starts. */
  const scan = (buf: Buffer, filled: number, where: Int32Array): number => {
    let lineStart = 0;
    let n = 0;
    let from = 0;
    let h = FNV;
    let quoted = false;
    for (let i = 0; i < filled; i++) {
      const b = buf[i] as number;
      if (b === NL) {
        lineNo++;
        if (quoted) quotedRow(buf.toString('utf8', lineStart, i), where);
        else if (i > lineStart && !(i === lineStart + 1 && buf[lineStart] === CR)) {
          if (n < width) {
            cellStart[n] = from;
            cellEnd[n] = i;
            cellHash[n++] = h;
          }
          commit(buf, n, where);
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
      if (signal?.aborted) throw new CancelledError();
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
      if (!at) {
        const nl = buf.indexOf(NL);
        if (nl === -1 || nl >= filled) {
          carried = filled;
          if (bytesRead === 0) break;
          continue;
        }
        readHeader(buf.toString('utf8', 0, nl));
        lineNo = 1;
        from = nl + 1;
      }
      const where = at as Int32Array;
      const consumed = from + scan(buf.subarray(from), filled - from, where);
      buf.copy(buf, 0, consumed, filled);
      carried = filled - consumed;
      if (bytesRead === 0) break;
    }
  } finally {
    await fd.close();
  }
  if (!at) throw new ResponsesFileError(file, 1, `the file is empty; expected a ${spec.columns.join(',')} header`);
  return { codes: cols.map((c) => c.toArray()), names: dicts.map((d) => d.names), lines: lines?.toArray() ?? new Int32Array(0) };
}
