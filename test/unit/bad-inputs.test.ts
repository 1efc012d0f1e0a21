/**
 * Every reader of a user's file, fed what users get wrong: each bad input is refused with a
 * message naming its line and field, and nothing reaches the sandbox. One table, so a reader
 * that starts accepting something silently shows up here.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sendItems } from '../../src/files/appItems';
import { aggregateFile } from '../../src/files/aggregateFile';
import { readReviewFile } from '../../src/files/review';
import { uploadTasks } from '../../src/files/upload';
import type { TaskSpec } from '../../src/toloka/models';
import { harness, poolFor, type Harness } from './fixtures';

const spec: TaskSpec = {
  input_spec: { text: { type: 'string' }, n: { type: 'integer', required: false }, meta: { type: 'json', required: false } },
  output_spec: { label: { type: 'string', allowed_values: ['a', 'b'] } },
};

type Reader = 'jsonl' | 'json' | 'tsv' | 'items-jsonl' | 'items-json' | 'review' | 'labels-csv' | 'results-tsv';

interface Case {
  readonly reader: Reader;
  readonly name: string;
  /** The file's content; a function gets the path of a scratch folder (for folders and missing files). */
  readonly content: string | Buffer | ((dir: string) => string);
  /** The line the problem is on (undefined: the file as a whole). */
  readonly line?: number;
  readonly message: RegExp;
}

const task = (text: string): string => JSON.stringify({ input_values: { text }, overlap: 1 });
const bytes = (...parts: Array<string | number[]>): Buffer => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));
const bigText = 'x'.repeat(1_100_000);
const results = 'INPUT:text\tOUTPUT:label\tASSIGNMENT:assignment_id\tASSIGNMENT:worker_id';
const review = `${results}\tACCEPT:verdict\tACCEPT:comment`;

const cases: Case[] = [
  // Tasks, JSON Lines
  { reader: 'jsonl', name: 'a key given twice', content: `${task('ok')}\n{"input_values": {"text": "a", "text": "b"}, "overlap": 1}`, line: 2, message: /^input_values: duplicate key "text"/ },
  { reader: 'jsonl', name: 'an integer past 2^53', content: `{"input_values": {"text": "a", "n": 12345678901234567891}, "overlap": 1}`, line: 1, message: /^input_values\.n: the integer 12345678901234567891 is beyond ±9007199254740991/ },
  { reader: 'jsonl', name: 'a lone surrogate escape', content: `{"input_values": {"text": "\\ud83d"}, "overlap": 1}`, line: 1, message: /^input_values\.text: a lone UTF-16 surrogate \\uD83D/ },
  { reader: 'jsonl', name: 'bytes that are not UTF-8', content: bytes(`${task('ok')}\n{"input_values": {"text": "caf`, [0xe9], `"}, "overlap": 1}`), line: 2, message: /not valid UTF-8/ },
  { reader: 'jsonl', name: 'a trailing comma in an object', content: `{"input_values": {"text": "a",}, "overlap": 1}`, line: 1, message: /^input_values: not valid JSON: a comma before "}"/ },
  { reader: 'jsonl', name: 'a trailing comma in an array', content: `{"input_values": {"text": "a", "meta": [1, 2,]}, "overlap": 1}`, line: 1, message: /^input_values\.meta: not valid JSON: a comma before "\]"/ },
  { reader: 'jsonl', name: 'a task that is an array', content: `["text", "a"]`, line: 1, message: /a task must be a JSON object/ },
  { reader: 'jsonl', name: 'an unquoted key', content: `{input_values: {"text": "a"}}`, line: 1, message: /not valid JSON: unexpected "i": expected a key in quotes/ },
  { reader: 'jsonl', name: 'a number too large for a double', content: `{"input_values": {"text": "a", "meta": 1e400}, "overlap": 1}`, line: 1, message: /^input_values\.meta: the number 1e400 is too large/ },
  { reader: 'jsonl', name: 'a leading zero', content: `{"input_values": {"text": "a"}, "overlap": 01}`, line: 1, message: /^overlap: not valid JSON: a number cannot start with 0/ },
  { reader: 'jsonl', name: 'a raw control character in a string', content: `{"input_values": {"text": "a\u0001b"}, "overlap": 1}`, line: 1, message: /^input_values\.text: not valid JSON: a control character inside a string/ },
  { reader: 'jsonl', name: 'an empty file', content: '', line: 1, message: /the file is empty: it has no tasks/ },
  { reader: 'jsonl', name: 'blank lines only', content: '\n  \n\r\n', line: 1, message: /the file is empty: it has no tasks/ },
  { reader: 'jsonl', name: 'a value of the wrong type', content: `{"input_values": {"text": 5}, "overlap": 1}`, line: 1, message: /input_values\.text: Value must be a string/ },
  { reader: 'jsonl', name: 'an unknown task field', content: `{"input_values": {"text": "a"}, "overlap": 1, "overlpa": 2}`, line: 1, message: /overlpa/ },
  { reader: 'jsonl', name: 'a task larger than Toloka accepts in one request', content: task(bigText), line: 1, message: /^input_values: 1,100,0\d\d bytes, more than Toloka accepts in one request \(1,048,576\)/ },
  { reader: 'jsonl', name: "another pool's task", content: `{"pool_id": "42", "input_values": {"text": "a"}, "overlap": 1}`, line: 1, message: /^pool_id: the task names pool 42, not/ },
  { reader: 'jsonl', name: 'a missing required input', content: `{"input_values": {"n": 1}, "overlap": 1}`, line: 1, message: /input_values\.text/ },
  // Tasks, a JSON array
  { reader: 'json', name: 'a trailing comma before ]', content: `[\n${task('a')},\n]`, line: 3, message: /a comma before "\]": JSON allows no trailing comma/ },
  { reader: 'json', name: 'a missing comma between tasks', content: `[\n${task('a')}\n${task('b')}\n]`, line: 3, message: /expected "," or "\]" after an element/ },
  { reader: 'json', name: 'an object instead of an array', content: task('a'), line: 1, message: /must be a JSON array of tasks/ },
  { reader: 'json', name: 'an empty array', content: '[ ]', line: 1, message: /the file has no tasks: the array is empty/ },
  { reader: 'json', name: 'an array never closed', content: `[\n${task('a')},\n${task('b')}`, line: 3, message: /the array is not closed/ },
  { reader: 'json', name: 'a key given twice', content: `[\n${task('a')},\n{"input_values": {"text": "x"}, "overlap": 1, "overlap": 2}\n]`, line: 3, message: /duplicate key "overlap"/ },
  { reader: 'json', name: 'bytes that are not UTF-8', content: bytes(`[\n${task('a')},\n{"input_values": {"text": "`, [0xff, 0xfe], `"}}\n]`), line: 3, message: /the element is not valid UTF-8/ },
  { reader: 'json', name: 'text after the array', content: `[${task('a')}] and more`, line: 1, message: /unexpected text after the closing "\]"/ },
  { reader: 'json', name: 'an empty file', content: '', line: 1, message: /the file is empty; expected a JSON array/ },
  // Tasks, Toloka TSV
  { reader: 'tsv', name: 'a column named twice', content: 'INPUT:text\tINPUT:text\na\tb\n', line: 1, message: /column "INPUT:text" appears twice \(columns 1 and 2\)/ },
  { reader: 'tsv', name: 'a row short of cells', content: 'INPUT:text\tINPUT:n\na\t1\nb\n', line: 3, message: /1 cell\(s\) but the header names 2 columns/ },
  { reader: 'tsv', name: 'an integer cell past 2^53', content: 'INPUT:text\tINPUT:n\na\t12345678901234567891\n', line: 2, message: /INPUT:n: 12345678901234567891 is beyond ±9007199254740991/ },
  { reader: 'tsv', name: 'bytes that are not UTF-8', content: bytes('INPUT:text\nok\ncaf', [0xe9], '\n'), line: 3, message: /not valid UTF-8/ },
  { reader: 'tsv', name: 'a header and no rows', content: 'INPUT:text\n', line: 1, message: /the file has a header row but no tasks/ },
  { reader: 'tsv', name: 'an empty file', content: '', line: 1, message: /the file is empty/ },
  { reader: 'tsv', name: 'an unknown column', content: 'INPUT:text\tINPT:n\na\t1\n', line: 1, message: /unknown column "INPT:n"/ },
  { reader: 'tsv', name: 'a JSON cell with a key twice', content: 'INPUT:text\tINPUT:meta\na\t"{""k"": 1, ""k"": 2}"\n', line: 2, message: /INPUT:meta: .* cannot be kept: duplicate key "k"/ },
  { reader: 'tsv', name: 'a JSON cell that is not JSON', content: 'INPUT:text\tINPUT:meta\na\t"{""k"": }"\n', line: 2, message: /INPUT:meta: .* is not valid JSON: k: unexpected "}": expected a value/ },
  { reader: 'tsv', name: 'a required column missing', content: 'INPUT:n\n1\n', line: 1, message: /no column INPUT:text for the required input field "text"/ },
  { reader: 'tsv', name: 'a word in a number column', content: 'INPUT:text\tINPUT:n\na\tseven\n', line: 2, message: /INPUT:n: "seven" is not a whole number/ },
  { reader: 'tsv', name: 'a quote never closed', content: 'INPUT:text\n"open\n', line: 2, message: /never closed|ends inside quotes/ },
  // App project items
  { reader: 'items-jsonl', name: 'a key given twice', content: '{"text": "a", "text": "b"}\n', line: 1, message: /duplicate key "text"/ },
  { reader: 'items-jsonl', name: 'an item that is not an object', content: '{"text": "a"}\n"just text"\n', line: 2, message: /an item must be a JSON object/ },
  { reader: 'items-jsonl', name: 'an empty file', content: '', line: 1, message: /the file has no items/ },
  { reader: 'items-json', name: 'a trailing comma', content: '[{"text": "a"},]', line: 1, message: /JSON allows no trailing comma/ },
  { reader: 'items-json', name: 'an integer past 2^53', content: '[{"text": "a", "id": 9007199254740993}]', line: 1, message: /^id: the integer 9007199254740993 is beyond/ },
  // Review files (a results TSV with verdicts)
  { reader: 'review', name: 'a column named twice', content: `${review}\tACCEPT:verdict\nhi\ta\tA1\tw1\t+\t\t+\n`, line: 1, message: /column "ACCEPT:verdict" appears twice/ },
  { reader: 'review', name: 'a row short of cells', content: `${review}\nhi\ta\tA1\tw1\t-\n`, line: 2, message: /5 cell\(s\) but the header names 6 columns/ },
  { reader: 'review', name: 'a verdict that is not + or -', content: `${review}\nhi\ta\tA1\tw1\tyes\t\n`, line: 2, message: /ACCEPT:verdict must be \+ \(accept\) or - \(reject\), not "yes"/ },
  { reader: 'review', name: 'a rejection without a comment', content: `${review}\nhi\ta\tA1\tw1\t-\t\n`, line: 2, message: /a rejection needs a comment/ },
  { reader: 'review', name: 'bytes that are not UTF-8', content: bytes(`${review}\nhi\ta\tA1\tw1\t-\tbad `, [0xc3], '\n'), line: 2, message: /not valid UTF-8/ },
  // Aggregation input
  { reader: 'labels-csv', name: 'a label that is not UTF-8', content: bytes('worker,task,label\nw1,t1,cat\nw2,t1,c', [0xe4], 't\n'), line: 3, message: /label: not valid UTF-8/ },
  { reader: 'labels-csv', name: 'a column named twice', content: 'worker,task,label,label\nw1,t1,a,b\n', line: 1, message: /names label twice/ },
  { reader: 'labels-csv', name: 'a row short of cells', content: 'worker,task,label\nw1,t1\n', line: 2, message: /expected at least 3 columns, found 2/ },
  { reader: 'labels-csv', name: 'an empty file', content: '', line: 1, message: /the file is empty/ },
  { reader: 'labels-csv', name: 'a folder instead of a file', content: (dir) => fs.mkdtempSync(path.join(dir, 'folder-')), message: /is a folder, not a CSV file: name the file inside it/ },
  { reader: 'labels-csv', name: 'a file that does not exist', content: (dir) => path.join(dir, 'nope.csv'), message: /does not exist: check the path/ },
  { reader: 'results-tsv', name: 'a column named twice', content: `${results}\tOUTPUT:label\nhi\ta\tA1\tw1\tb\n`, line: 1, message: /column "OUTPUT:label" appears twice/ },
  { reader: 'results-tsv', name: 'a row short of cells', content: `${results}\nhi\ta\tA1\n`, line: 2, message: /3 cell\(s\) but the header names 4 columns/ },
];

describe('Bad input, across every reader: refused by line and field, nothing sent', () => {
  let h: Harness;
  let poolId = '';
  let appProjectId = '';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tlk-bad-'));
  /** What reached the sandbox: tasks, operations, app items, decided assignments. */
  const reached = (): number =>
    [...h.sandbox.state.pools.values()].reduce((n, p) => n + p.data.tasks.length, 0) + h.sandbox.state.operations.size + [...h.sandbox.state.appItems.values()].reduce((n, l) => n + l.length, 0);

  before(async () => {
    h = await harness({ quotas: false, tolokers: { assignmentsPerSecond: 0 } });
    const project = await h.client.projects.create({ public_name: 'Bad input', task_spec: spec });
    poolId = (await h.client.pools.create(poolFor(project.id ?? ''))).id ?? '';
    appProjectId = (await h.client.apps.createProject({ app_id: 'text-classification', name: 'Items', parameters: { categories: ['a', 'b'] } })).id ?? '';
  });
  after(async () => {
    await h.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it(`has at least 40 cases (${cases.length})`, () => assert.ok(cases.length >= 40));

  const ext: Record<Reader, string> = { jsonl: 'jsonl', json: 'json', tsv: 'tsv', 'items-jsonl': 'jsonl', 'items-json': 'json', review: 'tsv', 'labels-csv': 'csv', 'results-tsv': 'tsv' };
  cases.forEach((c, i) => {
    it(`${c.reader}: ${c.name}`, async () => {
      const file = typeof c.content === 'function' ? c.content(dir) : path.join(dir, `case-${i}.${ext[c.reader]}`);
      if (typeof c.content !== 'function') fs.writeFileSync(file, c.content);
      const before = reached();
      const problems: Array<{ line: number | undefined; message: string }> = [];
      if (c.reader === 'jsonl' || c.reader === 'json' || c.reader === 'tsv') {
        const r = await uploadTasks({ client: h.client, file, format: c.reader, poolId, spec });
        assert.equal(r.uploaded, false, 'nothing uploaded');
        for (const p of r.problems) for (const m of p.problems) problems.push({ line: p.line, message: m });
      } else if (c.reader === 'items-jsonl' || c.reader === 'items-json') {
        const r = await sendItems({ client: h.client, file, format: c.reader === 'items-jsonl' ? 'jsonl' : 'json', appProjectId });
        assert.equal(r.sent, 0);
        for (const p of r.invalid) problems.push({ line: p.line, message: p.problem });
      } else if (c.reader === 'review') {
        const r = await readReviewFile(file);
        for (const p of r.problems) problems.push({ line: p.line, message: p.message });
      } else {
        const out = path.join(dir, `out-${i}.csv`);
        await assert.rejects(
          aggregateFile({ method: 'mv', input: file, output: out, ...(c.reader === 'results-tsv' ? { field: 'label' } : {}) }),
          (err: unknown) => {
            const m = /^(.*?):(\d+): (.*)$/s.exec(err instanceof Error ? err.message : String(err));
            if (m?.[1] === file) problems.push({ line: Number(m[2]), message: m[3] ?? '' });
            else problems.push({ line: undefined, message: err instanceof Error ? err.message : String(err) });
            return true;
          },
        );
        assert.ok(!fs.existsSync(out), 'no output written');
      }
      const hit = problems.find((p) => c.message.test(p.message));
      assert.ok(hit, `expected a problem matching ${String(c.message)}; got ${JSON.stringify(problems)}`);
      if (c.line !== undefined) assert.equal(hit.line, c.line, `the problem's line: ${hit.message}`);
      assert.equal(reached() - before, 0, 'nothing reached the sandbox');
    });
  });
});
