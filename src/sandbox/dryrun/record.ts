/**
 * A dry-run kept in the sandbox: its project, training, pool and skills created as the sandbox's
 * own (so the explorer, the dashboard, Download Results and Aggregate work on them), and what the
 * simulated crowd did written as the pool's tasks, assignments, bans and skills, dated so the
 * run ends now. `plan` checks everything first and creates nothing when a field is wrong;
 * `record` writes the run's records once it has ended (or was cancelled).
 */
import { z } from 'zod';
import { FieldSpecMap, Pool, Project, TrainingPool, type Assignment } from '../../toloka/models';
import { formatDateTime } from '../../toloka/models/common';
import { poolSkillIds } from '../../toloka/poolSpec';
import { validationFailed, type FieldErrors } from '../apiError';
import { liveQc } from '../qc/live';
import { now, PoolData, type PoolRec, type SandboxState, type TaskRec } from '../state';
import { checkValues, zodToFieldErrors } from '../validation';
import { CrowdSpec } from './crowd';
import { suiteTasks, trainingSkill, type DryRunInput, type DryRunPool, type DryRunResult, type DryRunTask, type SimAssignment, type SimPool } from './simulate';

const DryRunTaskJson = z.looseObject({
  input_values: z.record(z.string(), z.unknown()),
  known_solutions: z.array(z.looseObject({ output_values: z.record(z.string(), z.unknown()) })).optional(),
  overlap: z.number().int().min(0).nullable().optional(),
});

/** What `POST /api/v1/sandbox/dry-runs` takes: a dry-run's input as the extension and `toloka dry-run` load it. */
export const DryRunRequest = z.strictObject({
  title: z.string().min(1).max(200),
  /** The project's input spec; inferred from the tasks without it. */
  input_spec: FieldSpecMap.optional(),
  output_spec: FieldSpecMap,
  pool: z.looseObject({}),
  tasks: z.array(DryRunTaskJson).min(1).max(1_000_000),
  training: z.strictObject({ pool: z.looseObject({}), tasks: z.array(DryRunTaskJson).min(1).max(100_000) }).optional(),
  crowd: CrowdSpec,
  seed: z.number().int().min(0).max(999_999_999),
  /** Names for the copies of the skills, by the pool's skill id (a skill file's name, or Toloka's). */
  skill_names: z.record(z.string(), z.string().min(1).max(200)).optional(),
});
export type DryRunRequest = z.infer<typeof DryRunRequest>;

/** Where the dry-run is in the sandbox. */
export interface RecordedIds {
  readonly project_id: string;
  readonly pool_id: string;
  readonly training_id?: string | undefined;
  /** The dry-run's skill ids (`file:accuracy`, `training`, or Toloka's) → the sandbox's. */
  readonly skill_ids: Readonly<Record<string, string>>;
}

export interface DryRunPlan {
  readonly input: Omit<DryRunInput, 'signal' | 'onProgress'>;
  readonly ids: RecordedIds;
  /** Writes the run into the sandbox. */
  record(result: DryRunResult): void;
}

function typeOf(values: readonly unknown[]): string {
  const v = values.find((x) => x !== null && x !== undefined);
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'number') return values.every((x) => typeof x !== 'number' || Number.isInteger(x)) ? 'integer' : 'float';
  if (typeof v === 'string') return 'string';
  return 'json';
}

/** An input spec from the tasks' values: what the sandbox checks the tasks against. */
function inferInputSpec(tasks: readonly DryRunTask[]): Record<string, { type: string; required: boolean }> {
  const names = new Map<string, unknown[]>();
  for (const t of tasks) for (const [k, v] of Object.entries(t.input_values)) (names.get(k) ?? names.set(k, []).get(k))?.push(v);
  return Object.fromEntries([...names].map(([k, vs]) => [k, { type: typeOf(vs), required: vs.length === tasks.length }]));
}

const SKILL_KEYS = new Set(['skill_id', 'answer_weight_skill_id']);

/** The pool with the dry-run's skill ids replaced by the sandbox's. */
function withSkills(value: unknown, ids: ReadonlyMap<string, string>): unknown {
  if (Array.isArray(value)) return value.map((v) => withSkills(v, ids));
  if (!value || typeof value !== 'object') return value;
  const o = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    const mapped = (typeof v === 'string' || typeof v === 'number') ? ids.get(String(v)) : undefined;
    const isSkillRef = SKILL_KEYS.has(k) || (k === 'key' && o['category'] === 'skill') || (k === 'value' && o['key'] === 'skill_id');
    out[k] = isSkillRef && mapped !== undefined ? mapped : withSkills(v, ids);
  }
  return out;
}

/** A file's `$schema` and the like are the editor's, not Toloka's. */
function withoutDollarKeys(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([k]) => !k.startsWith('$')));
}

function prefixed(errors: FieldErrors, prefix: string): FieldErrors {
  return Object.fromEntries(Object.entries(errors).map(([k, v]) => [`${prefix}.${k}`, v]));
}

const memberIdOf = (result: DryRunResult, index: number): string => result.members[index]?.id ?? `member-${index}`;

/**
 * Checks a dry-run request and creates its skills, project, training and pool (closed, named
 * "Dry-run: …"), or throws Toloka's validation error naming the field and creates nothing.
 */
export function planDryRun(state: SandboxState, req: DryRunRequest): DryRunPlan {
  const skillNames = new Set(poolSkillIds(req.pool as Parameters<typeof poolSkillIds>[0]));
  if (req.training) skillNames.add(trainingSkill);
  const skillIds = new Map<string, string>();
  const title = `Dry-run: ${req.title} (seed ${req.seed})`;
  const stamp = now();
  const owner = state.owner();

  const projectJson = {
    public_name: title.slice(0, 255),
    public_description: `A dry-run of ${req.title} with ${req.crowd.size} simulated Tolokers: nothing was paid.`,
    task_spec: { input_spec: req.input_spec ?? inferInputSpec([...req.tasks, ...(req.training?.tasks ?? [])]), output_spec: req.output_spec, view_spec: { type: 'classic', markup: '<p>A dry-run: the simulated crowd answered without an interface.</p>' } },
  };
  const project = Project.safeParse(projectJson);
  if (!project.success) throw validationFailed(prefixed(zodToFieldErrors(project.error, projectJson), 'project'));
  const taskErrors: FieldErrors = {};
  const checkTasks = (tasks: readonly DryRunTask[], prefix: string): void => {
    for (let i = 0; i < tasks.length && Object.keys(taskErrors).length < 20; i++) Object.assign(taskErrors, checkValues(project.data.task_spec.input_spec, (tasks[i] as DryRunTask).input_values, `${prefix}.${i}.input_values`));
  };
  checkTasks(req.tasks as DryRunTask[], 'tasks');
  if (req.training) checkTasks(req.training.tasks as DryRunTask[], 'training.tasks');
  if (Object.keys(taskErrors).length > 0) throw validationFailed(taskErrors);

  const defaults = { may_contain_adult_content: false, will_expire: formatDateTime(new Date(Date.now() + 365 * 86_400_000)), assignment_max_duration_seconds: 600 };
  const trainingJson = (projectId: string) => req.training ? { ...defaults, inherited_instructions: true, training_tasks_in_task_suite_count: 1, ...withoutDollarKeys(req.training.pool), project_id: projectId, private_name: `${title}: training` } : undefined;
  const qc = req.pool['quality_control'] as { training_requirement?: Record<string, unknown> } | undefined;
  const poolJson = (projectId: string, trainingId: string, skills: ReadonlyMap<string, string>): Record<string, unknown> => withSkills({
    ...defaults,
    reward_per_assignment: 0.01,
    defaults: { default_overlap_for_new_task_suites: 1 },
    ...withoutDollarKeys(req.pool),
    // Without its training the requirement could never be met in the sandbox.
    ...(qc ? { quality_control: { ...qc, training_requirement: req.training && qc.training_requirement ? { ...qc.training_requirement, training_pool_id: trainingId } : undefined } } : {}),
    project_id: projectId,
    private_name: title,
  }, skills) as Record<string, unknown>;

  // Checked with stand-in ids first, so a refused request creates nothing and uses up no ids.
  const trainingCheck = trainingJson('1');
  const training = trainingCheck ? TrainingPool.safeParse(trainingCheck) : undefined;
  if (training && !training.success) throw validationFailed(prefixed(zodToFieldErrors(training.error, trainingCheck), 'training.pool'));
  const poolCheck = poolJson('1', '1', new Map());
  const checked = Pool.safeParse(poolCheck);
  if (!checked.success) throw validationFailed(prefixed(zodToFieldErrors(checked.error, poolCheck), 'pool'));

  const projectId = state.nextProjectId();
  state.projects.set(projectId, { ...project.data, id: projectId, status: 'ACTIVE', created: stamp } as never);
  for (const name of skillNames) {
    const id = state.nextSkillId();
    skillIds.set(name, id);
    state.skills.set(id, { id, name: req.skill_names?.[name] ?? `${req.title}: ${name.replace(/^file:/, '')}`, private_comment: `Made by ${title} for its skill ${name}`, created: stamp } as never);
  }
  let trainingRec: PoolRec | undefined;
  if (training?.success) {
    const id = state.nextPoolId();
    trainingRec = { api: { ...(TrainingPool.parse(trainingJson(projectId)) as PoolRec['api']), id, status: 'CLOSED', created: stamp, owner }, kind: 'training', data: new PoolData() };
    state.pools.set(id, trainingRec);
  }
  const poolId = state.nextPoolId();
  const poolRec: PoolRec = { api: { ...(Pool.parse(poolJson(projectId, trainingRec?.api.id ?? '', skillIds)) as PoolRec['api']), id: poolId, status: 'CLOSED', created: stamp, owner, type: 'REGULAR' } as PoolRec['api'], kind: 'pool', data: new PoolData() };
  state.pools.set(poolId, poolRec);
  state.touch();

  const input: DryRunPlan['input'] = {
    outputSpec: req.output_spec,
    pool: req.pool as DryRunPool,
    tasks: req.tasks as DryRunTask[],
    ...(req.training ? { training: { pool: req.training.pool as DryRunPool, tasks: req.training.tasks as DryRunTask[] } } : {}),
    crowd: req.crowd,
    seed: req.seed,
  };
  const ids: RecordedIds = { project_id: projectId, pool_id: poolId, ...(trainingRec ? { training_id: trainingRec.api.id } : {}), skill_ids: Object.fromEntries(skillIds) };
  return {
    input,
    ids,
    record: (result) => {
      recordRun(state, result, { pool: poolRec, training: trainingRec, skillIds, projectId, given: { pool: input.tasks, training: input.training?.tasks ?? [] } });
    },
  };
}

interface Targets {
  readonly pool: PoolRec;
  readonly training: PoolRec | undefined;
  readonly skillIds: ReadonlyMap<string, string>;
  readonly projectId: string;
  readonly given: { readonly pool: readonly DryRunTask[]; readonly training: readonly DryRunTask[] };
}

function recordRun(state: SandboxState, result: DryRunResult, t: Targets): void {
  // Simulated time 0 is placed so the run ends now.
  const base = Date.now() - result.endMs;
  const at = (ms: number): string => formatDateTime(new Date(base + ms));
  const owner = state.owner();

  const recsByPool = new Map<SimPool, Map<string, TaskRec>>();
  const sims: Array<[SimPool | undefined, PoolRec | undefined, readonly DryRunTask[]]> = [[result.pools.pool, t.pool, t.given.pool], [result.pools.training, t.training, t.given.training]];
  for (const [sim, rec, given] of sims) {
    if (!sim || !rec) continue;
    const byId = new Map<string, TaskRec>();
    const simById = new Map([...sim.tasks, ...sim.golden].map((s) => [s.id, s]));
    given.forEach((g, i) => {
      const s = simById.get(`${sim.key}-${i + 1}`);
      const id = state.nextItemId(rec.api.id);
      const training = rec.kind === 'training';
      const overlap = s && Number.isFinite(s.overlap) ? s.overlap : (g.overlap ?? 1);
      const api = {
        id,
        pool_id: rec.api.id,
        input_values: g.input_values,
        ...(g.known_solutions ? { known_solutions: g.known_solutions } : {}),
        ...(training ? { infinite_overlap: true } : { overlap, remaining_overlap: s && Number.isFinite(s.remaining) ? Math.max(0, s.remaining) : 0 }),
        created: at(0),
      } as TaskRec['api'];
      const taskRec: TaskRec = { api, workers: s ? [...s.workers].map((m) => memberIdOf(result, m)) : undefined, active: 0 };
      rec.data.tasks.push(taskRec);
      if (g.known_solutions && g.known_solutions.length > 0) rec.data.golden.push(taskRec);
      if (s) byId.set(s.id, taskRec);
    });
    recsByPool.set(sim, byId);
  }

  const suiteIds = new Map<string, string>();
  for (const a of result.assignments) {
    const sim = a.pool === 'training' ? result.pools.training : result.pools.pool;
    const rec = a.pool === 'training' ? t.training : t.pool;
    const byId = sim ? recsByPool.get(sim) : undefined;
    if (!sim || !rec || !byId) continue;
    const tasks = suiteTasks(sim, a).map((s) => byId.get(s.id)?.api).filter((x): x is TaskRec['api'] => x !== undefined);
    const suite = suiteIds.get(a.suiteId) ?? state.nextItemId(rec.api.id);
    suiteIds.set(a.suiteId, suite);
    rec.data.assignments.push(assignmentOf(a, { id: state.nextItemId(rec.api.id), suite, poolId: rec.api.id, user: memberIdOf(result, a.member), tasks, at, owner }));
  }

  for (const b of result.bans) {
    const user = memberIdOf(result, b.member);
    const poolRec = b.pool === 'training' ? t.training : t.pool;
    const where = b.scope === 'POOL' ? { pool_id: poolRec?.api.id ?? t.pool.api.id } : b.scope === 'PROJECT' ? { project_id: t.projectId } : {};
    state.putRestriction({
      scope: b.scope,
      user_id: user,
      ...where,
      private_comment: `${t.pool.api.private_name}: ${b.pool === 'training' ? 'training ' : ''}${b.by.collector} #${b.by.config + 1}.${b.by.rule + 1}`,
      ...(b.untilMs !== undefined ? { will_expire: at(b.untilMs) } : {}),
    }, at(b.atMs));
  }

  // A Toloker's skill is the last value a rule or the training gave.
  const last = new Map<string, { user: string; skill: string; value: number }>();
  for (const s of result.skills) {
    const skill = t.skillIds.get(s.skillId);
    if (skill === undefined) continue;
    const user = memberIdOf(result, s.member);
    last.set(`${user}/${skill}`, { user, skill, value: s.value });
  }
  const qc = liveQc(state);
  for (const s of last.values()) qc.setSkill(s.user, s.skill, s.value);

  const started = at(0);
  for (const [sim, rec] of [[result.pools.pool, t.pool], [result.pools.training, t.training]] as const) {
    if (!sim || !rec) continue;
    const completed = sim.status === 'CLOSED' && !result.cancelled;
    rec.api = { ...rec.api, last_started: started, last_stopped: at(sim.closedAtMs ?? result.endMs), last_close_reason: completed ? 'COMPLETED' : 'MANUAL' } as PoolRec['api'];
  }
  state.touch();
}

function assignmentOf(a: SimAssignment, o: { id: string; suite: string; poolId: string; user: string; tasks: TaskRec['api'][]; at: (ms: number) => string; owner: Assignment['owner'] }): Assignment {
  // A suite still in progress when a cancelled run stopped was abandoned: it expired.
  const status = a.status === 'ACTIVE' ? 'EXPIRED' : a.status;
  const ended = o.at(a.endedMs);
  const answered = status === 'SUBMITTED' || status === 'ACCEPTED' || status === 'REJECTED';
  return {
    id: o.id,
    task_suite_id: o.suite,
    pool_id: o.poolId,
    user_id: o.user,
    status,
    reward: a.reward,
    tasks: o.tasks,
    ...(answered && a.answers ? { solutions: a.answers.map((v) => ({ output_values: v })) } : {}),
    mixed: true,
    automerged: false,
    created: o.at(a.startedMs),
    ...(answered ? { submitted: ended } : {}),
    ...(status === 'ACCEPTED' ? { accepted: ended } : {}),
    ...(status === 'REJECTED' ? { rejected: ended, public_comment: 'Rejected in the dry-run review' } : {}),
    ...(status === 'SKIPPED' ? { skipped: ended } : {}),
    ...(status === 'EXPIRED' ? { expired: ended } : {}),
    owner: o.owner,
  } as Assignment;
}
