/**
 * The other files aggregation reads and writes: pairwise comparisons (`worker,left,right,label`),
 * golden answers (`task,true_label`), worker weights (`worker,weight`), label sets for
 * multi-label answers, rankings and texts. No `vscode` import.
 */
import * as fs from 'node:fs';
import type { Responses } from '../aggregation';
import type { Comparisons } from '../aggregation/pairwise';
import { csvCell, csvCells, readCsvTable, ResponsesFileError } from './csvTable';
import { TextWriter } from './textWriter';

/**
 * Reads pairwise comparisons: `worker,left,right,label`, the label naming the preferred item
 * (equal to left or to right). Rows without a label are skipped.
 */
export async function readComparisonsCsv(file: string, signal?: AbortSignal): Promise<Comparisons> {
  const table = await readCsvTable(file, { columns: ['worker', 'left', 'right', 'label'], dictionaries: [0, 1, 1, 1], skipIfEmpty: 3, keepLines: true }, signal);
  const [workers, left, right, label] = table.codes as [Int32Array, Int32Array, Int32Array, Int32Array];
  const [workerNames, itemNames] = table.names as [string[], string[]];
  const leftWon = new Uint8Array(left.length);
  for (let k = 0; k < left.length; k++) {
    const [l, r, winner] = [left[k] as number, right[k] as number, label[k] as number];
    const line = table.lines[k] as number;
    if (l === r) throw new ResponsesFileError(file, line, `right: "${itemNames[r] ?? ''}" is compared with itself`);
    if (winner !== l && winner !== r) throw new ResponsesFileError(file, line, `label: "${itemNames[winner] ?? ''}" is neither the left item "${itemNames[l] ?? ''}" nor the right "${itemNames[r] ?? ''}"`);
    leftWon[k] = winner === l ? 1 : 0;
  }
  return { workers, left, right, leftWon, workerNames, itemNames };
}

/** Golden answers: `task` and `true_label` (or `label`) columns; a task given two different labels is an error. */
export async function readGoldCsv(file: string, signal?: AbortSignal): Promise<Map<string, string>> {
  const header = csvCells(await firstLine(file)).map((h) => h.trim());
  const labelColumn = header.includes('true_label') ? 'true_label' : 'label';
  const table = await readCsvTable(file, { columns: ['task', labelColumn], dictionaries: [0, 1], skipIfEmpty: 1, keepLines: true }, signal);
  const [tasks, labels] = table.codes as [Int32Array, Int32Array];
  const [taskNames, labelNames] = table.names as [string[], string[]];
  const gold = new Map<string, string>();
  for (let k = 0; k < tasks.length; k++) {
    const task = taskNames[tasks[k] as number] ?? '';
    const label = labelNames[labels[k] as number] ?? '';
    const before = gold.get(task);
    if (before !== undefined && before !== label) throw new ResponsesFileError(file, table.lines[k] as number, `${labelColumn}: task "${task}" was already given "${before}"`);
    gold.set(task, label);
  }
  return gold;
}

/**
 * Worker weights (`worker,weight`, finite numbers) for the workers of these responses, in
 * their codes. A worker listed twice, a weight that is not a number, or a worker of the
 * responses without a weight is an error.
 */
export async function readWeightsCsv(file: string, r: Responses, signal?: AbortSignal): Promise<Float64Array> {
  const check = (v: string): string | undefined => (v.trim() === '' || !Number.isFinite(Number(v)) ? `"${v}" is not a number` : undefined);
  const table = await readCsvTable(file, { columns: ['worker', 'weight'], dictionaries: [0, 1], skipIfEmpty: 1, check: { 1: check }, keepLines: true }, signal);
  const [workers, weights] = table.codes as [Int32Array, Int32Array];
  const [workerNames, weightNames] = table.names as [string[], string[]];
  const code = new Map(r.workerNames.map((w, i) => [w, i]));
  const out = new Float64Array(r.workerNames.length).fill(NaN);
  const seen = new Set<number>();
  for (let k = 0; k < workers.length; k++) {
    if (seen.has(workers[k] as number)) throw new ResponsesFileError(file, table.lines[k] as number, `worker: "${workerNames[workers[k] as number] ?? ''}" is listed twice`);
    seen.add(workers[k] as number);
    const w = code.get(workerNames[workers[k] as number] ?? '');
    if (w !== undefined) out[w] = Number(weightNames[weights[k] as number]);
  }
  const missing = r.workerNames.filter((_, w) => Number.isNaN(out[w]));
  if (missing.length > 0) throw new Error(`${file}: no weight for ${missing.length} Toloker(s) who answered, e.g. ${missing.slice(0, 3).map((w) => `"${w}"`).join(', ')}`);
  return out;
}

async function firstLine(file: string): Promise<string> {
  const fd = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.alloc(4096);
    const { bytesRead } = await fd.read(buf, 0, buf.length, 0);
    return (buf.toString('utf8', 0, bytesRead).split('\n')[0] ?? '').replace(/^\uFEFF/, '').replace(/\r$/, '').toLowerCase();
  } finally {
    await fd.close();
  }
}

/**
 * A multi-label answer's labels: a JSON array of strings (`["cat","dog"]`, as a results file
 * holds them; `[]` for none) or labels separated by `|` (`cat|dog`).
 */
export function labelSet(cell: string): string[] {
  const text = cell.trim();
  if (!text.startsWith('[')) return text.split('|').map((l) => l.trim()).filter((l) => l !== '');
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed)) throw new Error('not an array');
  return parsed.map((l) => (typeof l === 'string' ? l : JSON.stringify(l)));
}

/** Why a cell is not a label set, or undefined. */
export function labelSetProblem(cell: string): string | undefined {
  try {
    labelSet(cell);
    return undefined;
  } catch {
    return `"${cell}" is not a JSON array of labels (or labels separated by |)`;
  }
}

/** Writes `item,score,rank`, the best first. */
export async function writeRankingCsv(file: string, rows: ReadonlyArray<{ item: string; score: number; rank: number }>): Promise<void> {
  await writeCsv(file, 'item,score,rank', rows.map((r) => `${csvCell(r.item)},${String(r.score)},${r.rank}`));
}

/** Writes `task,<column>` rows. */
export async function writeTaskValuesCsv(file: string, column: string, rows: Iterable<readonly [string, string]>): Promise<void> {
  const lines: string[] = [];
  for (const [task, value] of rows) lines.push(`${csvCell(task)},${csvCell(value)}`);
  await writeCsv(file, `task,${column}`, lines);
}

async function writeCsv(file: string, header: string, lines: Iterable<string>): Promise<void> {
  const out = await TextWriter.open(file);
  try {
    await out.write(`${header}\n`);
    for (const line of lines) await out.write(`${line}\n`);
  } finally {
    await out.close();
  }
}
