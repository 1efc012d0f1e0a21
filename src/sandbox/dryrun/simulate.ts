/**
 * A dry-run of a pool: the pool (and its training) run to completion at accelerated time with a
 * simulated crowd, and the pool's quality control executed by `QcEngine` as Toloka would:
 * access by filter, training requirement and bans; suites mixed from real and control tasks;
 * submits, skips, expiries and reviews; bans, skills and recompletions. Time is a number of
 * simulated milliseconds that jumps from one event to the next, so thousands of tasks take
 * moments. Deterministic from the seed. No I/O.
 */
import type { FieldSpec, FieldSpecMap, Filter, QualityControlConfig } from '../../toloka/models';
import { hash32, Rng } from '../rng';
import { trueValue } from '../fieldDomain';
import { dynamicOverlapStep, possibleAnswers } from '../qc/dynamicOverlap';
import { archetypeAnswer, drawCrowd, type CrowdMember, type CrowdSpec } from './crowd';
import { matchesKnown, QcEngine, type Answer, type QcEffects, type RestrictionScope, type RuleRef } from '../qc/engine';
import { filterSkills, passesFilter } from '../qc/filter';
import { rewardFor } from '../qc/pricing';
import { EventQueue } from './eventQueue';

/** The parts of a pool a dry-run reads (a pool file, or a pool from Toloka). */
export interface DryRunPool {
  readonly private_name?: string | undefined;
  readonly reward_per_assignment?: number | undefined;
  readonly assignment_max_duration_seconds?: number | undefined;
  readonly auto_accept_solutions?: boolean | undefined;
  readonly auto_accept_period_day?: number | undefined;
  readonly defaults?: { readonly default_overlap_for_new_task_suites?: number | undefined; readonly default_overlap_for_new_tasks?: number | undefined } | undefined;
  readonly mixer_config?: { readonly real_tasks_count?: number | undefined; readonly golden_tasks_count?: number | undefined; readonly training_tasks_count?: number | undefined } | undefined;
  readonly filter?: Filter | undefined;
  /** Incremental relabeling: more overlap, up to `max_overlap`, while the answers' confidence is below `min_confidence`. */
  readonly dynamic_overlap_config?: { readonly max_overlap: number; readonly min_confidence: number; readonly answer_weight_skill_id: string; readonly fields: readonly { readonly name: string }[] } | undefined;
  /** The reward by the Toloker's skill. */
  readonly dynamic_pricing_config?: { readonly skill_id: string; readonly intervals: readonly { readonly from?: number | undefined; readonly to?: number | undefined; readonly reward_per_assignment: number }[] } | undefined;
  readonly quality_control?: {
    readonly configs?: readonly QualityControlConfig[] | undefined;
    readonly captcha_frequency?: 'LOW' | 'MEDIUM' | 'HIGH' | undefined;
    readonly training_requirement?: { readonly training_pool_id: string; readonly training_passing_skill_value: number } | undefined;
  } | undefined;
}

export interface DryRunTask {
  readonly input_values: Readonly<Record<string, unknown>>;
  readonly known_solutions?: readonly { readonly output_values: Answer }[] | undefined;
  readonly overlap?: number | null | undefined;
}

export interface DryRunInput {
  readonly outputSpec: FieldSpecMap;
  readonly pool: DryRunPool;
  readonly tasks: readonly DryRunTask[];
  /** A training the pool requires (`quality_control.training_requirement`). */
  readonly training?: { readonly pool: DryRunPool; readonly tasks: readonly DryRunTask[] } | undefined;
  readonly crowd: CrowdSpec;
  readonly seed: number;
  /** Manual review when the pool does not accept automatically: accept a suite when at least this share of its answers is right. */
  readonly reviewAcceptShare?: number;
  /** Simulated time after which the run stops (default 30 days). */
  readonly maxSimulatedMs?: number;
  readonly signal?: AbortSignal | undefined;
  /** Share of the answers the pool needs that it has, now and then. */
  readonly onProgress?: ((done: number) => void) | undefined;
}

export type AssignmentStatus = 'ACTIVE' | 'SUBMITTED' | 'ACCEPTED' | 'REJECTED' | 'SKIPPED' | 'EXPIRED';
export type PoolKey = 'pool' | 'training';

export interface SimAssignment {
  readonly id: string;
  readonly suiteId: string;
  readonly pool: PoolKey;
  readonly member: number;
  readonly tasks: readonly number[];
  status: AssignmentStatus;
  answers: Answer[] | undefined;
  readonly startedMs: number;
  endedMs: number;
  readonly reward: number;
}

export interface SimTask {
  readonly index: number;
  readonly id: string;
  readonly golden: boolean;
  readonly known: readonly Answer[] | undefined;
  readonly truth: Answer;
  overlap: number;
  remaining: number;
  active: number;
  readonly workers: Set<number>;
  /** Answers that count (not rejected), by member. */
  readonly answers: Map<number, Answer>;
}

export interface BanRecord {
  readonly member: number;
  readonly pool: PoolKey;
  readonly scope: RestrictionScope;
  readonly atMs: number;
  readonly untilMs: number | undefined;
  readonly by: RuleRef;
}

export interface SkillRecord {
  readonly member: number;
  readonly skillId: string;
  readonly value: number;
  readonly atMs: number;
  /** undefined: the training's own skill. */
  readonly by: RuleRef | undefined;
  readonly pool: PoolKey;
}

export interface RecompletionRecord {
  readonly pool: PoolKey;
  readonly suiteId: string;
  readonly delta: number;
  readonly atMs: number;
  readonly by: RuleRef;
  /** The pool was closed and the rule reopened it. */
  readonly reopened: boolean;
  /** The pool was closed and the rule did not reopen it: the new overlap waits for a manual reopen. */
  readonly lost: boolean;
}

export interface SimPool {
  readonly key: PoolKey;
  readonly spec: DryRunPool;
  readonly tasks: SimTask[];
  readonly golden: SimTask[];
  readonly engine: QcEngine;
  status: 'OPEN' | 'CLOSED';
  closedAtMs: number | undefined;
  reopened: number;
  /** First task that may still need an answer or has one in progress. */
  cursor: number;
  /** First task that may still need an answer (tasks before it have none left to give). */
  openCursor: number;
  readonly byMember: Map<number, SimAssignment[]>;
  readonly bySuite: Map<string, SimAssignment>;
}

export interface DryRunResult {
  readonly members: readonly CrowdMember[];
  readonly pools: { readonly pool: SimPool; readonly training?: SimPool | undefined };
  readonly assignments: readonly SimAssignment[];
  readonly bans: readonly BanRecord[];
  readonly skills: readonly SkillRecord[];
  readonly recompletions: readonly RecompletionRecord[];
  readonly captchas: { readonly shown: number; readonly failed: number };
  /** Tolokers who had no unseen control task left for a suite. */
  readonly goldenRanOut: number;
  /** Answers added by dynamic overlap, and the tasks that got them. */
  readonly dynamicOverlap: { readonly extraAnswers: number; readonly tasks: number };
  readonly endMs: number;
  readonly cancelled: boolean;
  readonly outputSpec: FieldSpecMap;
}

/** An assignment names a control task by its index among the control tasks plus this; a real one by its index. */
const GOLDEN = 1_000_000_000;

/** The tasks of an assignment's suite, real and control, in the order it had them. */
export function suiteTasks(pool: SimPool, a: SimAssignment): SimTask[] {
  return a.tasks.map((i) => (i >= GOLDEN ? pool.golden[i - GOLDEN] : pool.tasks[i]) as SimTask);
}

/** The training's own skill: the percentage of correct training answers. */
export const trainingSkill = 'training';

type Ev = { t: number; kind: 'take'; m: number } | { t: number; kind: 'end'; a: SimAssignment } | { t: number; kind: 'review'; a: SimAssignment };

const captchaEvery = { LOW: 20, MEDIUM: 10, HIGH: 5 } as const;

/** The output fields MAJORITY_VOTE compares: the required ones. */
function requiredFields(spec: FieldSpecMap): string[] {
  return Object.entries(spec).filter(([, f]) => (f as { required?: boolean }).required !== false).map(([n]) => n);
}

export class DryRun {
  readonly members: CrowdMember[];
  readonly assignments: SimAssignment[] = [];
  readonly bans: BanRecord[] = [];
  readonly skills: SkillRecord[] = [];
  readonly recompletions: RecompletionRecord[] = [];
  readonly captchas = { shown: 0, failed: 0 };
  private goldenRanOut = new Set<number>();
  private extraAnswers = 0;
  private readonly extended = new Set<number>();
  private readonly events = new EventQueue<Ev>();
  /** Tolokers waiting for work in a pool they may enter (woken when overlap grows or a pool reopens). */
  private readonly idle = new Set<number>();
  /** Tolokers the filter or the training keeps out (woken by a change of skill). Banned ones wait for their ban's end. */
  private readonly parked = new Set<number>();
  private readonly bansOf = new Map<number, BanRecord[]>();
  /** Tolokers with a suite in progress: a wake-up (a ban's end) must not give them a second one. */
  private readonly working = new Set<number>();
  private readonly rng: Rng;
  private readonly pool: SimPool;
  private readonly training: SimPool | undefined;
  private now = 0;
  private needed = 0;
  private got = 0;

  constructor(private readonly input: DryRunInput) {
    this.rng = new Rng(input.seed);
    this.members = drawCrowd(input.crowd, input.seed);
    this.pool = this.makePool('pool', input.pool, input.tasks);
    this.training = input.training ? this.makePool('training', input.training.pool, input.training.tasks) : undefined;
    for (const t of this.pool.tasks) this.needed += t.overlap;
  }

  private makePool(key: PoolKey, spec: DryRunPool, given: readonly DryRunTask[]): SimPool {
    const fallback = spec.defaults?.default_overlap_for_new_tasks ?? spec.defaults?.default_overlap_for_new_task_suites ?? 1;
    const tasks: SimTask[] = [];
    const golden: SimTask[] = [];
    given.forEach((g, i) => {
      const id = `${key}-${i + 1}`;
      const known = g.known_solutions && g.known_solutions.length > 0 ? g.known_solutions.map((k) => k.output_values) : undefined;
      // A training's tasks are all answered by every Toloker (infinite overlap; toloka-kit sends overlap null).
      const overlap = key === 'training' ? Number.POSITIVE_INFINITY : (g.overlap ?? fallback);
      const isGolden = known !== undefined && key === 'pool';
      const t: SimTask = { index: isGolden ? golden.length : tasks.length, id, golden: isGolden, known, truth: known?.[0] ?? this.truth(id), overlap, remaining: overlap, active: 0, workers: new Set(), answers: new Map() };
      (t.golden ? golden : tasks).push(t);
    });
    const effects = this.effects(key);
    const engine = new QcEngine(spec.quality_control?.configs ?? [], effects, { majorityFields: requiredFields(this.input.outputSpec) });
    return { key, spec, tasks, golden, engine, status: 'OPEN', closedAtMs: undefined, reopened: 0, cursor: 0, openCursor: 0, byMember: new Map(), bySuite: new Map() };
  }

  private truth(taskId: string): Answer {
    const out: Record<string, unknown> = {};
    for (const [name, field] of Object.entries(this.input.outputSpec)) out[name] = trueValue(this.input.seed, taskId, name, field);
    return out;
  }

  private get pools(): SimPool[] {
    return this.training ? [this.pool, this.training] : [this.pool];
  }

  private poolOf(key: PoolKey): SimPool {
    return key === 'training' && this.training ? this.training : this.pool;
  }

  /** Runs to the end (or the time limit, or a cancel), yielding to the event loop now and then. */
  async run(): Promise<DryRunResult> {
    for (const m of this.members) this.events.push({ t: m.arrivesMs, kind: 'take', m: m.index });
    const limit = this.input.maxSimulatedMs ?? 30 * 86_400_000;
    let steps = 0;
    let cancelled = false;
    // Yield every ~30 ms of work, so progress, a cancel and (in the sandbox) other requests are served promptly.
    let lastYield = performance.now();
    for (let e = this.events.pop(); e !== undefined; e = this.events.pop()) {
      if (e.t > limit) break;
      this.now = e.t;
      if (e.kind === 'take') this.take(e.m);
      else if (e.kind === 'end') this.end(e.a);
      else this.review(e.a);
      if (++steps % 500 === 0 && performance.now() - lastYield > 30) {
        this.input.onProgress?.(this.needed > 0 ? Math.min(1, this.got / this.needed) : 1);
        await new Promise<void>((resolve) => setImmediate(resolve));
        lastYield = performance.now();
        if (this.input.signal?.aborted) {
          cancelled = true;
          break;
        }
      }
    }
    this.input.onProgress?.(this.needed > 0 ? Math.min(1, this.got / this.needed) : 1);
    return {
      members: this.members,
      pools: { pool: this.pool, training: this.training },
      assignments: this.assignments,
      bans: this.bans,
      skills: this.skills,
      recompletions: this.recompletions,
      captchas: this.captchas,
      goldenRanOut: this.goldenRanOut.size,
      dynamicOverlap: { extraAnswers: this.extraAnswers, tasks: this.extended.size },
      endMs: this.now,
      cancelled,
      outputSpec: this.input.outputSpec,
    };
  }

  // --- access ---------------------------------------------------------------------------

  private banned(m: number, pool: SimPool, t: number): boolean {
    const mine = this.bansOf.get(m);
    return mine !== undefined && mine.some((b) => (b.scope !== 'POOL' || b.pool === pool.key) && (b.untilMs === undefined || b.untilMs > t));
  }

  /** Whether filter and training requirement let the Toloker in (bans and pool status aside). */
  private qualifies(m: CrowdMember, pool: SimPool): boolean {
    if (!passesFilter(pool.spec.filter, m)) return false;
    const req = pool.spec.quality_control?.training_requirement;
    if (pool.key === 'pool' && req && this.training) return (m.skills.get(trainingSkill) ?? -1) >= req.training_passing_skill_value;
    return true;
  }

  private canWork(m: CrowdMember, pool: SimPool): boolean {
    return pool.status === 'OPEN' && !this.banned(m.index, pool, this.now) && this.qualifies(m, pool);
  }

  private wakeAll(): void {
    for (const m of this.idle) this.events.push({ t: this.now, kind: 'take', m });
    this.idle.clear();
  }

  // --- the crowd's steps ---------------------------------------------------------------------

  private take(mi: number): void {
    if (this.working.has(mi)) return;
    const m = this.members[mi] as CrowdMember;
    if (this.canWork(m, this.pool)) {
      const recs = this.pick(this.pool, m);
      if (recs) return this.issue(this.pool, m, recs);
    } else if (this.training && !m.skills.has(trainingSkill) && this.canWork(m, this.training)) {
      const recs = this.pick(this.training, m);
      if (recs) return this.issue(this.training, m, recs);
    } else if (this.banned(mi, this.pool, this.now)) return;
    else if (!this.qualifies(m, this.pool)) {
      this.parked.add(mi);
      return;
    }
    this.idle.add(mi);
  }

  /** Real tasks still needing this Toloker's answer, plus unseen control tasks as the mixer asks. */
  private pick(pool: SimPool, m: CrowdMember): SimTask[] | undefined {
    const mixer = pool.spec.mixer_config;
    if (pool.key === 'training') {
      const perSuite = (pool.spec as { training_tasks_in_task_suite_count?: number }).training_tasks_in_task_suite_count;
      const n = Math.max(1, perSuite || mixer?.training_tasks_count || mixer?.real_tasks_count || 1);
      const out = pool.tasks.filter((t) => !t.workers.has(m.index)).slice(0, n);
      return out.length > 0 ? out : undefined;
    }
    const realWanted = mixer?.real_tasks_count ?? 1;
    const goldenWanted = mixer?.golden_tasks_count ?? 0;
    const tasks = pool.tasks;
    while (pool.cursor < tasks.length) {
      const r = tasks[pool.cursor] as SimTask;
      if (r.remaining <= 0 && r.active === 0) pool.cursor++;
      else break;
    }
    pool.openCursor = Math.max(pool.openCursor, pool.cursor);
    while (pool.openCursor < tasks.length && (tasks[pool.openCursor] as SimTask).remaining <= 0) pool.openCursor++;
    const real: SimTask[] = [];
    for (let i = pool.openCursor; i < tasks.length && real.length < realWanted; i++) {
      const r = tasks[i] as SimTask;
      if (r.remaining > 0 && !r.workers.has(m.index)) real.push(r);
    }
    if (real.length === 0 && realWanted > 0) return undefined;
    const golden: SimTask[] = [];
    if (goldenWanted > 0) {
      const g = pool.golden;
      const start = g.length > 0 ? hash32(m.id) % g.length : 0;
      for (let k = 0; k < g.length && golden.length < goldenWanted; k++) {
        const t = g[(start + k) % g.length] as SimTask;
        if (!t.workers.has(m.index)) golden.push(t);
      }
      if (golden.length < goldenWanted) {
        // Toloka gives no suite without its control tasks, and never the same control task twice.
        this.goldenRanOut.add(m.index);
        return undefined;
      }
    }
    return [...real, ...golden];
  }

  private issue(pool: SimPool, m: CrowdMember, recs: SimTask[]): void {
    const n = this.assignments.length + 1;
    const a: SimAssignment = { id: `a${n}`, suiteId: `s${n}`, pool: pool.key, member: m.index, tasks: recs.map((r) => r.index + (r.golden ? GOLDEN : 0)), status: 'ACTIVE', answers: undefined, startedMs: this.now, endedMs: this.now, reward: this.reward(pool, m) };
    this.assignments.push(a);
    this.working.add(m.index);
    let list = pool.byMember.get(m.index);
    if (!list) pool.byMember.set(m.index, (list = []));
    list.push(a);
    pool.bySuite.set(a.suiteId, a);
    for (const r of recs) {
      r.active++;
      r.workers.add(m.index);
      if (!r.golden) r.remaining--;
    }
    const arch = m.archetype;
    const [lo, hi] = arch.secondsPerTask;
    let ms = 0;
    for (let k = 0; k < recs.length; k++) ms += (lo + this.rng.next() * (hi - lo)) * 1000;
    const max = (pool.spec.assignment_max_duration_seconds ?? 0) * 1000;
    if (this.rng.next() < arch.skipRate) {
      a.status = 'SKIPPED';
      a.endedMs = this.now + Math.min(ms, 3000);
    } else if (max > 0 && ms > max) {
      a.status = 'EXPIRED';
      a.endedMs = this.now + max;
    } else a.endedMs = this.now + Math.max(1, ms);
    this.events.push({ t: a.endedMs, kind: 'end', a });
  }

  /** The reward of a suite: by the Toloker's skill with dynamic pricing, else the pool's. */
  private reward(pool: SimPool, m: CrowdMember): number {
    return rewardFor(pool.spec, (id) => m.skills.get(id));
  }

  /** Whether dynamic overlap asks for one more answer (see qc/dynamicOverlap.ts). */
  private wantsMore(pool: SimPool, r: SimTask): boolean {
    const cfg = pool.spec.dynamic_overlap_config;
    if (!cfg) return false;
    const answers = [...r.answers].map(([mi, answer]) => ({ answer, skill: (this.members[mi] as CrowdMember).skills.get(cfg.answer_weight_skill_id) }));
    return dynamicOverlapStep(cfg, r.overlap, answers, possibleAnswers(this.input.outputSpec, cfg.fields)).step === 'more';
  }

  /** The suite's tasks, real and control. */
  private recsOf(a: SimAssignment): SimTask[] {
    return suiteTasks(this.poolOf(a.pool), a);
  }

  private end(a: SimAssignment): void {
    const pool = this.poolOf(a.pool);
    const m = this.members[a.member] as CrowdMember;
    const recs = this.recsOf(a);
    for (const r of recs) r.active--;
    this.working.delete(m.index);
    const [plo, phi] = m.archetype.pauseSeconds;
    this.events.push({ t: this.now + (plo + this.rng.next() * (phi - plo)) * 1000, kind: 'take', m: m.index });
    if (a.status === 'SKIPPED' || a.status === 'EXPIRED') {
      for (const r of recs) {
        if (r.golden) continue;
        r.remaining++;
        pool.openCursor = Math.min(pool.openCursor, r.index);
      }
      if (this.idle.size > 0) this.wakeAll();
      if (a.status === 'SKIPPED') pool.engine.handle({ kind: 'skip', user: m.id, assignmentId: a.id, suiteId: a.suiteId, atMs: this.now });
      return;
    }
    a.answers = recs.map((r) => this.answer(m, r));
    m.submitted++;
    if (m.archetype.driftPer100 !== 0) m.accuracy = Math.min(1, Math.max(0, m.accuracy + m.archetype.driftPer100 / 100));
    const auto = pool.spec.auto_accept_solutions !== false || pool.key === 'training';
    a.status = auto ? 'ACCEPTED' : 'SUBMITTED';
    const complete: SimTask[] = [];
    recs.forEach((r, k) => {
      r.answers.set(m.index, a.answers?.[k] ?? {});
      if (!r.golden && pool.key === 'pool') {
        this.got++;
        if (r.answers.size !== r.overlap) return;
        if (this.wantsMore(pool, r)) {
          r.overlap++;
          r.remaining++;
          pool.openCursor = Math.min(pool.openCursor, r.index);
          this.needed++;
          this.extraAnswers++;
          this.extended.add(r.index);
        } else complete.push(r);
      }
    });
    if (pool.key === 'training') this.learn(m, recs, a);
    // The pool closes as its last answer comes in; the rules run after that (and may reopen it).
    this.closeIfComplete(pool);
    const nextAvailable = pool.key === 'training' ? pool.tasks.some((t) => !t.workers.has(m.index)) : true;
    pool.engine.handle({
      kind: 'submit', user: m.id, assignmentId: a.id, suiteId: a.suiteId, startedMs: a.startedMs, submittedMs: this.now, reward: a.reward,
      tasks: recs.map((r, k) => ({ taskId: r.id, answer: a.answers?.[k] ?? {}, known: r.known })),
      nextAssignmentAvailable: nextAvailable,
    });
    for (const r of complete) pool.engine.handle({ kind: 'taskComplete', taskId: r.id, answers: [...r.answers].map(([mi, answer]) => ({ user: (this.members[mi] as CrowdMember).id, answer })), atMs: this.now });
    const freq = pool.spec.quality_control?.captcha_frequency;
    if (freq && pool.key === 'pool' && m.submitted % captchaEvery[freq] === 0) {
      const success = this.rng.next() < m.archetype.captchaAccuracy;
      this.captchas.shown++;
      if (!success) this.captchas.failed++;
      pool.engine.handle({ kind: 'captcha', user: m.id, success, atMs: this.now });
    }
    if (pool.key === 'training' && !nextAvailable && !m.skills.has(trainingSkill)) this.finishTraining(m);
    if (!auto) {
      const periodMs = (pool.spec.auto_accept_period_day ?? 1) * 86_400_000;
      this.events.push({ t: this.now + Math.min(periodMs, 3_600_000), kind: 'review', a });
    }
  }

  /** A learner gets better with every training task answered. */
  private learn(m: CrowdMember, recs: SimTask[], _a: SimAssignment): void {
    m.trainingAnswers += recs.length;
    const gain = m.archetype.learnPerTrainingTask * recs.length;
    if (gain > 0) m.accuracy = Math.min(m.archetype.maxAccuracy, m.accuracy + gain);
  }

  /** The training's skill: the percentage of the Toloker's correct training answers. */
  private finishTraining(m: CrowdMember): void {
    const training = this.training;
    if (!training) return;
    let right = 0;
    let all = 0;
    for (const t of training.tasks) {
      const given = t.answers.get(m.index);
      if (!given || !t.known) continue;
      all++;
      if (matchesKnown(given, t.known)) right++;
    }
    this.setSkill(m, trainingSkill, all > 0 ? Math.round((100 * right) / all) : 0, undefined, 'training');
  }

  private review(a: SimAssignment): void {
    if (a.status !== 'SUBMITTED') return;
    const recs = this.recsOf(a);
    let right = 0;
    recs.forEach((r, k) => {
      if (matchesKnown(a.answers?.[k] ?? {}, [r.truth])) right++;
    });
    this.assess(a, right / Math.max(1, recs.length) >= (this.input.reviewAcceptShare ?? 0.5) ? 'ACCEPT' : 'REJECT');
  }

  private assess(a: SimAssignment, verdict: 'ACCEPT' | 'REJECT'): void {
    const pool = this.poolOf(a.pool);
    a.status = verdict === 'ACCEPT' ? 'ACCEPTED' : 'REJECTED';
    if (verdict === 'REJECT') for (const r of this.recsOf(a)) r.answers.delete(a.member);
    this.closeIfComplete(pool);
    pool.engine.handle({ kind: 'assess', user: (this.members[a.member] as CrowdMember).id, assignmentId: a.id, suiteId: a.suiteId, verdict, atMs: this.now });
  }

  private closeIfComplete(pool: SimPool): void {
    if (pool.key !== 'pool' || pool.status !== 'OPEN') return;
    for (let i = pool.cursor; i < pool.tasks.length; i++) {
      const t = pool.tasks[i] as SimTask;
      if (t.remaining > 0 || t.active > 0) return;
    }
    pool.status = 'CLOSED';
    pool.closedAtMs = this.now;
  }

  /** What a Toloker answers: by strategy, and for the honest by their confusion matrix's row for the truth, else the truth with their accuracy. */
  private answer(m: CrowdMember, r: SimTask): Answer {
    const out: Record<string, unknown> = {};
    for (const [name, field] of Object.entries(this.input.outputSpec)) {
      const truth = r.truth[name];
      out[name] = this.value(m, field, name, truth);
    }
    return out;
  }

  private value(m: CrowdMember, field: FieldSpec, name: string, truth: unknown): unknown {
    return archetypeAnswer(m, field, name, truth, (this.rng.next() * 4294967296) >>> 0, () => this.rng.next());
  }

  // --- what the rules do -----------------------------------------------------------------------

  private memberById(id: string): CrowdMember {
    const m = this.byId.get(id);
    if (!m) throw new Error(`dry-run: no simulated Toloker ${id}`);
    return m;
  }

  private get byId(): Map<string, CrowdMember> {
    return (this.idIndex ??= new Map(this.members.map((m) => [m.id, m])));
  }
  private idIndex: Map<string, CrowdMember> | undefined;

  /** Whether the Toloker has done suites in the pool and could go on: losing that is "lost access". */
  private hasAccess(m: CrowdMember, pool: SimPool): boolean {
    return (pool.byMember.get(m.index)?.length ?? 0) > 0 && !this.banned(m.index, pool, this.now) && this.qualifies(m, pool);
  }

  private setSkill(m: CrowdMember, skillId: string, value: number, by: RuleRef | undefined, from: PoolKey): void {
    const before = this.pools.map((p) => [p, this.hasAccess(m, p), this.qualifies(m, p)] as const);
    m.skills.set(skillId, value);
    this.skills.push({ member: m.index, skillId, value, atMs: this.now, by, pool: from });
    for (const [p, had, qualified] of before) {
      const gates = filterSkills(p.spec.filter).has(skillId) || (skillId === trainingSkill && p.key === 'pool');
      if (!gates) continue;
      if (had && !this.qualifies(m, p)) p.engine.handle({ kind: 'accessRevoked', user: m.id, reason: 'SKILL_CHANGE', skillId, atMs: this.now });
      if (!qualified && this.qualifies(m, p) && this.parked.delete(m.index)) this.events.push({ t: this.now, kind: 'take', m: m.index });
    }
  }

  private effects(key: PoolKey): QcEffects {
    const self = (): SimPool => this.poolOf(key);
    return {
      restrict: (user, scope, untilMs, _comment, by) => {
        const m = this.memberById(user);
        const before = this.pools.map((p) => [p, this.hasAccess(m, p)] as const);
        const rec: BanRecord = { member: m.index, pool: key, scope, atMs: this.now, untilMs, by };
        this.bans.push(rec);
        let mine = this.bansOf.get(m.index);
        if (!mine) this.bansOf.set(m.index, (mine = []));
        mine.push(rec);
        for (const [p, had] of before) if (had && this.banned(m.index, p, this.now)) p.engine.handle({ kind: 'accessRevoked', user, reason: 'RESTRICTION', atMs: this.now });
        // A ban that ends lets the Toloker back: look again then.
        if (untilMs !== undefined) this.events.push({ t: untilMs + 1, kind: 'take', m: m.index });
      },
      setSkill: (user, skillId, value, by) => this.setSkill(this.memberById(user), skillId, value, by, key),
      changeOverlap: (suiteIds, delta, openPool, by) => {
        const pool = self();
        const closed = pool.status === 'CLOSED';
        let reopen = false;
        for (const suiteId of new Set(suiteIds)) {
          const a = pool.bySuite.get(suiteId);
          if (!a) continue;
          for (const r of this.recsOf(a)) {
            if (r.golden) continue;
            r.overlap = Math.max(0, r.overlap + delta);
            r.remaining = Math.max(0, r.remaining + delta);
            if (delta > 0) {
              pool.cursor = Math.min(pool.cursor, r.index);
              pool.openCursor = Math.min(pool.openCursor, r.index);
            }
            if (pool.key === 'pool') this.needed += delta;
          }
          this.recompletions.push({ pool: key, suiteId: a.suiteId, delta, atMs: this.now, by, reopened: closed && openPool && delta > 0, lost: closed && !openPool && delta > 0 });
          if (closed && openPool && delta > 0) reopen = true;
        }
        if (reopen) {
          pool.status = 'OPEN';
          pool.reopened++;
        }
        if (delta > 0 && this.idle.size > 0) this.wakeAll();
      },
      rejectAll: (user) => {
        for (const a of self().byMember.get(this.memberById(user).index) ?? []) if (a.status === 'SUBMITTED') this.assess(a, 'REJECT');
      },
      approveAll: (user) => {
        for (const a of self().byMember.get(this.memberById(user).index) ?? []) if (a.status === 'SUBMITTED') this.assess(a, 'ACCEPT');
      },
      suitesOf: (user) => (self().byMember.get(this.memberById(user).index) ?? []).filter((a) => a.status === 'SUBMITTED' || a.status === 'ACCEPTED').map((a) => a.suiteId),
      setPoolComplete: () => {
        const pool = self();
        if (pool.status === 'OPEN') {
          pool.status = 'CLOSED';
          pool.closedAtMs = this.now;
        }
      },
    };
  }
}

/** Runs a dry-run to its end. */
export function dryRun(input: DryRunInput): Promise<DryRunResult> {
  return new DryRun(input).run();
}
