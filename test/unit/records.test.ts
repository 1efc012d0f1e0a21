/** The streaming readers of task files. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { readJsonArray, readJsonl, readTsvRows, type RawRecord } from '../../src/files/records';
import { tsvCell } from '../../src/files/results';
import { convertCell, readTasks, splitArrayCell } from '../../src/files/tasks';
import type { TaskSpec } from '../../src/toloka/models';
import { tempFiles } from './helpers/tempFiles';

const { dir, file } = tempFiles('tlk-records-');
async function all(gen: AsyncGenerator<RawRecord>): Promise<RawRecord[]> {
  const out: RawRecord[] = [];
  for await (const r of gen) out.push(r);
  return out;
}

const spec: TaskSpec = {
  input_spec: { text: { type: 'string' }, n: { type: 'integer', required: false }, tags: { type: 'array_string', required: false }, meta: { type: 'json', required: false }, ok: { type: 'boolean', required: false } },
  output_spec: { label: { type: 'string', allowed_values: ['a', 'b'] } },
};

describe('Task file readers', () => {
  it('TSV: quoted cells with tabs, newlines and doubled quotes; stray quotes dropped; empty cells kept', async () => {
    const tsv = 'INPUT:text\tINPUT:n\nplain\t1\n"tab\there"\t2\n"two\nlines"\t\n"say ""hi"""\t3\nmonitor 24" buy\t4\n';
    const rows = await all(readTsvRows(file(tsv, 'tsv')));
    assert.deepEqual(rows.map((r) => r.value), [['INPUT:text', 'INPUT:n'], ['plain', '1'], ['tab\there', '2'], ['two\nlines', ''], ['say "hi"', '3'], ['monitor 24 buy', '4']]);
    assert.deepEqual(rows.map((r) => r.line), [1, 2, 3, 4, 6, 7], 'a row spanning two lines moves the next row\'s line number');
  });

  it('TSV: CRLF line ends, a BOM, and no final newline', async () => {
    const rows = await all(readTsvRows(file('\uFEFFINPUT:text\r\na\r\nb', 'tsv')));
    assert.deepEqual(rows.map((r) => r.value), [['INPUT:text'], ['a'], ['b']]);
  });

  it('TSV: an unclosed quote and bad UTF-8 are reported with their line', async () => {
    const unclosed = await all(readTsvRows(file('INPUT:text\n"never closed\nmore\n', 'tsv')));
    assert.match(unclosed.at(-1)?.error ?? '', /never closed|ends inside quotes/);
    assert.equal(unclosed.at(-1)?.line, 2);
    const bad = await all(readTsvRows(file(Buffer.concat([Buffer.from('INPUT:text\nok\n'), Buffer.from([0xff, 0xfe, 0x41]), Buffer.from('\n')]), 'tsv')));
    assert.deepEqual(bad.map((r) => r.error ?? 'ok'), ['ok', 'ok', 'the row is not valid UTF-8']);
    assert.equal(bad[2]?.line, 3);
  });

  it('TSV: values with tabs, quotes, newlines and any text read back as written, across the reader\'s 1 MiB chunks', async () => {
    const pieces = ['plain', '\t', '"', '""', '\n', '\r\n', ' ', 'é', '日本語', '🐱', ',', '', 'x'.repeat(300)];
    let seed = 12345;
    const next = (k: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % k;
    };
    const rows: string[][] = [];
    for (let r = 0; r < 20_000; r++) {
      const value = (): string => Array.from({ length: next(6) }, () => pieces[next(pieces.length)]).join('');
      rows.push([value(), value(), `row-${r}`]); // the last cell plain: a final \r is a line end's
    }
    const text = ['A\tB\tC', ...rows.map((cells) => cells.map(tsvCell).join('\t'))].join('\n') + '\n';
    assert.ok(Buffer.byteLength(text) > 2 * 1024 * 1024, 'the file spans several chunks');
    const read = await all(readTsvRows(file(text, 'tsv')));
    assert.deepEqual(read.slice(1).map((r) => r.value), rows);
    assert.equal(read.find((r) => r.error), undefined);
  });

  it('TSV: the cells it hands over are compact, not one string node per character', async () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    assert.ok(gc, 'the unit tests run with --expose-gc');
    const text = Array.from({ length: 20_000 }, (_, r) => `${'a'.repeat(45)}${r}\t${'b'.repeat(45)}${r}\t"${'c'.repeat(20)}""${r}"`).join('\n');
    const f = file(text, 'tsv');
    gc();
    const before = process.memoryUsage().heapUsed;
    const kept = await all(readTsvRows(f)); // every cell kept, as an aggregation keeps its inputs
    gc();
    const grew = (process.memoryUsage().heapUsed - before) / 1024 / 1024;
    assert.equal(kept.length, 20_000);
    assert.ok(grew < 3 * (text.length / 1024 / 1024) + 5, `keeping ${(text.length / 1024 / 1024).toFixed(1)} MiB of cells took ${grew.toFixed(1)} MiB`);
  });

  it('TSV cells become the field types; arrays split on commas outside quotes', async () => {
    assert.deepEqual(splitArrayCell('a,"b,c",d\\,e'), ['a', 'b,c', 'd,e']);
    assert.deepEqual(convertCell({ type: 'array_integer' }, '1, 2,3'), [1, 2, 3]);
    assert.deepEqual(convertCell({ type: 'json' }, '{"a": [1]}'), { a: [1] });
    assert.equal(convertCell({ type: 'boolean' }, 'TRUE'), true);
    assert.throws(() => convertCell({ type: 'integer' }, '1.5'), /not a whole number/);
    const tsv = 'INPUT:text\tINPUT:n\tINPUT:tags\tGOLDEN:label\tHINT:text\tTASK:overlap\nhello\t7\tx,y\ta\tlook closer\t2\nbye\tseven\t\t\t\t\n';
    const tasks = [];
    for await (const t of readTasks(file(tsv, 'tsv'), 'tsv', '9', spec)) tasks.push(t);
    assert.deepEqual(tasks[0]?.task, { pool_id: '9', input_values: { text: 'hello', n: 7, tags: ['x', 'y'] }, known_solutions: [{ output_values: { label: 'a' } }], message_on_unknown_solution: 'look closer', overlap: 2 });
    assert.deepEqual(tasks[0]?.problems, []);
    assert.deepEqual(tasks[1]?.problems, ['INPUT:n: "seven" is not a whole number']);
    assert.equal(tasks[1]?.line, 3);
  });

  it('TSV: unknown columns and missing required inputs are named before any row', async () => {
    const tasks = [];
    for await (const t of readTasks(file('INPUT:txt\tOUTPUT:label\nx\ty\n', 'tsv'), 'tsv', '9', spec)) tasks.push(t);
    assert.equal(tasks.length, 1);
    assert.deepEqual(tasks[0]?.problems, [
      'column "INPUT:txt": the project has no input field "txt"',
      'unknown column "OUTPUT:label": use INPUT:<field>, GOLDEN:<field>, HINT:text or TASK:overlap',
      'no column INPUT:text for the required input field "text"',
    ]);
  });

  it('JSONL: one task per line, blank lines skipped, a bad line named and the rest read', async () => {
    const rows = await all(readJsonl(file('{"a":1}\n\n{"a":\n{"a":3}\r\n', 'jsonl')));
    assert.deepEqual(rows.map((r) => [r.line, r.value ?? r.error]), [[1, { a: 1 }], [3, 'a: not valid JSON: unexpected end of text: expected a value'], [4, { a: 3 }]]);
  });

  it('JSON array: elements read one at a time, with brackets and commas inside strings, and their lines', async () => {
    const text = '[\n  {"s": "a],[b\\"}"},\n  {"n": [1, {"x": 2}]},\n  3\n]\n';
    const rows = await all(readJsonArray(file(text, 'json')));
    assert.deepEqual(rows.map((r) => r.value), [{ s: 'a],[b"}' }, { n: [1, { x: 2 }] }, 3]);
    assert.deepEqual(rows.map((r) => r.line), [2, 3, 4]);
    const notArray = await all(readJsonArray(file('{"a": 1}', 'json')));
    assert.match(notArray[0]?.error ?? '', /must be a JSON array/);
    const unclosed = await all(readJsonArray(file('[{"a": 1},', 'json')));
    assert.match(unclosed.at(-1)?.error ?? '', /not closed/);
  });

  it('JSON array: elements across chunk boundaries, a BOM, and what JSON does not allow, by line', async () => {
    // Elements of ~300 KB: several straddle the reader's 1 MiB chunks.
    const big = Array.from({ length: 12 }, (_, i) => ({ i, s: `${'x'.repeat(300_000)}"],{` }));
    const rows = await all(readJsonArray(file(`\uFEFF[\n${big.map((b) => JSON.stringify(b)).join(',\n')}\n]`, 'json')));
    assert.deepEqual(rows.map((r) => (r.value as { i: number }).i), big.map((b) => b.i));
    assert.deepEqual(rows.map((r) => r.line), big.map((_, i) => i + 2));
    const cases: Array<[string, RegExp, number]> = [
      ['[{"a": 1},\n]', /a comma before "\]": JSON allows no trailing comma/, 2],
      ['[{"a": 1},,{"a": 2}]', /an empty element/, 1],
      ['[{"a": 1} {"a": 2}]', /expected "," or "\]" after an element/, 1],
      ['[{"a": 1}] x', /unexpected text after the closing/, 1],
      ['   \n  ', /the file is empty/, 1],
      ['[{"a": "unclosed}]', /not closed: the file ends inside an element/, 1],
    ];
    for (const [text, message, line] of cases) {
      const got = await all(readJsonArray(file(text, 'json')));
      const error = got.find((r) => r.error);
      assert.match(error?.error ?? '', message, text);
      assert.equal(error?.line, line, text);
    }
    const latin1 = path.join(dir, 'latin1.json');
    fs.writeFileSync(latin1, Buffer.concat([Buffer.from('[{"a": "ok"},\n{"a": "caf'), Buffer.from([0xe9]), Buffer.from('"}]')]));
    const bad = await all(readJsonArray(latin1));
    assert.deepEqual(bad.map((r) => [r.line, r.value ?? r.error]), [[1, { a: 'ok' }], [2, 'the element is not valid UTF-8']]);
  });

  it('reads a 100 MB JSONL file with bounded memory', async () => {
    const f = path.join(dir, 'big.jsonl');
    const line = `${JSON.stringify({ pool_id: '1', input_values: { text: 'x'.repeat(180) }, overlap: 1 })}\n`;
    const count = Math.ceil((100 * 1024 * 1024) / line.length);
    const out = fs.openSync(f, 'w');
    const block = line.repeat(10_000);
    for (let i = 0; i < count; i += 10_000) fs.writeSync(out, block);
    fs.closeSync(out);
    assert.ok(fs.statSync(f).size >= 100 * 1024 * 1024);
    // Live heap after a collection: what the reader keeps, not what V8 has yet to give back.
    const gc = (globalThis as { gc?: () => void }).gc;
    assert.ok(gc, 'the unit tests run with --expose-gc');
    const live = (): number => {
      gc();
      return process.memoryUsage().heapUsed;
    };
    const before = live();
    let peak = before;
    let seen = 0;
    for await (const r of readJsonl(f)) {
      if (r.value) seen++;
      if (seen % 100_000 === 0) peak = Math.max(peak, live());
    }
    assert.ok(seen >= count);
    const grew = (peak - before) / 1024 / 1024;
    assert.ok(grew < 20, `the reader kept ${grew.toFixed(1)} MiB while reading a 100 MB file`);
  });
});
