/**
 * Streaming readers for task files: a JSON array, JSON Lines, and Toloka's TSV. Each yields
 * one record at a time with the line it starts on, so memory stays bounded by one record
 * whatever the file's size, and every problem can name its line. No `vscode` import.
 */
import * as fs from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { CLOSE_BRACKET, COMMA, OPEN_BRACKET, skipSpace, skipValue } from '../toloka/jsonScan';
import { assertReadableFile } from './fileChecks';
import { JsonRefusal, lineOf, parseStrictJson } from './strictJson';

export type Format = 'json' | 'jsonl' | 'tsv';

export interface RawRecord {
  /** 1-based line the record starts on. */
  readonly line: number;
  /** The parsed value (JSON formats) or the cells (TSV). */
  readonly value?: unknown;
  /** Why the record could not be read; the reader goes on with the next one. */
  readonly error?: string;
  /** Length of the record's text (JSON formats), an upper bound for its parts' sizes. */
  readonly size?: number;
}

/** A header naming a column twice keeps only one of its cells: say so, or undefined. */
export function duplicateColumns(headers: readonly string[]): string | undefined {
  const seen = new Map<string, number>();
  for (let i = 0; i < headers.length; i++) {
    const h = headers[i] ?? '';
    const first = seen.get(h);
    if (first !== undefined) return `column "${h}" appears twice (columns ${first + 1} and ${i + 1}): only one value can be kept`;
    seen.set(h, i);
  }
  return undefined;
}

/** The message for a TSV row shorter than its header. */
export function shortRow(cells: number, columns: number): string {
  return `${cells} cell(s) but the header names ${columns} columns (is a tab missing, or a line break inside a cell without quotes?)`;
}

export function formatOf(file: string): Format | undefined {
  if (/\.jsonl$|\.ndjson$/i.test(file)) return 'jsonl';
  if (/\.tsv$|\.tab$/i.test(file)) return 'tsv';
  if (/\.json$/i.test(file)) return 'json';
  return undefined;
}

/** UTF-8 text chunks; invalid bytes become an error naming the line, not silent U+FFFD. */
async function* textChunks(file: string, signal?: AbortSignal): AsyncGenerator<string> {
  await assertReadableFile(file);
  const decoder = new StringDecoder('utf8');
  const stream = fs.createReadStream(file, { highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream) {
      if (signal?.aborted) return;
      yield decoder.write(chunk as Buffer);
    }
    const rest = decoder.end();
    if (rest) yield rest;
  } finally {
    stream.destroy();
  }
}

const BAD_UTF8 = '\uFFFD';

/** JSON Lines: one JSON value per line; blank lines are skipped. */
export async function* readJsonl(file: string, signal?: AbortSignal): AsyncGenerator<RawRecord> {
  let line = 0;
  let carry = '';
  const emit = (text: string, at: number): RawRecord | undefined => {
    let t = text.endsWith('\r') ? text.slice(0, -1) : text;
    // A byte-order mark, as editors on Windows write one, is not part of the first task.
    if (at === 1 && t.charCodeAt(0) === 0xfeff) t = t.slice(1);
    if (t.trim() === '') return undefined;
    if (t.includes(BAD_UTF8)) return { line: at, error: 'the line is not valid UTF-8' };
    return parseRecord(t, at);
  };
  for await (const chunk of textChunks(file, signal)) {
    const text = carry + chunk;
    let start = 0;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', start)) {
      line++;
      const r = emit(text.slice(start, i), line);
      if (r) yield r;
      start = i + 1;
    }
    carry = text.slice(start);
  }
  if (carry) {
    const r = emit(carry, line + 1);
    if (r) yield r;
  }
}

/** Where a JSON array file's reader is: bytes read and not yet consumed, and the line they start on. */
class ByteWindow {
  buf: Buffer = Buffer.alloc(0);
  pos = 0;
  line = 1;
  eof = false;
  private readonly chunks: AsyncIterator<Buffer>;

  constructor(stream: AsyncIterable<Buffer>) {
    this.chunks = stream[Symbol.asyncIterator]();
  }

  /** Reads the next chunk onto what is left; false at the end of the file. */
  async more(): Promise<boolean> {
    if (this.eof) return false;
    const next = await this.chunks.next();
    if (next.done) {
      this.eof = true;
      return false;
    }
    this.buf = this.pos < this.buf.length ? Buffer.concat([this.buf.subarray(this.pos), next.value]) : next.value;
    this.pos = 0;
    return true;
  }

  /** Consumes up to `to`, counting the lines passed. */
  advance(to: number): void {
    for (let i = this.buf.indexOf(0x0a, this.pos); i >= 0 && i < to; i = this.buf.indexOf(0x0a, i + 1)) this.line++;
    this.pos = to;
  }

  /** The next byte that is not a space, reading on as needed; undefined at the end of the file. */
  async peek(): Promise<number | undefined> {
    for (;;) {
      this.advance(skipSpace(this.buf, this.pos));
      if (this.pos < this.buf.length) return this.buf[this.pos];
      if (!(await this.more())) return undefined;
    }
  }
}

const MAX_ELEMENT_BYTES = 64 * 1024 * 1024;
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * A JSON array of values, read element by element: the byte scanner the listing pages use
 * (jsonScan.ts) finds where each element ends, and only that element is decoded and parsed.
 */
export async function* readJsonArray(file: string, signal?: AbortSignal): AsyncGenerator<RawRecord> {
  await assertReadableFile(file, 'a JSON file');
  const stream = fs.createReadStream(file, { highWaterMark: 1 << 20 });
  const w = new ByteWindow(stream as AsyncIterable<Buffer>);
  try {
    await w.more();
    if (w.buf[0] === 0xef && w.buf[1] === 0xbb && w.buf[2] === 0xbf) w.pos = 3;
    const first = await w.peek();
    if (first === undefined) {
      yield { line: 1, error: 'the file is empty; expected a JSON array of tasks' };
      return;
    }
    if (first !== OPEN_BRACKET) {
      yield { line: w.line, error: 'the file must be a JSON array of tasks: it should start with "["' };
      return;
    }
    w.advance(w.pos + 1);
    if ((await w.peek()) === CLOSE_BRACKET) w.advance(w.pos + 1);
    else {
      for (;;) {
        if (signal?.aborted) return;
        const at = w.line;
        let end = skipValue(w.buf, w.pos);
        // An element cut by the end of the chunk (or a number that may go on): read on.
        while ((end < 0 || end === w.buf.length) && !w.eof) {
          if (w.buf.length - w.pos > MAX_ELEMENT_BYTES) {
            yield { line: at, error: 'one element is larger than 64 MiB; is the file a JSON array of tasks?' };
            return;
          }
          await w.more();
          end = skipValue(w.buf, w.pos);
        }
        if (end < 0) {
          yield { line: at, error: 'the array is not closed: the file ends inside an element, before "]"' };
          return;
        }
        yield parseElement(w.buf.subarray(w.pos, end), at);
        w.advance(end);
        const next = await w.peek();
        if (next === CLOSE_BRACKET) {
          w.advance(w.pos + 1);
          break;
        }
        if (next === undefined) {
          yield { line: w.line, error: 'the array is not closed: the file ends before "]"' };
          return;
        }
        if (next !== COMMA) {
          yield { line: w.line, error: 'expected "," or "]" after an element' };
          return;
        }
        w.advance(w.pos + 1);
        const after = await w.peek();
        if (after === CLOSE_BRACKET) {
          yield { line: w.line, error: 'a comma before "]": JSON allows no trailing comma' };
          return;
        }
        if (after === COMMA) {
          yield { line: w.line, error: 'an empty element (two commas in a row?)' };
          return;
        }
        if (after === undefined) {
          yield { line: w.line, error: 'the array is not closed: the file ends before "]"' };
          return;
        }
      }
    }
    if ((await w.peek()) !== undefined) yield { line: w.line, error: 'unexpected text after the closing "]"' };
  } finally {
    stream.destroy();
  }
}

function parseElement(bytes: Buffer, line: number): RawRecord {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { line, error: 'the element is not valid UTF-8' };
  }
  return parseRecord(text, line);
}

/**
 * One record's JSON, strictly (strictJson.ts): what JSON.parse would silently change is an
 * error naming the line and the field where it is.
 */
function parseRecord(text: string, line: number): RawRecord {
  try {
    return { line, value: parseStrictJson(text), size: text.length };
  } catch (err) {
    if (err instanceof JsonRefusal) return { line: line + lineOf(text, err.offset) - 1, error: err.described };
    return { line, error: `not valid JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/**
 * Toloka's TSV: tab-separated, first line the headers; a cell holding a tab, a newline or a
 * quote is wrapped in quotes with inner quotes doubled; stray quotes in an unquoted cell are
 * dropped. Yields the header row first (line 1), then one record of cells per row.
 */
export async function* readTsvRows(file: string, signal?: AbortSignal): AsyncGenerator<RawRecord> {
  for await (const batch of readTsvBatches(file, signal)) yield* batch;
}

/**
 * The rows of a TSV file as `readTsvRows` yields them, a chunk's worth at a time: a reader of
 * a million rows saves itself a million turns of an async generator.
 */
export async function* readTsvBatches(file: string, signal?: AbortSignal): AsyncGenerator<RawRecord[]> {
  const TAB = 9;
  const LF = 10;
  const QUOTE = 34;
  const BOM = 0xfeff;
  const BAD = 0xfffd;
  let line = 1;
  let rowLine = 1;
  let cells: string[] = [];
  // A cell is built from slices of the chunk (runs of plain characters), not a character at a
  // time: a string grown by += per character is a rope of one node per character, which costs
  // dozens of bytes a character for as long as the value is kept.
  let cell = '';
  let quoted = false; // inside a quoted cell
  let afterQuote = false; // just saw a quote inside a quoted cell
  let cellStart = true;
  let bad = false;
  let first = true; // the file's first character: a BOM there is dropped
  for await (const chunk of textChunks(file, signal)) {
    const rows: RawRecord[] = [];
    let run = 0; // where the current run of plain characters began
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (first) {
        first = false;
        if (c === BOM) {
          run = i + 1;
          continue;
        }
      }
      if (c === BAD) bad = true;
      if (quoted) {
        if (afterQuote) {
          afterQuote = false;
          if (c === QUOTE) {
            run = i; // the second quote of a pair is the cell's next character
            continue;
          }
          quoted = false; // the quote before this was the closing one; handle c unquoted
          run = i;
        } else if (c === QUOTE) {
          cell += chunk.slice(run, i);
          afterQuote = true;
          continue;
        } else {
          if (c === LF) line++;
          continue;
        }
      }
      if (c === TAB) {
        cells.push(cell + chunk.slice(run, i));
        cell = '';
        run = i + 1;
        cellStart = true;
      } else if (c === LF) {
        let last = cell + chunk.slice(run, i);
        if (last.endsWith('\r')) last = last.slice(0, -1);
        cells.push(last);
        const row = cells;
        cells = [];
        cell = '';
        run = i + 1;
        cellStart = true;
        if (!(row.length === 1 && row[0] === '')) rows.push(bad ? { line: rowLine, error: 'the row is not valid UTF-8' } : { line: rowLine, value: row });
        bad = false;
        line++;
        rowLine = line;
      } else if (c === QUOTE) {
        cell += chunk.slice(run, i); // a stray quote in an unquoted cell is dropped…
        run = i + 1;
        if (cellStart) quoted = true; // …and one that starts a cell opens a quoted cell
        cellStart = false;
      } else cellStart = false;
    }
    if (!(quoted && afterQuote)) cell += chunk.slice(run);
    if (rows.length > 0) yield rows;
  }
  if (quoted && !afterQuote) {
    yield [{ line: rowLine, error: 'a quoted cell is never closed: the file ends inside quotes' }];
    return;
  }
  if (cell !== '' || cells.length > 0) {
    if (cell.endsWith('\r')) cell = cell.slice(0, -1);
    cells.push(cell);
    yield [bad ? { line: rowLine, error: 'the row is not valid UTF-8' } : { line: rowLine, value: cells }];
  }
}
