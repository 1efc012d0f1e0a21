/**
 * A pool's `quality_control.configs` executed as Toloka documents them: each collector keeps
 * its figures per Toloker (a window of `history_size` where it has one), is fed the events that
 * Toloka feeds it (a submit, a skip, a review, a completed majority, a lost access, a captcha),
 * and after each event that changed its figures tests its rules' conditions (AND) and runs the
 * actions of those that hold through `QcEffects`. No I/O and no clock of its own: the caller
 * says when things happen, so the live sandbox and the accelerated dry-run share it.
 */
import type { CollectorType, QualityControlConfig, RuleAction } from '../../toloka/models';

export type Answer = Readonly<Record<string, unknown>>;

/** One task of a submitted suite, with what the Toloker answered. */
export interface SubmittedTask {
  readonly taskId: string;
  readonly answer: Answer;
  /** Known solutions of a control or training task. */
  readonly known?: readonly Answer[] | undefined;
}

export interface SubmitEvent {
  readonly kind: 'submit';
  readonly user: string;
  readonly assignmentId: string;
  readonly suiteId: string;
  readonly startedMs: number;
  readonly submittedMs: number;
  readonly reward: number;
  readonly tasks: readonly SubmittedTask[];
  /** In a training pool: whether it has another suite for this Toloker. */
  readonly nextAssignmentAvailable?: boolean;
}

export type QcEvent =
  | SubmitEvent
  | { readonly kind: 'skip'; readonly user: string; readonly assignmentId: string; readonly suiteId: string; readonly atMs: number }
  | { readonly kind: 'assess'; readonly user: string; readonly assignmentId: string; readonly suiteId: string; readonly verdict: 'ACCEPT' | 'REJECT'; readonly atMs: number }
  /** A task's overlap is complete: every answer it got, for the majority vote. */
  | { readonly kind: 'taskComplete'; readonly taskId: string; readonly answers: readonly { readonly user: string; readonly answer: Answer }[]; readonly atMs: number }
  | { readonly kind: 'accessRevoked'; readonly user: string; readonly reason: 'RESTRICTION' | 'SKILL_CHANGE'; readonly skillId?: string | undefined; readonly atMs: number }
  | { readonly kind: 'captcha'; readonly user: string; readonly success: boolean; readonly atMs: number };

/** Which rule fired: the config's index in `configs`, the rule's index in its `rules`. */
export interface RuleRef {
  readonly config: number;
  readonly rule: number;
  readonly collector: CollectorType;
  readonly action: RuleAction['type'];
}

export type RestrictionScope = 'POOL' | 'PROJECT' | 'ALL_PROJECTS';

/** What the rules do to the world; the caller owns Tolokers, suites and assignments. */
export interface QcEffects {
  restrict(user: string, scope: RestrictionScope, untilMs: number | undefined, comment: string | undefined, by: RuleRef): void;
  setSkill(user: string, skillId: string, value: number, by: RuleRef): void;
  /** Changes the overlap of these task suites; `openPool` reopens a closed pool. */
  changeOverlap(suiteIds: readonly string[], delta: number, openPool: boolean, by: RuleRef): void;
  rejectAll(user: string, comment: string, by: RuleRef): void;
  approveAll(user: string, by: RuleRef): void;
  /** The suites this Toloker completed in the pool (for USERS_ASSESSMENT recompletion). */
  suitesOf(user: string): readonly string[];
  setPoolComplete?(by: RuleRef): void;
}

type Figures = Readonly<Record<string, number | string | boolean>>;

const DAY_MS = 86_400_000;

/** A bounded window of recent outcomes. */
class Window {
  private readonly items: boolean[] = [];
  private trues = 0;
  constructor(private readonly size: number | undefined) {}
  push(v: boolean): void {
    this.items.push(v);
    if (v) this.trues++;
    if (this.size !== undefined && this.items.length > this.size) if (this.items.shift()) this.trues--;
  }
  get length(): number {
    return this.items.length;
  }
  get count(): number {
    return this.trues;
  }
  /** Percentage of true outcomes (NaN with none). */
  get rate(): number {
    return this.items.length === 0 ? Number.NaN : (100 * this.trues) / this.items.length;
  }
  /** The outcomes oldest first as `1`s and `0`s, for a snapshot. */
  bits(): string {
    return this.items.map((v) => (v ? '1' : '0')).join('');
  }
  static of(size: number | undefined, bits: string): Window {
    const w = new Window(size);
    for (const c of bits) w.push(c === '1');
    return w;
  }
}

interface UserFigures {
  window?: Window;
  skippedInRow?: number;
  submitted?: number;
  income?: { atMs: number; reward: number }[];
  answers?: number;
}

/** A Toloker's figures as plain JSON: the window's outcomes as `1`s and `0`s. */
export interface UserFiguresSnapshot {
  readonly window?: string;
  readonly skippedInRow?: number;
  readonly submitted?: number;
  readonly income?: readonly { readonly atMs: number; readonly reward: number }[];
  readonly answers?: number;
}

interface SuiteFigures { pending: number; accepted: number; rejected: number }

/** Everything an engine has collected, as plain JSON (for the sandbox's data file). */
export interface QcEngineSnapshot {
  /** Per config: [Toloker, figures] pairs. */
  readonly users: readonly (readonly (readonly [string, UserFiguresSnapshot])[])[];
  /** Per config: [suite, ASSIGNMENTS_ASSESSMENT figures] pairs. */
  readonly suites: readonly (readonly (readonly [string, SuiteFigures])[])[];
  readonly fired: readonly (readonly [string, number])[];
}

/** Whether an answer matches a known solution: every field the solution gives is equal. */
export function matchesKnown(answer: Answer, known: readonly Answer[]): boolean {
  return known.some((k) => Object.entries(k).every(([f, v]) => sameValue(answer[f], v)));
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'object' || typeof b === 'object') return JSON.stringify(a) === JSON.stringify(b);
  return false;
}

/** The condition `actual <operator> expected`; a count may be sent as a string (one documented example does). */
export function holds(actual: number | string | boolean | undefined, operator: string, expected: unknown): boolean {
  if (actual === undefined) return false;
  if (typeof actual === 'number') {
    const e = typeof expected === 'number' ? expected : typeof expected === 'string' && expected.trim() !== '' ? Number(expected) : Number.NaN;
    if (Number.isNaN(actual) || Number.isNaN(e)) return false;
    switch (operator) {
      case 'EQ': return actual === e;
      case 'NE': return actual !== e;
      case 'GT': return actual > e;
      case 'GTE': return actual >= e;
      case 'LT': return actual < e;
      case 'LTE': return actual <= e;
      default: return false;
    }
  }
  const a = String(actual);
  const e = String(expected);
  if (operator === 'EQ') return a === e;
  if (operator === 'NE') return a !== e;
  return false;
}

/** An action's parameters as the model checked them (the loose zod objects do not narrow by type). */
interface ActionParameters {
  scope?: RestrictionScope;
  duration_days?: number;
  duration?: number;
  duration_unit?: 'MINUTES' | 'HOURS' | 'DAYS' | 'PERMANENT';
  private_comment?: string;
  skill_id?: string;
  skill_value?: number;
  from_field?: string;
  delta?: number;
  open_pool?: boolean;
  public_comment?: string;
}

function restrictionUntil(type: RuleAction['type'], p: ActionParameters, atMs: number): number | undefined {
  if (type === 'RESTRICTION') return typeof p.duration_days === 'number' ? atMs + p.duration_days * DAY_MS : undefined;
  const unit = { MINUTES: 60_000, HOURS: 3_600_000, DAYS: DAY_MS, PERMANENT: 0 }[p.duration_unit ?? 'PERMANENT'];
  return unit === 0 || typeof p.duration !== 'number' ? undefined : atMs + p.duration * unit;
}

/** The required output fields' values as one key, for comparing answers in a majority vote. */
function answerKey(answer: Answer, fields: readonly string[] | undefined): string {
  const names = fields ?? Object.keys(answer).sort();
  return JSON.stringify(names.map((n) => answer[n] ?? null));
}

export interface QcEngineOptions {
  /** Output fields compared by MAJORITY_VOTE (the required ones); all fields when absent. */
  readonly majorityFields?: readonly string[] | undefined;
}

export class QcEngine {
  /** Per config, per Toloker. */
  private readonly users: Map<string, UserFigures>[];
  /** ASSIGNMENTS_ASSESSMENT figures, per config, per suite. */
  private readonly suites: Map<string, SuiteFigures>[];
  /** How often each rule fired, keyed `config/rule`. */
  readonly fired = new Map<string, number>();
  private queue: QcEvent[] = [];
  private running = false;

  constructor(readonly configs: readonly QualityControlConfig[], private readonly effects: QcEffects, private readonly options: QcEngineOptions = {}) {
    this.users = configs.map(() => new Map());
    this.suites = configs.map(() => new Map());
  }

  /**
   * Feeds an event to every collector that takes it. An action may cause more events (a ban
   * revokes access, a rejection is a review): the caller reports them with `handle` too, and
   * they are processed in order after the current one, never recursively.
   */
  handle(event: QcEvent): void {
    this.queue.push(event);
    if (this.running) return;
    this.running = true;
    try {
      for (let e = this.queue.shift(); e !== undefined; e = this.queue.shift()) this.process(e);
    } finally {
      this.running = false;
      this.queue = [];
    }
  }

  /** What the collectors hold now, as plain JSON; `restore` puts it back. */
  snapshot(): QcEngineSnapshot {
    return {
      users: this.users.map((m) => [...m].map(([user, f]) => {
        const { window, ...rest } = f;
        return [user, { ...rest, ...(window ? { window: window.bits() } : {}), ...(f.income ? { income: f.income.map((x) => ({ ...x })) } : {}) }] as const;
      })),
      suites: this.suites.map((m) => [...m].map(([suite, s]) => [suite, { ...s }] as const)),
      fired: [...this.fired],
    };
  }

  /** Takes back a snapshot of an engine with the same configs (figures of configs it lacks are ignored). */
  restore(snap: QcEngineSnapshot): void {
    this.users.forEach((m, i) => {
      m.clear();
      const size = (this.configs[i]?.collector_config.parameters as { history_size?: number } | undefined)?.history_size;
      for (const [user, f] of snap.users[i] ?? []) {
        const { window, income, ...rest } = f;
        m.set(user, { ...rest, ...(window !== undefined ? { window: Window.of(size, window) } : {}), ...(income ? { income: income.map((x) => ({ ...x })) } : {}) });
      }
    });
    this.suites.forEach((m, i) => {
      m.clear();
      for (const [suite, s] of snap.suites[i] ?? []) m.set(suite, { ...s });
    });
    this.fired.clear();
    for (const [k, n] of snap.fired) this.fired.set(k, n);
  }

  private fig(config: number, user: string): UserFigures {
    const m = this.users[config] as Map<string, UserFigures>;
    let f = m.get(user);
    if (!f) m.set(user, (f = {}));
    return f;
  }

  private window(config: number, user: string): Window {
    const f = this.fig(config, user);
    const size = (this.configs[config]?.collector_config.parameters as { history_size?: number } | undefined)?.history_size;
    return (f.window ??= new Window(size));
  }

  private process(e: QcEvent): void {
    this.configs.forEach((config, i) => {
      const type = config.collector_config.type;
      const at = 'atMs' in e ? e.atMs : e.submittedMs;
      const figures = this.collect(i, type, e);
      if (!figures) return;
      for (const [user, f, suites] of figures) this.evaluate(i, f, user, suites, at);
    });
  }

  /** The figures each Toloker concerned now has, when the event changed them. */
  private collect(i: number, type: CollectorType, e: QcEvent): Array<[string, Figures, readonly string[] | undefined]> | undefined {
    const params = (this.configs[i]?.collector_config.parameters ?? {}) as Record<string, unknown>;
    switch (type) {
      case 'GOLDEN_SET': {
        if (e.kind !== 'submit') return undefined;
        const golden = e.tasks.filter((t) => t.known && t.known.length > 0);
        if (golden.length === 0) return undefined;
        const w = this.window(i, e.user);
        for (const t of golden) w.push(matchesKnown(t.answer, t.known ?? []));
        return [[e.user, rates(w, true), [e.suiteId]]];
      }
      case 'TRAINING': {
        if (e.kind !== 'submit') return undefined;
        const f = this.fig(i, e.user);
        f.submitted = (f.submitted ?? 0) + 1;
        const w = this.window(i, e.user);
        for (const t of e.tasks) if (t.known && t.known.length > 0) w.push(matchesKnown(t.answer, t.known));
        return [[e.user, { ...rates(w, false), submitted_assignments_count: f.submitted, next_assignment_available: e.nextAssignmentAvailable ?? false }, [e.suiteId]]];
      }
      case 'MAJORITY_VOTE': {
        if (e.kind !== 'taskComplete') return undefined;
        const threshold = Number(params.answer_threshold ?? 1);
        const counts = new Map<string, number>();
        const keys = e.answers.map((a) => answerKey(a.answer, this.options.majorityFields));
        for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
        let majority: string | undefined;
        for (const [k, n] of counts) if (n >= threshold && (majority === undefined || n > (counts.get(majority) ?? 0))) majority = k;
        if (majority === undefined) return undefined;
        return e.answers.map((a, j) => {
          const w = this.window(i, a.user);
          w.push(keys[j] === majority);
          return [a.user, rates(w, false), undefined];
        });
      }
      case 'ASSIGNMENT_SUBMIT_TIME': {
        if (e.kind !== 'submit') return undefined;
        const w = this.window(i, e.user);
        w.push(e.submittedMs - e.startedMs < Number(params.fast_submit_threshold_seconds ?? 0) * 1000);
        return [[e.user, { total_submitted_count: w.length, fast_submitted_count: w.count }, [e.suiteId]]];
      }
      case 'SKIPPED_IN_ROW_ASSIGNMENTS': {
        if (e.kind !== 'skip' && e.kind !== 'submit') return undefined;
        const f = this.fig(i, e.user);
        f.skippedInRow = e.kind === 'skip' ? (f.skippedInRow ?? 0) + 1 : 0;
        return e.kind === 'skip' ? [[e.user, { skipped_in_row_count: f.skippedInRow }, [e.suiteId]]] : undefined;
      }
      case 'ANSWER_COUNT': {
        if (e.kind !== 'submit') return undefined;
        const f = this.fig(i, e.user);
        f.submitted = (f.submitted ?? 0) + 1;
        return [[e.user, { assignments_accepted_count: f.submitted }, [e.suiteId]]];
      }
      case 'INCOME': {
        if (e.kind !== 'submit' && !(e.kind === 'assess' && e.verdict === 'REJECT')) return undefined;
        const f = this.fig(i, e.user);
        const income = (f.income ??= []);
        if (e.kind === 'submit') income.push({ atMs: e.submittedMs, reward: e.reward });
        const at = e.kind === 'submit' ? e.submittedMs : e.atMs;
        while (income.length > 0 && (income[0]?.atMs ?? 0) <= at - DAY_MS) income.shift();
        if (e.kind === 'assess') return undefined;
        const sum = income.reduce((s, x) => s + x.reward, 0);
        return [[e.user, { income_sum_for_last_24_hours: Math.round(sum * 1e6) / 1e6 }, [e.suiteId]]];
      }
      case 'ACCEPTANCE_RATE': {
        if (e.kind !== 'assess') return undefined;
        const w = this.window(i, e.user);
        w.push(e.verdict === 'ACCEPT');
        return [[e.user, { total_assignments_count: w.length, accepted_assignments_rate: w.rate, rejected_assignments_rate: 100 - w.rate }, [e.suiteId]]];
      }
      case 'ASSIGNMENTS_ASSESSMENT': {
        if (e.kind !== 'submit' && e.kind !== 'assess') return undefined;
        const m = this.suites[i] as Map<string, SuiteFigures>;
        let s = m.get(e.suiteId);
        if (!s) m.set(e.suiteId, (s = { pending: 0, accepted: 0, rejected: 0 }));
        if (e.kind === 'submit') s.pending++;
        else {
          s.pending = Math.max(0, s.pending - 1);
          if (e.verdict === 'ACCEPT') s.accepted++;
          else s.rejected++;
        }
        const event = e.kind === 'submit' ? 'SUBMIT' : e.verdict;
        return [[e.user, { pending_assignments_count: s.pending, accepted_assignments_count: s.accepted, rejected_assignments_count: s.rejected, assessment_event: event }, [e.suiteId]]];
      }
      case 'USERS_ASSESSMENT': {
        if (e.kind !== 'accessRevoked') return undefined;
        return [[e.user, { pool_access_revoked_reason: e.reason, ...(e.skillId !== undefined ? { skill_id: e.skillId } : {}) }, undefined]];
      }
      case 'CAPTCHA': {
        if (e.kind !== 'captcha') return undefined;
        const w = this.window(i, e.user);
        w.push(e.success);
        return [[e.user, { stored_results_count: w.length, success_rate: w.rate, fail_rate: 100 - w.rate }, undefined]];
      }
      default:
        return undefined;
    }
  }

  private evaluate(i: number, figures: Figures, user: string, suites: readonly string[] | undefined, atMs: number): void {
    const config = this.configs[i];
    if (!config) return;
    config.rules.forEach((rule, r) => {
      if (!rule.conditions.every((c) => holds(figures[c.key], c.operator, c.value))) return;
      const by: RuleRef = { config: i, rule: r, collector: config.collector_config.type, action: rule.action.type };
      const key = `${i}/${r}`;
      this.fired.set(key, (this.fired.get(key) ?? 0) + 1);
      this.act(rule.action, figures, user, suites, atMs, by);
    });
  }

  private act(action: RuleAction, figures: Figures, user: string, suites: readonly string[] | undefined, atMs: number, by: RuleRef): void {
    const p = (action.parameters ?? {}) as ActionParameters;
    switch (action.type) {
      case 'RESTRICTION':
      case 'RESTRICTION_V2':
        this.effects.restrict(user, p.scope ?? 'PROJECT', restrictionUntil(action.type, p, atMs), p.private_comment, by);
        return;
      case 'SET_SKILL':
        if (p.skill_id !== undefined && typeof p.skill_value === 'number') this.effects.setSkill(user, p.skill_id, p.skill_value, by);
        return;
      case 'SET_SKILL_FROM_OUTPUT_FIELD': {
        const v = figures[p.from_field ?? ''];
        if (p.skill_id !== undefined && typeof v === 'number' && !Number.isNaN(v)) this.effects.setSkill(user, p.skill_id, v, by);
        return;
      }
      case 'CHANGE_OVERLAP': {
        // USERS_ASSESSMENT recompletes the suites the Toloker completed; elsewhere the suite assessed.
        const targets = by.collector === 'USERS_ASSESSMENT' || suites === undefined ? this.effects.suitesOf(user) : suites;
        if (targets.length > 0) this.effects.changeOverlap(targets, p.delta ?? 0, p.open_pool ?? false, by);
        return;
      }
      case 'REJECT_ALL_ASSIGNMENTS':
        this.effects.rejectAll(user, p.public_comment ?? '', by);
        return;
      case 'APPROVE_ALL_ASSIGNMENTS':
        this.effects.approveAll(user, by);
        return;
      case 'CLEAN_COLLECTOR':
      case 'CLEAN_ASSIGNMENTS_HISTORY':
        (this.users[by.config] as Map<string, UserFigures>).delete(user);
        return;
      case 'SET_POOL_COMPLETE':
        this.effects.setPoolComplete?.(by);
        return;
    }
  }

  /** Collectors of these types are configured (for findings and captcha scheduling). */
  has(type: CollectorType): boolean {
    return this.configs.some((c) => c.collector_config.type === type);
  }
}

/** A window's figures under both the plain and the `golden_set_` names. */
function rates(w: Window, golden: boolean): Figures {
  const base = { total_answers_count: w.length, correct_answers_rate: w.rate, incorrect_answers_rate: 100 - w.rate };
  return golden ? { ...base, golden_set_answers_count: w.length, golden_set_correct_answers_rate: w.rate, golden_set_incorrect_answers_rate: 100 - w.rate } : base;
}
