/**
 * What a pool's dashboard shows beyond Toloka's analytics, accumulated from its submitted
 * assignments one page at a time: submissions per hour, the answers given to each output
 * field, how Tolokers agree with each other and with control tasks, and each Toloker's
 * answers and time. Answers are kept as integer codes in typed columns, so a pool of a million
 * assignments fits a worker thread comfortably. No vscode import.
 */
import { median } from '../aggregation/median';
import { IntColumn } from '../aggregation/responses';
import type { AssignmentResult, FieldSpecMap } from '../toloka/models';
import type { PoolStatsSnapshot, TolokerRow } from './messages';

export type { FieldDistribution, PoolStatsSnapshot, TolokerRow } from './messages';
import { dateTimeMs } from '../toloka/models/common';

/** Fields whose answers are counted by value: booleans, and strings or integers from a fixed set. */
export function categoricalFields(output: FieldSpecMap): string[] {
  return Object.entries(output)
    .filter(([, f]) => f.type === 'boolean' || ((f.type === 'string' || f.type === 'integer') && 'allowed_values' in f && Array.isArray(f.allowed_values) && f.allowed_values.length > 0))
    .map(([name]) => name);
}

class Interner {
  private readonly codes = new Map<string, number>();
  readonly names: string[] = [];

  code(name: string): number {
    let c = this.codes.get(name);
    if (c === undefined) {
      c = this.names.length;
      this.codes.set(name, c);
      this.names.push(name);
    }
    return c;
  }
}


const MINUTE = 60_000;
const HOUR = 3_600_000;

/** Submissions in the hour before `now`, from per-minute counts. */
export function lastHour(perMinute: ReadonlyArray<readonly [number, number]>, now: number): number {
  let n = 0;
  for (const [t, c] of perMinute) if (t + MINUTE > now - HOUR && t <= now) n += c;
  return n;
}

export class PoolStats {
  private readonly workers = new Interner();
  private readonly tasks = new Interner();
  private readonly labels: Interner[];
  /** Per answer (main field): worker, task, label code (-1: none), control (1) or not, right (1) or not. */
  private readonly aWorker = new IntColumn(1024);
  private readonly aTask = new IntColumn(1024);
  private readonly aLabel = new IntColumn(1024);
  private readonly aGolden = new IntColumn(1024);
  /** Per assignment: worker and seconds taken (-1 when unknown). */
  private readonly sWorker = new IntColumn(1024);
  private readonly sSeconds = new IntColumn(1024);
  /** Submissions per minute (epoch minute start → count): the chart sums hours, the ETA the last 60 minutes. */
  private readonly minutes = new Map<number, number>();
  /** Per field: label code → count. */
  private readonly fieldCounts: Array<Map<number, number>>;
  readonly fields: readonly string[];

  constructor(output: FieldSpecMap) {
    this.fields = categoricalFields(output);
    this.labels = this.fields.map(() => new Interner());
    this.fieldCounts = this.fields.map(() => new Map());
  }

  get assignments(): number {
    return this.sWorker.length;
  }

  /** Counts one submitted (or accepted, or rejected) assignment. */
  add(a: Pick<AssignmentResult, 'user_id' | 'tasks' | 'solutions' | 'created' | 'submitted'>): void {
    const worker = this.workers.code(a.user_id);
    const submitted = a.submitted ? dateTimeMs(a.submitted) : undefined;
    const created = a.created ? dateTimeMs(a.created) : undefined;
    this.sWorker.push(worker);
    this.sSeconds.push(submitted !== undefined && created !== undefined ? Math.max(0, Math.round((submitted - created) / 1000)) : -1);
    if (submitted !== undefined) {
      const minute = Math.floor(submitted / MINUTE) * MINUTE;
      this.minutes.set(minute, (this.minutes.get(minute) ?? 0) + 1);
    }
    a.tasks.forEach((t, i) => {
      const values = a.solutions?.[i]?.output_values as Record<string, unknown> | undefined;
      if (!values) return;
      this.fields.forEach((f, k) => {
        const v = values[f];
        if (v === undefined || v === null) return;
        const code = (this.labels[k] as Interner).code(JSON.stringify(v));
        const counts = this.fieldCounts[k] as Map<number, number>;
        counts.set(code, (counts.get(code) ?? 0) + 1);
      });
      const main = this.fields[0];
      if (main === undefined) return;
      const v = values[main];
      const known = t.known_solutions?.[0]?.output_values?.[main] as unknown;
      this.aWorker.push(worker);
      this.aTask.push(this.tasks.code(t.id ?? JSON.stringify(t.input_values)));
      this.aLabel.push(v === undefined || v === null ? -1 : (this.labels[0] as Interner).code(JSON.stringify(v)));
      this.aGolden.push(known === undefined ? 0 : JSON.stringify(known) === JSON.stringify(v) ? 2 : 1);
    });
  }

  private perHour(): Array<[number, number]> {
    const hours = new Map<number, number>();
    for (const [t, c] of this.minutes) {
      const h = Math.floor(t / HOUR) * HOUR;
      hours.set(h, (hours.get(h) ?? 0) + c);
    }
    return [...hours].sort((a, b) => a[0] - b[0]);
  }

  private recentMinutes(): Array<[number, number]> {
    let latest = 0;
    for (const t of this.minutes.keys()) latest = Math.max(latest, t);
    return [...this.minutes].filter(([t]) => t > latest - 2 * HOUR).sort((a, b) => a[0] - b[0]);
  }

  /**
   * The majority answer of each task (-1: none, or a tie) from its non-control answers, and the
   * mean share of the majority over tasks with two answers or more. Counts live in one typed
   * array of tasks × labels when that is small enough (a million tasks of a few labels is a few
   * MB), else in a map per task.
   */
  private majorities(): { majority: Int32Array; agreementSum: number; agreementTasks: number } {
    const nTasks = this.tasks.names.length;
    const nLabels = this.labels[0]?.names.length ?? 0;
    const majority = new Int32Array(nTasks).fill(-1);
    let agreementSum = 0;
    let agreementTasks = 0;
    const decide = (task: number, counts: (label: number) => number): void => {
      let total = 0;
      let best = -1;
      let bestCount = 0;
      let tie = false;
      for (let label = 0; label < nLabels; label++) {
        const c = counts(label);
        if (c === 0) continue;
        total += c;
        if (c > bestCount) {
          best = label;
          bestCount = c;
          tie = false;
        } else if (c === bestCount) tie = true;
      }
      if (total < 2) return;
      agreementSum += bestCount / total;
      agreementTasks++;
      if (!tie) majority[task] = best;
    };
    const n = this.aWorker.length;
    if (nTasks * nLabels <= 32_000_000) {
      const counts = new Int32Array(nTasks * nLabels);
      for (let i = 0; i < n; i++) {
        const label = this.aLabel.at(i);
        if (label < 0 || this.aGolden.at(i) !== 0) continue;
        const k = this.aTask.at(i) * nLabels + label;
        counts[k] = (counts[k] as number) + 1;
      }
      for (let task = 0; task < nTasks; task++) decide(task, (label) => counts[task * nLabels + label] as number);
    } else {
      const perTask = new Map<number, Map<number, number>>();
      for (let i = 0; i < n; i++) {
        const label = this.aLabel.at(i);
        if (label < 0 || this.aGolden.at(i) !== 0) continue;
        const task = this.aTask.at(i);
        let m = perTask.get(task);
        if (!m) perTask.set(task, (m = new Map()));
        m.set(label, (m.get(label) ?? 0) + 1);
      }
      for (const [task, m] of perTask) decide(task, (label) => m.get(label) ?? 0);
    }
    return { majority, agreementSum, agreementTasks };
  }

  snapshot(): PoolStatsSnapshot {
    const nWorkers = this.workers.names.length;
    const n = this.aWorker.length;
    const { majority, agreementSum, agreementTasks } = this.majorities();
    const answers = new Int32Array(nWorkers);
    const golden = new Int32Array(nWorkers);
    const goldenRight = new Int32Array(nWorkers);
    const compared = new Int32Array(nWorkers);
    const agreed = new Int32Array(nWorkers);
    for (let i = 0; i < n; i++) {
      const w = this.aWorker.at(i);
      answers[w] = (answers[w] as number) + 1;
      const g = this.aGolden.at(i);
      if (g !== 0) {
        golden[w] = (golden[w] as number) + 1;
        if (g === 2) goldenRight[w] = (goldenRight[w] as number) + 1;
        continue;
      }
      const m = majority[this.aTask.at(i)] as number;
      if (m < 0) continue;
      compared[w] = (compared[w] as number) + 1;
      if (this.aLabel.at(i) === m) agreed[w] = (agreed[w] as number) + 1;
    }
    const times: number[][] = Array.from({ length: nWorkers }, () => []);
    const suites = new Int32Array(nWorkers);
    const all: number[] = [];
    for (let i = 0; i < this.sWorker.length; i++) {
      const w = this.sWorker.at(i);
      suites[w] = (suites[w] as number) + 1;
      const s = this.sSeconds.at(i);
      if (s >= 0) {
        (times[w] as number[]).push(s);
        all.push(s);
      }
    }
    const tolokers: TolokerRow[] = this.workers.names.map((workerId, w) => {
      const row: TolokerRow = { workerId, assignments: suites[w] as number, answers: answers[w] as number, goldenAnswers: golden[w] as number };
      if ((golden[w] as number) > 0) row.goldenAccuracy = (goldenRight[w] as number) / (golden[w] as number);
      if ((compared[w] as number) > 0) row.majorityAgreement = (agreed[w] as number) / (compared[w] as number);
      const m = median(times[w] as number[]);
      if (m !== undefined) row.medianSeconds = m;
      return row;
    });
    tolokers.sort((a, b) => b.assignments - a.assignments || (a.workerId < b.workerId ? -1 : 1));
    const agreement = agreementTasks > 0 ? agreementSum / agreementTasks : undefined;
    const medianSeconds = median(all);
    return {
      assignments: this.sWorker.length,
      answers: n,
      perHour: this.perHour(),
      recentMinutes: this.recentMinutes(),
      fields: this.fields.map((field, k) => ({
        field,
        counts: [...(this.fieldCounts[k] as Map<number, number>)].map(([code, c]): [string, number] => [(this.labels[k] as Interner).names[code] ?? '', c]).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)),
      })),
      ...(agreement !== undefined ? { agreement } : {}),
      ...(medianSeconds !== undefined ? { medianSeconds } : {}),
      tolokers,
      ...(this.fields[0] !== undefined ? { mainField: this.fields[0] } : {}),
    };
  }
}
