/**
 * A dry-run crowd fitted from the results TSV of an earlier pool, so a dry-run replays a crowd
 * like the one that did the last pool: one simulated Toloker per real one, with their accuracy
 * (agreement with the Dawid-Skene labels of `OUTPUT:<field>`) and their confusion matrix (what
 * they answered per Dawid-Skene label, smoothed), their seconds per task (the middle half of `ASSIGNMENT:started` →
 * `ASSIGNMENT:submitted` over the suite's tasks) and their skip rate (`ASSIGNMENT:status`
 * SKIPPED). Tolokers are named by accuracy band, so the report groups them.
 */
import { dawidSkene } from '../aggregation';
import { ArchetypeSpec, defaultCrowd, type CrowdSpec } from '../sandbox/dryrun/crowd';
import { parseDateTime } from '../toloka/models/common';
import { readTsvRows } from './records';
import { readResponsesFromResults } from './responses';

/** Added to every cell of a fitted confusion row: a Toloker seen giving a label 3 times is not certain of it. */
const SMOOTHING = 0.5;

interface Seen {
  right: number;
  /** Per Dawid-Skene label code, per answer code: how often. */
  confusion: Map<number, Map<number, number>>;
  answered: number;
  skipped: number;
  assignments: number;
  secondsPerTask: number[];
}

function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * (s.length - 1)))] as number;
}

/** The accuracy band a fitted Toloker is reported under. */
function band(accuracy: number): string {
  const lo = Math.min(0.9, Math.floor(accuracy * 10) / 10);
  return `fitted ${lo.toFixed(1)}–${(lo + 0.1).toFixed(1)}`;
}

/** A Toloker's answers per Dawid-Skene label as probabilities over every label, smoothed; labels they never met are left to `accuracy`. */
function confusionOf(s: Seen, labelNames: readonly string[]): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const [truth, row] of s.confusion) {
    let total = 0;
    for (const c of row.values()) total += c;
    const cells: Record<string, number> = {};
    labelNames.forEach((name, code) => (cells[name] = ((row.get(code) ?? 0) + SMOOTHING) / (total + SMOOTHING * labelNames.length)));
    out[labelNames[truth] ?? String(truth)] = cells;
  }
  return out;
}

export async function crowdFromResults(file: string, field: string, signal?: AbortSignal): Promise<CrowdSpec> {
  const { responses: r } = await readResponsesFromResults(file, field, signal ? { signal } : {});
  if (r.workers.length === 0) throw new Error(`${file}: no answers in OUTPUT:${field} to fit a crowd from`);
  const labels = dawidSkene(r).labels;
  const seen = new Map<string, Seen>();
  const of = (w: string): Seen => {
    let s = seen.get(w);
    if (!s) seen.set(w, (s = { right: 0, confusion: new Map(), answered: 0, skipped: 0, assignments: 0, secondsPerTask: [] }));
    return s;
  };
  for (let i = 0; i < r.workers.length; i++) {
    const s = of(r.workerNames[r.workers[i] as number] ?? '');
    s.answered++;
    const truth = labels[r.tasks[i] as number] as number;
    if (truth === r.labels[i]) s.right++;
    if (truth >= 0) {
      let row = s.confusion.get(truth);
      if (!row) s.confusion.set(truth, (row = new Map()));
      row.set(r.labels[i] as number, (row.get(r.labels[i] as number) ?? 0) + 1);
    }
  }
  // Times, skips and golden answers from a second pass over the rows.
  let headers: string[] | undefined;
  const suites = new Map<string, { worker: string; seconds: number; tasks: number }>();
  for await (const row of readTsvRows(file, signal)) {
    const cells = row.value as string[] | undefined;
    if (!cells) continue;
    if (!headers) {
      headers = cells.map((h) => h.trim());
      continue;
    }
    const col = (name: string): string => cells[headers?.indexOf(name) ?? -1] ?? '';
    const worker = col('ASSIGNMENT:worker_id');
    if (worker === '') continue;
    if (col('ASSIGNMENT:status') === 'SKIPPED') {
      of(worker).skipped++;
      continue;
    }
    const id = col('ASSIGNMENT:assignment_id');
    const started = col('ASSIGNMENT:started');
    const submitted = col('ASSIGNMENT:submitted');
    if (id === '' || started === '' || submitted === '') continue;
    const seconds = (parseDateTime(submitted).getTime() - parseDateTime(started).getTime()) / 1000;
    if (!Number.isFinite(seconds) || seconds < 0) continue;
    const suite = suites.get(id) ?? { worker, seconds, tasks: 0 };
    suite.tasks++;
    suites.set(id, suite);
  }
  for (const s of suites.values()) {
    const w = of(s.worker);
    w.assignments++;
    w.secondsPerTask.push(s.seconds / Math.max(1, s.tasks));
  }
  const archetypes: ArchetypeSpec[] = [];
  for (const [, s] of seen) {
    const accuracy = Math.min(1, s.answered > 0 ? s.right / s.answered : 0.5);
    const times = s.secondsPerTask.length > 0 ? [quantile(s.secondsPerTask, 0.25), quantile(s.secondsPerTask, 0.75)] as const : [5, 20] as const;
    const skipRate = s.assignments + s.skipped > 0 ? s.skipped / (s.assignments + s.skipped) : 0;
    archetypes.push(ArchetypeSpec.parse({ name: band(accuracy), share: 1, accuracy, confusion: confusionOf(s, r.labelNames), secondsPerTask: [times[0], Math.max(times[0], times[1])], skipRate }));
  }
  return { size: archetypes.length, archetypes, attributes: defaultCrowd.attributes, skills: {} };
}
