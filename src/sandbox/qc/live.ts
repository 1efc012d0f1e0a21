/**
 * Quality control in the running sandbox: the simulated Tolokers' submits and skips and the
 * requester's reviews go through the same `QcEngine` the dry-run uses, with bans written to
 * `/user-restrictions`, skills to `/user-skills`, and recompletion as more overlap on the
 * suite's tasks (reopening a closed pool with `open_pool`). Held beside the state (one per
 * SandboxState) so the state gains no fields; persist.ts saves the Tolokers' skills and each
 * pool's collected figures (`poolSnapshots`) and hands them back after a restart.
 */
import { restrictionApplies, type Assignment, type QualityControlConfig } from '../../toloka/models';
import { formatDateTime, parseDateTime } from '../../toloka/models/common';
import { binarySearchAfter, now, type PoolRec, type SandboxState } from '../state';
import { tolokerData } from '../tolokerState';
import { dynamicOverlapStep, possibleAnswers, type DynamicOverlapSettings } from './dynamicOverlap';
import { QcEngine, type Answer, type QcEffects, type QcEngineSnapshot, type QcEvent } from './engine';
import { filterSkills, passesFilter } from './filter';

export interface UserSkillRec {
  readonly id: string;
  readonly skill_id: string;
  readonly user_id: string;
  value: number;
  exact_value: number;
  readonly created: string;
  modified: string;
}

interface PoolQc {
  readonly key: string;
  readonly engine: QcEngine;
  /** Answers per real task, for MAJORITY_VOTE once a task's overlap is complete. */
  readonly answers: Map<string, { user: string; answer: Answer }[]>;
}

/** A pool's quality control as the data file keeps it. */
export interface LiveQcPoolSnapshot {
  readonly pool: string;
  /** The configs it was collected under: figures of other configs are not taken back. */
  readonly key: string;
  readonly engine: QcEngineSnapshot;
  readonly answers: readonly (readonly [string, readonly { readonly user: string; readonly answer: Answer }[]])[];
}

/** An answer that counts for dynamic overlap. */
interface OverlapAnswer { readonly user: string; readonly assignment: string; readonly answer: Answer }

/** Profile and computed attributes of every simulated Toloker. */
const attributes = { languages: ['EN'], country: 'US', client_type: 'BROWSER', region_by_ip: 84 } as const;

export class LiveQc {
  /** By `<user>/<skill>`. */
  readonly userSkills = new Map<string, UserSkillRec>();
  /** The last user skill id given. */
  counter = 0;
  private readonly pools = new Map<string, PoolQc>();
  /** Loaded from the data file, taken up when the pool next has an event. */
  private readonly restored = new Map<string, LiveQcPoolSnapshot>();
  /** Per pool with dynamic overlap, per task not yet complete: its answers (gathered from the assignments on first use). */
  private readonly overlapAnswers = new Map<string, Map<string, OverlapAnswer[]>>();

  constructor(private readonly state: SandboxState) {}

  skillsOf(user: string): Map<string, number> {
    const out = new Map<string, number>();
    for (const s of this.userSkills.values()) if (s.user_id === user) out.set(s.skill_id, s.exact_value);
    return out;
  }

  /** Whether the pool's filter lets this Toloker in. */
  admits(pool: PoolRec, user: string): boolean {
    return this.matches((pool.api as { filter?: Parameters<typeof passesFilter>[0] }).filter, user);
  }

  /** Whether a Toloker passes a filter (a pool's, or a message's `recipients_filter`). */
  matches(filter: Parameters<typeof passesFilter>[0] | undefined, user: string): boolean {
    return !filter || passesFilter(filter, { skills: this.skillsOf(user), attributes });
  }

  setSkill(user: string, skillId: string, value: number): UserSkillRec {
    const key = `${user}/${skillId}`;
    const stamp = now();
    let rec = this.userSkills.get(key);
    if (rec) {
      rec.value = Math.round(value);
      rec.exact_value = value;
      rec.modified = stamp;
    } else {
      rec = { id: String(++this.counter), skill_id: skillId, user_id: user, value: Math.round(value), exact_value: value, created: stamp, modified: stamp };
      this.userSkills.set(key, rec);
    }
    this.state.touch();
    return rec;
  }

  private qc(pool: PoolRec): PoolQc | undefined {
    const configs = ((pool.api as { quality_control?: { configs?: QualityControlConfig[] } }).quality_control?.configs ?? []);
    if (configs.length === 0) return undefined;
    const key = JSON.stringify(configs);
    const known = this.pools.get(pool.api.id);
    if (known?.key === key) return known;
    const fresh: PoolQc = { key, engine: new QcEngine(configs, this.effects(pool)), answers: new Map() };
    const saved = this.restored.get(pool.api.id);
    this.restored.delete(pool.api.id);
    if (saved?.key === key) {
      fresh.engine.restore(saved.engine);
      for (const [task, list] of saved.answers) fresh.answers.set(task, list.map((x) => ({ ...x })));
    }
    this.pools.set(pool.api.id, fresh);
    return fresh;
  }

  /** Each pool's collected figures, for the data file. */
  poolSnapshots(): LiveQcPoolSnapshot[] {
    const out: LiveQcPoolSnapshot[] = [...this.restored.values()];
    for (const [pool, q] of this.pools) out.push({ pool, key: q.key, engine: q.engine.snapshot(), answers: [...q.answers] });
    return out;
  }

  /** A pool's figures from the data file. */
  restorePool(snap: LiveQcPoolSnapshot): void {
    this.pools.delete(snap.pool);
    this.restored.set(snap.pool, snap);
  }

  private handle(pool: PoolRec, e: QcEvent): void {
    this.qc(pool)?.engine.handle(e);
  }

  /** After a simulated Toloker submits. */
  submitted(pool: PoolRec, a: Assignment): void {
    this.dynamicOverlap(pool, a);
    const q = this.qc(pool);
    if (!q || !a.solutions) return;
    const started = a.created ? parseDateTime(a.created).getTime() : Date.now();
    const submitted = a.submitted ? parseDateTime(a.submitted).getTime() : Date.now();
    const tasks = a.tasks.map((t, i) => ({ taskId: t.id ?? String(i), answer: a.solutions?.[i]?.output_values ?? {}, known: t.known_solutions?.map((k) => k.output_values) }));
    q.engine.handle({ kind: 'submit', user: a.user_id, assignmentId: a.id, suiteId: suiteOf(a), startedMs: started, submittedMs: submitted, reward: a.reward ?? 0, tasks });
    for (const t of tasks) {
      if (t.known && t.known.length > 0) continue;
      const list = q.answers.get(t.taskId) ?? [];
      list.push({ user: a.user_id, answer: t.answer });
      q.answers.set(t.taskId, list);
      const rec = this.state.findTask(t.taskId);
      if (rec && list.length >= (rec.api.overlap ?? 1)) {
        q.answers.delete(t.taskId);
        q.engine.handle({ kind: 'taskComplete', taskId: t.taskId, answers: list, atMs: submitted });
      }
    }
  }

  /**
   * The pool's `dynamic_overlap_config` after a submit: each task whose answers reach its overlap
   * gets one more (back in the queue) or is complete, which DYNAMIC_OVERLAP_COMPLETED tells.
   */
  private dynamicOverlap(pool: PoolRec, a: Assignment): void {
    const config = (pool.api as { dynamic_overlap_config?: DynamicOverlapSettings }).dynamic_overlap_config;
    if (!config || !a.solutions) return;
    let done = tolokerData(this.state).dynamicOverlap.get(pool.api.id);
    if (!done) tolokerData(this.state).dynamicOverlap.set(pool.api.id, (done = new Map()));
    const byTask = this.answersOf(pool);
    const possible = possibleAnswers(this.state.projects.get(pool.api.project_id)?.task_spec.output_spec ?? {}, config.fields);
    a.tasks.forEach((t, i) => {
      if (!t.id || (t.known_solutions?.length ?? 0) > 0 || done.has(t.id)) return;
      const list = byTask.get(t.id) ?? [];
      byTask.set(t.id, list);
      if (!list.some((x) => x.assignment === a.id)) list.push({ user: a.user_id, assignment: a.id, answer: a.solutions?.[i]?.output_values ?? {} });
      const rec = this.state.findTask(t.id);
      if (!rec) return;
      const weighted = list.map((x) => ({ answer: x.answer, skill: this.userSkills.get(`${x.user}/${config.answer_weight_skill_id}`)?.exact_value }));
      const r = dynamicOverlapStep(config, rec.api.overlap ?? 1, weighted, possible);
      if (r.step === 'more') {
        rec.api.overlap = (rec.api.overlap ?? 1) + 1;
        rec.api.remaining_overlap = (rec.api.remaining_overlap ?? 0) + 1;
        pool.data.cursor = Math.min(pool.data.cursor, binarySearchAfter(pool.data.tasks, (x) => x.api.id, t.id ?? '') - 1);
      } else if (r.step === 'complete') {
        byTask.delete(t.id);
        done.set(t.id, { pool_id: pool.api.id, task_id: t.id, ...r.aggregate, assignment_ids: list.map((x) => x.assignment), event_time: a.submitted ?? now() });
      }
    });
    this.state.touch();
  }

  /** The answers so far to the pool's tasks whose dynamic overlap is not complete. */
  private answersOf(pool: PoolRec): Map<string, OverlapAnswer[]> {
    let byTask = this.overlapAnswers.get(pool.api.id);
    if (byTask) return byTask;
    this.overlapAnswers.set(pool.api.id, (byTask = new Map()));
    const done = tolokerData(this.state).dynamicOverlap.get(pool.api.id);
    for (const x of pool.data.assignments) {
      if (!x.solutions || (x.status !== 'SUBMITTED' && x.status !== 'ACCEPTED')) continue;
      x.tasks.forEach((t, i) => {
        if (!t.id || (t.known_solutions?.length ?? 0) > 0 || done?.has(t.id)) return;
        const list = byTask.get(t.id) ?? [];
        list.push({ user: x.user_id, assignment: x.id, answer: x.solutions?.[i]?.output_values ?? {} });
        byTask.set(t.id, list);
      });
    }
    return byTask;
  }

  skipped(pool: PoolRec, a: Assignment): void {
    this.handle(pool, { kind: 'skip', user: a.user_id, assignmentId: a.id, suiteId: suiteOf(a), atMs: Date.now() });
  }

  /** After the requester accepts or rejects an assignment. */
  assessed(pool: PoolRec, a: Assignment): void {
    if (a.status !== 'ACCEPTED' && a.status !== 'REJECTED') return;
    this.handle(pool, { kind: 'assess', user: a.user_id, assignmentId: a.id, suiteId: suiteOf(a), verdict: a.status === 'ACCEPTED' ? 'ACCEPT' : 'REJECT', atMs: Date.now() });
  }

  private effects(pool: PoolRec): QcEffects {
    const where = (): { id: string; project_id: string } => ({ id: pool.api.id, project_id: pool.api.project_id });
    const banned = (user: string): boolean => [...this.state.restrictions.values()].some((r) => r.user_id === user && restrictionApplies(r, where(), Date.now()));
    const mine = (user: string): Assignment[] => pool.data.assignments.filter((a) => a.user_id === user);
    return {
      restrict: (user, scope, untilMs, comment) => {
        const had = !banned(user) && mine(user).length > 0;
        const input: { scope: typeof scope; user_id: string; pool_id?: string; project_id?: string } = { scope, user_id: user, ...(scope === 'POOL' ? { pool_id: pool.api.id } : scope === 'PROJECT' ? { project_id: pool.api.project_id } : {}) };
        this.state.putRestriction({ ...input, ...(untilMs !== undefined ? { will_expire: formatDateTime(new Date(untilMs)) } : {}), ...(comment !== undefined ? { private_comment: comment } : {}) });
        this.state.touch();
        if (had) this.handle(pool, { kind: 'accessRevoked', user, reason: 'RESTRICTION', atMs: Date.now() });
      },
      setSkill: (user, skillId, value) => {
        const had = this.admits(pool, user) && mine(user).length > 0;
        this.setSkill(user, skillId, value);
        const filter = (pool.api as { filter?: Parameters<typeof filterSkills>[0] }).filter;
        if (had && filterSkills(filter).has(skillId) && !this.admits(pool, user)) this.handle(pool, { kind: 'accessRevoked', user, reason: 'SKILL_CHANGE', skillId, atMs: Date.now() });
      },
      changeOverlap: (suiteIds, delta, openPool) => {
        const wanted = new Set(suiteIds);
        for (const a of pool.data.assignments) {
          if (!wanted.has(suiteOf(a))) continue;
          for (const t of a.tasks) {
            const rec = t.id ? this.state.findTask(t.id) : undefined;
            if (!rec || (rec.api.known_solutions?.length ?? 0) > 0) continue;
            rec.api.overlap = Math.max(0, (rec.api.overlap ?? 1) + delta);
            rec.api.remaining_overlap = Math.max(0, (rec.api.remaining_overlap ?? 0) + delta);
            if (delta > 0) pool.data.cursor = Math.min(pool.data.cursor, pool.data.tasks.indexOf(rec));
          }
        }
        if (openPool && delta > 0 && pool.api.status === 'CLOSED') {
          pool.api.status = 'OPEN';
          (pool.api as { last_started?: string }).last_started = now();
        }
        this.state.touch();
      },
      rejectAll: (user, comment) => {
        for (const a of mine(user)) {
          if (a.status !== 'SUBMITTED') continue;
          a.status = 'REJECTED';
          a.rejected = now();
          a.public_comment = comment;
          this.assessed(pool, a);
        }
      },
      approveAll: (user) => {
        for (const a of mine(user)) {
          if (a.status !== 'SUBMITTED') continue;
          a.status = 'ACCEPTED';
          a.accepted = now();
          this.assessed(pool, a);
        }
      },
      suitesOf: (user) => mine(user).filter((a) => a.status === 'SUBMITTED' || a.status === 'ACCEPTED').map((a) => suiteOf(a)),
    };
  }
}

/** A suite id for the rules (an assignment without one is its own suite). */
function suiteOf(a: Assignment): string {
  return a.task_suite_id ?? a.id;
}

const live = new WeakMap<SandboxState, LiveQc>();

/** The running sandbox's quality control and Tolokers' skills. */
export function liveQc(state: SandboxState): LiveQc {
  let q = live.get(state);
  if (!q) live.set(state, (q = new LiveQc(state)));
  return q;
}
