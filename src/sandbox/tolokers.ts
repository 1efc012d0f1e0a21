/**
 * Simulated Tolokers. While a pool is open they take task suites (respecting overlap,
 * reserved_for/unavailable_for and the mixer's real and golden counts), think for a while,
 * and submit answers drawn from each output field's spec: right with their own accuracy,
 * against known solutions where a task has them and a hidden true answer where it does not.
 * Answers depend only on the seed, the Toloker and the task, so runs are reproducible.
 */
import { randomUUID } from 'node:crypto';
import { restrictionApplies, type Assignment, type FieldSpecMap, type Task } from '../toloka/models';
import { parseDateTime } from '../toloka/models/common';
import { trueValue } from './fieldDomain';
import { liveQc } from './qc/live';
import { rewardFor, type PricedPool } from './qc/pricing';
import { closePool } from './routes/pools';
import { isHeld } from './routes/apps';
import { archetypeAnswer, ArchetypeSpec, drawCrowd, type CrowdSpec } from './dryrun/crowd';
import { hash32, Rng } from './rng';
import { now, type PoolRec, type SandboxState, type TaskRec } from './state';

export interface TolokerOptions {
  /** How many simulated Tolokers there are. */
  count: number;
  /** Each Toloker's accuracy is drawn uniformly from this range. */
  accuracy: readonly [number, number];
  /** Assignments issued per second over all open pools (0 pauses the crowd). */
  assignmentsPerSecond: number;
  /** Time a Toloker spends on a suite, drawn from this range, in ms. */
  thinkMs: readonly [number, number];
  /** Fraction of suites skipped instead of answered. */
  skipRate: number;
  /** How long an app item takes to process, in ms. */
  appItemMs: number;
  seed: number;
  /**
   * A crowd of archetypes (as a dry-run's): each Toloker answers by their archetype's accuracy,
   * confusion matrix or strategy, skips at its rate and takes its seconds per task, at
   * `msPerSimulatedSecond`. Without one, `count`, `accuracy`, `thinkMs` and `skipRate` apply.
   */
  crowd?: CrowdSpec | undefined;
  /** Real milliseconds per simulated second for a crowd's times (default 1: a 20-second task takes 20 ms). */
  msPerSimulatedSecond?: number | undefined;
}

export const defaultTolokerOptions: TolokerOptions = {
  count: 20,
  accuracy: [0.6, 0.95],
  assignmentsPerSecond: 200,
  thinkMs: [20, 200],
  skipRate: 0,
  appItemMs: 200,
  seed: 1,
};

export interface Toloker {
  readonly id: string;
  readonly accuracy: number;
  /** From a crowd: how this Toloker answers, skips and takes time. */
  readonly archetype?: ArchetypeSpec | undefined;
}

interface Pending {
  readonly assignment: Assignment;
  readonly pool: PoolRec;
  readonly recs: TaskRec[];
  readonly worker: Toloker;
  readonly dueAt: number;
  /** `assignment_max_duration_seconds` after it was issued: a Toloker still at it then has the suite taken back. */
  readonly expiresAt: number;
}

const TICK_MS = 20;

/** A Toloker outside a crowd: honest, right with their own accuracy. */
const HONEST: ArchetypeSpec = ArchetypeSpec.parse({ name: 'sandbox', share: 1 });

export class SimulatedTolokers {
  readonly workers: Toloker[];
  private readonly pending: Pending[] = [];
  private readonly busy = new Set<string>();
  /** Control tasks given so far, by `<pool>/<Toloker>`. */
  private readonly goldenGiven = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private last = Date.now();
  private budget = 0;
  private rotate = 0;
  private readonly rng: Rng;

  constructor(
    private readonly state: SandboxState,
    public options: TolokerOptions,
    private readonly onAppTick: (nowMs: number) => void,
  ) {
    this.rng = new Rng(options.seed);
    const seedRng = new Rng(options.seed * 7919 + 1);
    this.workers = options.crowd
      ? drawCrowd(options.crowd, options.seed).map((m) => ({ id: m.id, accuracy: m.archetype.accuracy, archetype: m.archetype }))
      : Array.from({ length: options.count }, () => ({
          id: seedRng.hex(32),
          accuracy: options.accuracy[0] + seedRng.next() * (options.accuracy[1] - options.accuracy[0]),
        }));
  }

  /**
   * Starts the crowd if there is anything for it to do (an open pool, an assignment in
   * progress, an app item to process). Called after every change; with nothing to do it
   * does nothing, and a running crowd stops itself when its work runs out, so an idle
   * sandbox has no timer at all.
   */
  start(): void {
    if (this.timer || !this.hasWork()) return;
    this.last = Date.now();
    this.timer = setInterval(() => {
      this.tick();
      this.state.touch();
      if (!this.hasWork()) this.stop();
    }, TICK_MS);
    this.timer.unref();
  }

  /** Whether the crowd is ticking now. */
  get running(): boolean {
    return this.timer !== undefined;
  }

  private hasWork(): boolean {
    if (this.pending.length > 0) return true;
    for (const p of this.state.pools.values()) if (p.kind === 'pool' && p.api.status === 'OPEN') return true;
    for (const items of this.state.appItems.values()) for (const i of items) if ((i.api.status === 'NEW' && !isHeld(this.state.appBatches, i)) || i.api.status === 'PROCESSING') return true;
    return false;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One step of the crowd: submit what is due, issue new suites, close finished pools. */
  tick(): void {
    const t = Date.now();
    this.budget = Math.min(this.budget + ((t - this.last) / 1000) * this.options.assignmentsPerSecond, Math.max(1, this.options.assignmentsPerSecond));
    this.last = t;
    this.submitDue(t);
    const open = [...this.state.pools.values()].filter((p) => p.kind === 'pool' && p.api.status === 'OPEN');
    for (const pool of open) {
      const expires = (pool.api as { will_expire?: string }).will_expire;
      if (expires && parseDateTime(expires).getTime() < t) {
        closePool(pool, 'EXPIRED');
        continue;
      }
    }
    // Bans change only between ticks: worked out once per pool here, not once per assignment issued.
    const banned = new Map(this.state.restrictions.size > 0 ? open.map((pool) => [pool, this.banned(pool, t)]) : []);
    let progress = true;
    while (this.budget >= 1 && progress) {
      progress = false;
      for (const pool of open) {
        if (this.budget < 1 || pool.api.status !== 'OPEN') continue;
        if (this.issue(pool, t, banned.get(pool))) {
          this.budget -= 1;
          progress = true;
        }
      }
    }
    for (const pool of open) this.closeIfComplete(pool);
    this.onAppTick(t);
  }

  /** Tolokers whose bans (user restrictions) keep them out of this pool now. */
  private banned(pool: PoolRec, t: number): Set<string> {
    const out = new Set<string>();
    const where = { id: pool.api.id, project_id: (pool.api as { project_id: string }).project_id };
    for (const r of this.state.restrictions.values()) if (restrictionApplies(r, where, t)) out.add(r.user_id);
    return out;
  }

  private issue(pool: PoolRec, t: number, banned: ReadonlySet<string> | undefined): boolean {
    const n = this.workers.length;
    const qc = (pool.api as { filter?: unknown }).filter ? liveQc(this.state) : undefined;
    for (let k = 0; k < n; k++) {
      const worker = this.workers[(this.rotate + k) % n] as Toloker;
      const key = `${pool.api.id}/${worker.id}`;
      if (this.busy.has(key) || banned?.has(worker.id) || (qc && !qc.admits(pool, worker.id))) continue;
      const recs = this.pickTasks(pool, worker);
      if (recs.length === 0) continue;
      this.rotate = (this.rotate + k + 1) % n;
      this.busy.add(key);
      const assignment: Assignment = {
        id: this.state.nextItemId(pool.api.id),
        task_suite_id: this.state.nextItemId(pool.api.id),
        pool_id: pool.api.id,
        user_id: worker.id,
        status: 'ACTIVE',
        reward: rewardFor(pool.api as PricedPool, (skillId) => liveQc(this.state).skillsOf(worker.id).get(skillId)),
        tasks: recs.map((r) => r.api),
        mixed: true,
        automerged: false,
        created: now(),
        owner: this.state.owner(),
      };
      for (const r of recs) {
        r.active++;
        (r.workers ??= []).push(worker.id);
        if (!isGolden(r)) r.api.remaining_overlap = Math.max(0, (r.api.remaining_overlap ?? 1) - 1);
      }
      pool.data.assignments.push(assignment);
      const maxSeconds = (pool.api as { assignment_max_duration_seconds?: number }).assignment_max_duration_seconds;
      this.pending.push({ assignment, pool, recs, worker, dueAt: t + this.thinkMs(worker, recs.length), expiresAt: maxSeconds ? t + maxSeconds * 1000 : Number.POSITIVE_INFINITY });
      return true;
    }
    return false;
  }

  /** How long a Toloker works on a suite of n tasks, in real ms. */
  private thinkMs(worker: Toloker, n: number): number {
    if (!worker.archetype) {
      const [lo, hi] = this.options.thinkMs;
      return lo + this.rng.next() * (hi - lo);
    }
    const [lo, hi] = worker.archetype.secondsPerTask;
    let seconds = 0;
    for (let i = 0; i < n; i++) seconds += lo + this.rng.next() * (hi - lo);
    return seconds * (this.options.msPerSimulatedSecond ?? 1);
  }

  /** Real tasks still needing answers from this Toloker, plus control tasks as the mixer asks. */
  private pickTasks(pool: PoolRec, worker: Toloker): TaskRec[] {
    const mixer = (pool.api as { mixer_config?: { real_tasks_count: number; golden_tasks_count: number; force_last_assignment?: boolean } }).mixer_config;
    const realWanted = mixer ? mixer.real_tasks_count : 1;
    const goldenWanted = mixer ? mixer.golden_tasks_count : 0;
    const data = pool.data;
    const tasks = data.tasks;
    while (data.cursor < tasks.length) {
      const r = tasks[data.cursor] as TaskRec;
      if (isGolden(r) || ((r.api.remaining_overlap ?? 0) <= 0 && r.active === 0)) data.cursor++;
      else break;
    }
    const real: TaskRec[] = [];
    const scanLimit = Math.min(tasks.length, data.cursor + 20_000);
    for (let i = data.cursor; i < scanLimit && real.length < realWanted; i++) {
      const r = tasks[i] as TaskRec;
      if (isGolden(r) || (r.api.remaining_overlap ?? 0) <= 0 || !allowed(r.api, worker.id) || r.workers?.includes(worker.id)) continue;
      real.push(r);
    }
    if (real.length === 0 || (real.length < realWanted && mixer?.force_last_assignment === false && data.cursor + real.length < tasks.length)) return [];
    // Control tasks in turn from a place of the Toloker's own: the same one again only once all were given.
    const golden: TaskRec[] = [];
    const key = `${pool.api.id}/${worker.id}`;
    let next = this.goldenGiven.get(key) ?? 0;
    for (let i = 0; i < data.golden.length && golden.length < goldenWanted; i++, next++) {
      const g = (data.golden[(next + hash32(worker.id)) % data.golden.length] as TaskRec);
      if (allowed(g.api, worker.id) && !golden.includes(g)) golden.push(g);
    }
    this.goldenGiven.set(key, next);
    return [...real, ...golden];
  }

  private submitDue(t: number): void {
    for (let i = this.pending.length - 1; i >= 0; i--) {
      const p = this.pending[i] as Pending;
      if (Math.min(p.dueAt, p.expiresAt) > t) continue;
      this.pending.splice(i, 1);
      this.busy.delete(`${p.pool.api.id}/${p.worker.id}`);
      for (const r of p.recs) r.active--;
      const a = p.assignment;
      const stamp = now();
      if (p.expiresAt < p.dueAt) {
        a.status = 'EXPIRED';
        a.expired = stamp;
        giveBack(p.recs);
        continue;
      }
      if (this.rng.next() < (p.worker.archetype?.skipRate ?? this.options.skipRate)) {
        a.status = 'SKIPPED';
        a.skipped = stamp;
        giveBack(p.recs);
        liveQc(this.state).skipped(p.pool, a);
        continue;
      }
      const project = this.state.projects.get(p.pool.api.project_id);
      const spec = project?.task_spec.output_spec ?? {};
      a.solutions = p.recs.map((r) => ({ output_values: this.answer(p.worker, r.api, spec, a) }));
      a.submitted = stamp;
      if ((p.pool.api as { auto_accept_solutions?: boolean }).auto_accept_solutions === false) a.status = 'SUBMITTED';
      else {
        a.status = 'ACCEPTED';
        a.accepted = stamp;
      }
      liveQc(this.state).submitted(p.pool, a);
    }
  }

  private closeIfComplete(pool: PoolRec): void {
    if (pool.api.status !== 'OPEN' || pool.data.tasks.length === 0) return;
    const data = pool.data;
    if (data.cursor < data.tasks.length) return;
    if (this.pending.some((p) => p.pool === pool)) return;
    closePool(pool, 'COMPLETED');
  }

  /** A Toloker's answer: as their archetype answers, or (outside a crowd) the truth with their accuracy, otherwise another value of the field's domain. */
  private answer(worker: Toloker, task: Task & { id: string }, spec: FieldSpecMap, assignment: Assignment): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const known = task.known_solutions?.[0]?.output_values;
    for (const [name, field] of Object.entries(spec)) {
      const h = hash32(`${this.options.seed}/${worker.id}/${task.id}/${name}`);
      const truth = known && name in known ? known[name] : trueValue(this.options.seed, task.id, name, field);
      if (field.type === 'file' || field.type === 'array_file') {
        const id = this.attach(worker, task, name, assignment);
        out[name] = field.type === 'file' ? id : [id];
        continue;
      }
      out[name] = archetypeAnswer({ id: worker.id, archetype: worker.archetype ?? HONEST, accuracy: worker.accuracy }, field, name, truth, h, () => (h % 10_000) / 10_000);
    }
    return out;
  }

  private attach(worker: Toloker, task: Task & { id: string }, field: string, assignment: Assignment): string {
    const id = randomUUID();
    this.state.attachments.set(id, {
      api: {
        id,
        attachment_type: 'ASSIGNMENT_ATTACHMENT',
        name: `${field}-${task.id.slice(-6)}.txt`,
        media_type: 'text/plain',
        created: now(),
        details: { user_id: worker.id, assignment_id: assignment.id, pool_id: assignment.pool_id },
      },
      content: Buffer.from(`file uploaded by ${worker.id} for task ${task.id}, field ${field}\n`, 'utf8'),
    });
    return id;
  }
}

/** A suite not answered (skipped, expired, abandoned by a stop): its real tasks need that answer from someone else. */
export function giveBack(recs: readonly TaskRec[]): void {
  for (const r of recs) if (!isGolden(r)) r.api.remaining_overlap = (r.api.remaining_overlap ?? 0) + 1;
}

function isGolden(r: TaskRec): boolean {
  return (r.api.known_solutions?.length ?? 0) > 0;
}

function allowed(task: { reserved_for?: string[] | undefined; unavailable_for?: string[] | undefined }, worker: string): boolean {
  if (task.reserved_for && task.reserved_for.length > 0 && !task.reserved_for.includes(worker)) return false;
  if (task.unavailable_for?.includes(worker)) return false;
  return true;
}
