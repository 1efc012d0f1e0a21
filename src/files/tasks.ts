/**
 * Task files into tasks: records from any of the three formats become task objects for one
 * pool, with TSV cells converted to the project's field types, each checked against the task
 * model and the project's specs. Problems name the line and the field.
 */
import { plainText } from '../toloka/text';
import type { FieldSpec, FieldSpecMap, TaskSpec } from '../toloka/models';
import { validatePayload, formatPath } from '../toloka/schemas';
import { checkValues } from '../toloka/specCheck';
import { jsonBytes, solutionBytes, TolokaLimits } from '../toloka/limits';
import { duplicateColumns, readJsonArray, readJsonl, readTsvRows, shortRow, type Format, type RawRecord } from './records';
import { JsonRefusal, parseStrictJson } from './strictJson';

export interface TaskRecord {
  /** Position of the record in the file, 0-based: stable across runs of the same file. */
  readonly index: number;
  readonly line: number;
  readonly task?: Record<string, unknown>;
  readonly problems: readonly string[];
}

/** Splits a TSV array cell on commas, honouring quoted elements (`"a,b",c`). */
export function splitArrayCell(cell: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < cell.length; i++) {
    const c = cell[i];
    if (c === '"') {
      if (quoted && cell[i + 1] === '"') {
        cur += '"';
        i++;
      } else quoted = !quoted;
    } else if (c === '\\' && cell[i + 1] === ',') {
      cur += ',';
      i++;
    } else if (c === ',' && !quoted) {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  out.push(cur.trim());
  return out;
}

function scalar(type: string, text: string): unknown {
  switch (type) {
    case 'integer': {
      if (!/^-?\d+$/.test(text.trim())) throw new Error(`"${text}" is not a whole number`);
      const n = Number(text);
      if (!Number.isSafeInteger(n)) throw new Error(`${text.trim()} is beyond ±${Number.MAX_SAFE_INTEGER} and cannot be kept exactly (make the field a string to keep every digit)`);
      return n;
    }
    case 'float': {
      const n = Number(text.trim());
      if (text.trim() === '' || !Number.isFinite(n)) throw new Error(`"${text}" is not a number`);
      return n;
    }
    case 'boolean': {
      const t = text.trim().toLowerCase();
      if (t === 'true' || t === '1') return true;
      if (t === 'false' || t === '0') return false;
      throw new Error(`"${text}" is not true or false`);
    }
    case 'json':
      try {
        return parseStrictJson(text);
      } catch (err) {
        const shown = `"${text.length > 40 ? `${text.slice(0, 40)}…` : text}"`;
        if (!(err instanceof JsonRefusal)) throw new Error(`${shown} is not valid JSON`, { cause: err });
        const where = err.path ? `${err.path}: ` : '';
        throw new Error(`${shown} ${err.kind === 'syntax' ? 'is not valid JSON' : 'cannot be kept'}: ${where}${err.message}`, { cause: err });
      }
    default:
      return text;
  }
}

/** A TSV cell as a value of the field's type. */
export function convertCell(spec: FieldSpec | undefined, text: string): unknown {
  const type = spec?.type ?? 'string';
  if (type.startsWith('array_')) {
    const inner = type.slice('array_'.length);
    if (text.trim().startsWith('[')) return scalar('json', text);
    return splitArrayCell(text).map((t) => scalar(inner, t));
  }
  return scalar(type, text);
}

const COLUMN = /^(INPUT|GOLDEN|HINT|TASK):(.+)$/;

/** Maps TSV rows to tasks by their headers. */
function tsvToTask(headers: readonly string[], cells: readonly string[], spec: TaskSpec): { task: Record<string, unknown>; problems: string[] } {
  const input: Record<string, unknown> = {};
  const golden: Record<string, unknown> = {};
  const task: Record<string, unknown> = {};
  const problems: string[] = [];
  if (cells.length > headers.length) problems.push(`${cells.length} cells but ${headers.length} columns`);
  if (cells.length < headers.length) problems.push(shortRow(cells.length, headers.length));
  headers.forEach((h, i) => {
    const text = cells[i] ?? '';
    if (text === '') return;
    const m = COLUMN.exec(h);
    if (!m) return;
    const [, kind, name = ''] = m;
    try {
      if (kind === 'INPUT') input[name] = convertCell(spec.input_spec[name], text);
      else if (kind === 'GOLDEN') golden[name] = convertCell(spec.output_spec[name], text);
      else if (kind === 'HINT' && name === 'text') task['message_on_unknown_solution'] = text;
      else if (kind === 'TASK' && name === 'overlap') task['overlap'] = scalar('integer', text);
    } catch (err) {
      problems.push(`${h}: ${err instanceof Error ? err.message : String(err)}`);
    }
  });
  task['input_values'] = input;
  if (Object.keys(golden).length > 0) task['known_solutions'] = [{ output_values: golden }];
  return { task, problems };
}

function checkHeaders(headers: readonly string[], spec: TaskSpec): string[] {
  const problems: string[] = [];
  const twice = duplicateColumns(headers);
  if (twice) problems.push(twice);
  for (const h of headers) {
    const m = COLUMN.exec(h);
    if (!m) problems.push(`unknown column "${h}": use INPUT:<field>, GOLDEN:<field>, HINT:text or TASK:overlap`);
    else if (m[1] === 'INPUT' && !((m[2] ?? '') in spec.input_spec)) problems.push(`column "${h}": the project has no input field "${m[2] ?? ''}"`);
    else if (m[1] === 'GOLDEN' && !((m[2] ?? '') in spec.output_spec)) problems.push(`column "${h}": the project has no output field "${m[2] ?? ''}"`);
  }
  for (const [name, f] of Object.entries(spec.input_spec)) if (f.required !== false && !headers.includes(`INPUT:${name}`)) problems.push(`no column INPUT:${name} for the required input field "${name}"`);
  return problems;
}

/** Problems of a task too large for any create request Toloka accepts. `bound` is an upper bound of its size, when known. */
function sizeProblems(task: Record<string, unknown>, bound: number | undefined): string[] {
  // JSON of a text of n UTF-16 units is at most 6n bytes (\u escapes): small records need no count.
  if (bound !== undefined && bound * 6 <= TolokaLimits.inputValuesBytesPerRequest) return [];
  const problems: string[] = [];
  const input = jsonBytes(task['input_values']);
  if (input > TolokaLimits.inputValuesBytesPerRequest) problems.push(`input_values: ${input.toLocaleString('en-US')} bytes, more than Toloka accepts in one request (${TolokaLimits.inputValuesBytesPerRequest.toLocaleString('en-US')})`);
  const output = solutionBytes(task);
  if (output > TolokaLimits.outputValuesBytesPerRequest) problems.push(`known_solutions: ${output.toLocaleString('en-US')} bytes of output_values, more than Toloka accepts in one request (${TolokaLimits.outputValuesBytesPerRequest.toLocaleString('en-US')})`);
  return problems;
}

/** The problems of one task for this pool and project, as `field: message` texts. */
export function checkTask(task: Record<string, unknown>, poolId: string, spec: TaskSpec, bound?: number): string[] {
  const problems: string[] = sizeProblems(task, bound);
  if (task['pool_id'] !== undefined && plainText(task['pool_id']) !== poolId) problems.push(`pool_id: the task names pool ${plainText(task['pool_id'])}, not ${poolId}`);
  const named = task['pool_id'];
  if (named === undefined) task['pool_id'] = poolId;
  for (const p of validatePayload('task', task)) problems.push(`${formatPath(p.path)}: ${p.message}`);
  if (named === undefined) delete task['pool_id'];
  const values = task['input_values'];
  if (values && typeof values === 'object' && !Array.isArray(values)) {
    for (const [field, e] of Object.entries(checkValues(spec.input_spec, values as Record<string, unknown>, 'input_values'))) problems.push(`${field}: ${e.message}`);
  }
  const known = task['known_solutions'];
  if (Array.isArray(known)) {
    const optional: FieldSpecMap = Object.fromEntries(Object.entries(spec.output_spec).map(([k, v]) => [k, { ...v, required: false }]));
    known.forEach((s: { output_values?: unknown }, i) => {
      if (s?.output_values && typeof s.output_values === 'object') {
        for (const [field, e] of Object.entries(checkValues(optional, s.output_values as Record<string, unknown>, `known_solutions.${i}.output_values`))) problems.push(`${field}: ${e.message}`);
      }
    });
  }
  return problems;
}

/**
 * Every record of a task file as a task for `poolId`, with its problems, in file order. With
 * `check: false` the tasks are built but not checked (a second pass over a file already checked).
 */
export async function* readTasks(file: string, format: Format, poolId: string, spec: TaskSpec, signal?: AbortSignal, check = true): AsyncGenerator<TaskRecord> {
  const checked = (task: Record<string, unknown>, bound: number | undefined): string[] => (check ? checkTask(task, poolId, spec, bound) : []);
  let index = 0;
  // A file with nothing to upload is a mistake to report, not "0 tasks uploaded".
  const nothing = (what: string): TaskRecord => ({ index: 0, line: 1, problems: [what] });
  if (format === 'tsv') {
    let headers: string[] | undefined;
    for await (const r of readTsvRows(file, signal)) {
      if (!headers) {
        if (r.error || !Array.isArray(r.value)) {
          yield { index, line: r.line, problems: [r.error ?? 'no header row'] };
          return;
        }
        headers = (r.value as string[]).map((h) => h.trim());
        const headerProblems = checkHeaders(headers, spec);
        if (headerProblems.length > 0) {
          yield { index, line: r.line, problems: headerProblems };
          return;
        }
        continue;
      }
      const cells = r.value as string[] | undefined;
      if (!r.error && cells?.every((c) => c === '')) continue; // a blank line
      if (r.error) {
        yield { index: index++, line: r.line, problems: [r.error] };
        continue;
      }
      const row = r.value as string[];
      const { task, problems } = tsvToTask(headers, row, spec);
      const all = [...problems, ...checked(task, row.reduce((n, c) => n + c.length, 0))];
      task['pool_id'] = poolId;
      yield { index: index++, line: r.line, task, problems: all };
    }
    if (!headers) yield nothing('the file is empty: it has no header row and no tasks');
    else if (index === 0) yield nothing('the file has a header row but no tasks');
    return;
  }
  const source: AsyncGenerator<RawRecord> = format === 'jsonl' ? readJsonl(file, signal) : readJsonArray(file, signal);
  for await (const r of source) {
    if (r.error) {
      yield { index: index++, line: r.line, problems: [r.error] };
      continue;
    }
    if (!r.value || typeof r.value !== 'object' || Array.isArray(r.value)) {
      yield { index: index++, line: r.line, problems: ['a task must be a JSON object'] };
      continue;
    }
    const task = r.value as Record<string, unknown>;
    const problems = checked(task, r.size);
    // The parsed record is ours alone: name the pool in place rather than copying it.
    task['pool_id'] = poolId;
    yield { index: index++, line: r.line, task, problems };
  }
  if (index === 0) yield nothing(format === 'jsonl' ? 'the file is empty: it has no tasks' : 'the file has no tasks: the array is empty');
}
