/**
 * The files of a dry-run: a `*.pool.json`, the project it names by `{"$file": "./x.project.json"}`
 * (the workspace's shared convention) for the output spec, a training named the same way in
 * `training_requirement.training_pool_id`, the tasks file beside each (`animals.pool.json` →
 * `animals.tasks.jsonl|json|tsv`, `x.training.json` → `x.training.tasks.…`, or `--tasks`), and a crowd file. Without a project the output
 * spec is inferred from the control tasks' known solutions; without tasks, tasks with golden
 * answers are generated. Errors name the file and the field.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FieldSpecMap } from '../toloka/models';
import { defaultCrowd, readCrowdFile, type CrowdSpec } from '../sandbox/dryrun/crowd';
import { readJsonFile } from '../sandbox/jsonFile';
import { buildReport, reportMarkdown, type DryRunReport } from '../sandbox/dryrun/report';
import { dryRun, type DryRunInput, type DryRunPool, type DryRunTask } from '../sandbox/dryrun/simulate';
import { crowdFromResults } from './crowdFromResults';
import { formatOf } from './records';
import { readTasks } from './tasks';
import type { TolokaClient } from '../toloka/client';
import { isTolokaError } from '../toloka/errors';
import type { Operation } from '../toloka/models';
import { SandboxDryRunDetails, type SandboxDryRunBody } from '../toloka/endpoints/sandbox';
import { ReportData } from '../webviews/dryrun/protocol';

export interface DryRunFiles {
  readonly poolFile: string;
  readonly tasksFile?: string | undefined;
  readonly crowdFile?: string | undefined;
  /** Fit the crowd from an earlier pool's results TSV instead (`OUTPUT:<crowdField>`, default the first output field). */
  readonly crowdFrom?: string | undefined;
  readonly crowdField?: string | undefined;
  readonly seed?: number | undefined;
  /** Use at most this many tasks of the file (a sample, from the start). */
  readonly sample?: number | undefined;
  /** Tasks to generate when there is no tasks file. */
  readonly generate?: number | undefined;
  readonly signal?: AbortSignal | undefined;
}

export interface LoadedDryRun {
  readonly input: Omit<DryRunInput, 'signal' | 'onProgress'>;
  /** The project's input spec, when the project is known: the sandbox checks the tasks against it. */
  readonly inputSpec?: FieldSpecMap | undefined;
  /** Names of the skills the pool names, by the dry-run's id (`file:x.skill.json` → the file's `name`, or Toloka's). */
  readonly skillNames?: Readonly<Record<string, string>> | undefined;
  readonly title: string;
  /** Where the tasks came from: a file, or generated. */
  readonly tasksFrom: string;
  readonly notes: readonly string[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A `{"$file": "./x"}` reference's path, relative to the referring file. */
export function fileRef(value: unknown, from: string): string | undefined {
  if (isRecord(value) && typeof value['$file'] === 'string' && Object.keys(value).length === 1) return path.resolve(path.dirname(from), value['$file']);
  return undefined;
}

/**
 * `x.pool.json` → the first of `x.tasks.jsonl`, `x.tasks.json`, `x.tasks.tsv` that exists;
 * `x.training.json` → `x.training.tasks.…` or `x-training.tasks.…` (the deploy playground's name).
 */
export function tasksFileBeside(file: string): string | undefined {
  const bases = [file.replace(/\.pool\.json$/i, '').replace(/\.json$/i, '')];
  if (/\.training\.json$/i.test(file)) bases.push(file.replace(/\.training\.json$/i, '-training'));
  for (const base of bases) for (const ext of ['.tasks.jsonl', '.tasks.json', '.tasks.tsv']) if (fs.existsSync(base + ext)) return base + ext;
  return undefined;
}

/**
 * Every other `{"$file": …}` (a skill in a filter, a rule, dynamic pricing) as a stable id:
 * `file:<name>`, so the filter, the rules and the skills given name the same skill.
 */
function fileRefsAsIds(value: unknown, from: string): unknown {
  const ref = fileRef(value, from);
  if (ref !== undefined) return `file:${path.basename(ref)}`;
  if (Array.isArray(value)) return value.map((v) => fileRefsAsIds(v, from));
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fileRefsAsIds(v, from)]));
  return value;
}

/** The `name` of every `*.skill.json` a pool file names by `{"$file": …}`, by the id the dry-run gives it. */
function skillFileNames(poolJson: unknown, from: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (v: unknown): void => {
    const ref = fileRef(v, from);
    if (ref !== undefined) {
      if (/\.skill\.json$/i.test(ref) && fs.existsSync(ref)) {
        const skill = readJsonFile(ref);
        if (isRecord(skill) && typeof skill['name'] === 'string') out[`file:${path.basename(ref)}`] = skill['name'];
      }
      return;
    }
    if (Array.isArray(v)) v.forEach(walk);
    else if (isRecord(v)) Object.values(v).forEach(walk);
  };
  walk(poolJson);
  return out;
}

async function loadTasks(file: string, outputSpec: FieldSpecMap, sample: number | undefined, signal: AbortSignal | undefined): Promise<DryRunTask[]> {
  const format = formatOf(file);
  if (!format) throw new Error(`${file}: not a tasks file (.json, .jsonl or .tsv)`);
  const out: DryRunTask[] = [];
  for await (const rec of readTasks(file, format, 'dry-run', { input_spec: {}, output_spec: outputSpec }, signal, false)) {
    if (rec.problems.length > 0) throw new Error(`${file}:${rec.line}: ${rec.problems.join('; ')}`);
    const t = rec.task;
    if (!t) continue;
    if (!isRecord(t['input_values'])) throw new Error(`${file}:${rec.line}: input_values: required`);
    const known = Array.isArray(t['known_solutions']) ? (t['known_solutions'] as unknown[]).filter(isRecord).filter((k) => isRecord(k['output_values'])).map((k) => ({ output_values: k['output_values'] as Record<string, unknown> })) : undefined;
    const overlap = typeof t['overlap'] === 'number' ? t['overlap'] : undefined;
    out.push({ input_values: t['input_values'], ...(known && known.length > 0 ? { known_solutions: known } : {}), ...(overlap !== undefined ? { overlap } : {}) });
    if (sample !== undefined && out.length >= sample) break;
  }
  return out;
}

/** An output spec from the known solutions: each field a string of the values seen (or a, b). */
function inferOutputSpec(tasks: readonly DryRunTask[]): FieldSpecMap {
  const values = new Map<string, Set<string>>();
  for (const t of tasks) for (const k of t.known_solutions ?? []) for (const [f, v] of Object.entries(k.output_values)) {
    let s = values.get(f);
    if (!s) values.set(f, (s = new Set()));
    s.add(String(v));
  }
  if (values.size === 0) return { result: { type: 'string', required: true, allowed_values: ['a', 'b'] } } as FieldSpecMap;
  const spec: Record<string, unknown> = {};
  for (const [f, s] of values) spec[f] = { type: 'string', required: true, allowed_values: s.size >= 2 ? [...s] : [...s, 'other'] };
  return spec as FieldSpecMap;
}

/** Tasks with hidden true answers, one in ten a control task with its answer known. */
function generateTasks(n: number, outputSpec: FieldSpecMap, pool: DryRunPool): DryRunTask[] {
  const overlap = pool.defaults?.default_overlap_for_new_tasks ?? pool.defaults?.default_overlap_for_new_task_suites ?? 1;
  const fields = Object.entries(outputSpec);
  const tasks: DryRunTask[] = [];
  for (let i = 0; i < n; i++) tasks.push({ input_values: { item: `generated ${i + 1}` }, overlap });
  const golden = Math.max((pool.mixer_config?.golden_tasks_count ?? 0) > 0 ? 50 : 0, Math.ceil(n / 10));
  for (let i = 0; i < golden; i++) {
    const answer: Record<string, unknown> = {};
    for (const [name, f] of fields) {
      const values = 'allowed_values' in f && Array.isArray(f.allowed_values) ? (f.allowed_values as unknown[]) : f.type === 'boolean' ? [true, false] : ['x'];
      answer[name] = values[i % values.length];
    }
    tasks.push({ input_values: { item: `control ${i + 1}` }, known_solutions: [{ output_values: answer }] });
  }
  return tasks;
}

function poolSpec(given: unknown, file: string): DryRunPool {
  if (!isRecord(given)) throw new Error(`${file}: a pool is a JSON object`);
  const { project_id: _project, ...rest } = given;
  const json = fileRefsAsIds(rest, file) as Record<string, unknown>;
  const req = isRecord(given['quality_control']) ? given['quality_control']['training_requirement'] : undefined;
  // The training stays a reference: loadDryRun reads it.
  if (isRecord(req) && isRecord(json['quality_control'])) json['quality_control'] = { ...json['quality_control'], training_requirement: req };
  const qc = json['quality_control'];
  if (qc !== undefined && !isRecord(qc)) throw new Error(`${file}: quality_control: an object`);
  if (isRecord(qc) && qc['configs'] !== undefined && !Array.isArray(qc['configs'])) throw new Error(`${file}: quality_control.configs: an array`);
  return json as DryRunPool;
}

/** Reads everything a dry-run of this pool file needs. */
export async function loadDryRun(o: DryRunFiles): Promise<LoadedDryRun> {
  const poolJson = readJsonFile(o.poolFile);
  const pool = poolSpec(poolJson, o.poolFile);
  const notes: string[] = [];
  const projectFile = fileRef((poolJson as Record<string, unknown>)['project_id'], o.poolFile);
  let outputSpec: FieldSpecMap | undefined;
  let inputSpec: FieldSpecMap | undefined;
  if (projectFile) {
    const project = readJsonFile(projectFile);
    const taskSpec = isRecord(project) && isRecord(project['task_spec']) ? project['task_spec'] : undefined;
    const spec = taskSpec?.['output_spec'];
    if (!isRecord(spec)) throw new Error(`${projectFile}: task_spec.output_spec: required`);
    outputSpec = spec as FieldSpecMap;
    if (isRecord(taskSpec?.['input_spec'])) inputSpec = taskSpec['input_spec'] as FieldSpecMap;
  }
  const tasksFile = o.tasksFile ?? tasksFileBeside(o.poolFile);
  let tasks: DryRunTask[];
  if (tasksFile) {
    tasks = await loadTasks(tasksFile, outputSpec ?? {}, o.sample, o.signal);
    if (o.sample !== undefined && tasks.length >= o.sample) notes.push(`A sample: the first ${o.sample.toLocaleString('en-US')} tasks of ${path.basename(tasksFile)}, control tasks among them only if the file has them there.`);
  }
  else tasks = [];
  if (!outputSpec) {
    outputSpec = inferOutputSpec(tasks);
    notes.push(`No project file referenced by {"$file": …} in project_id: the output fields (${Object.keys(outputSpec).join(', ')}) are inferred from the control tasks.`);
  }
  if (!tasksFile) {
    tasks = generateTasks(o.generate ?? 1000, outputSpec, pool);
    notes.push(`No tasks file beside the pool: ${tasks.length} tasks generated, control tasks among them.`);
  }
  let training: DryRunInput['training'];
  const req = pool.quality_control?.training_requirement as { training_pool_id?: unknown } | undefined;
  const trainingFile = fileRef(req?.training_pool_id, o.poolFile);
  if (trainingFile) {
    const trainingPool = poolSpec(readJsonFile(trainingFile), trainingFile);
    const trainingTasksFile = tasksFileBeside(trainingFile);
    if (!trainingTasksFile) throw new Error(`${trainingFile}: no training tasks beside it (${path.basename(trainingFile).replace(/\.json$/i, '')}.tasks.jsonl|json|tsv)`);
    training = { pool: trainingPool, tasks: await loadTasks(trainingTasksFile, outputSpec, undefined, o.signal) };
  } else if (req) notes.push('training_requirement names a training by id, not by {"$file": …}: the training is left out and the requirement not applied.');
  let crowd: CrowdSpec = o.crowdFile ? readCrowdFile(o.crowdFile) : defaultCrowd;
  if (o.crowdFrom) {
    const field = o.crowdField ?? Object.keys(outputSpec)[0] ?? 'result';
    crowd = await crowdFromResults(o.crowdFrom, field, o.signal);
    notes.push(`Crowd fitted from ${path.basename(o.crowdFrom)} (OUTPUT:${field}): ${crowd.size} Tolokers, each with their accuracy against the Dawid-Skene labels, seconds per task and skip rate.`);
  }
  const title = pool.private_name ?? path.basename(o.poolFile);
  return {
    skillNames: skillFileNames(poolJson, o.poolFile),
    input: { outputSpec, pool, tasks, ...(training ? { training } : {}), crowd, seed: o.seed ?? 1 },
    // Generated tasks have inputs of their own, not the project's.
    ...(tasksFile ? { inputSpec } : {}),
    title,
    tasksFrom: tasksFile ?? 'generated',
    notes,
  };
}

export interface DryRunReportFiles extends DryRunFiles {
  /** The Markdown report; the JSON figures go beside it (`x.md` → `x.json`). */
  readonly report: string;
  readonly onProgress?: ((done: number) => void) | undefined;
}

export interface DryRunOutcome {
  readonly report: DryRunReport;
  readonly markdown: string;
  readonly reportFile: string;
  readonly jsonFile: string;
  readonly notes: readonly string[];
  readonly title: string;
}

/** The whole dry-run as the command and `toloka dry-run` do it: load, run, write the report. */
export async function dryRunToFiles(o: DryRunReportFiles): Promise<DryRunOutcome> {
  return await runAndWrite(await loadDryRun(o), o);
}

/** Runs a loaded dry-run in this process and writes its Markdown report and JSON figures. */
export async function runAndWrite(loaded: LoadedDryRun, o: { readonly report: string; readonly signal?: AbortSignal | undefined; readonly onProgress?: ((done: number) => void) | undefined }): Promise<DryRunOutcome> {
  const result = await dryRun({ ...loaded.input, signal: o.signal, onProgress: o.onProgress });
  return writeReport(loaded, buildReport(result, loaded.input.seed), o.report, []);
}

function writeReport(loaded: LoadedDryRun, report: DryRunReport, reportFile: string, extraNotes: readonly string[]): DryRunOutcome {
  const notes = [...loaded.notes, `Tasks: ${loaded.tasksFrom === 'generated' ? 'generated' : path.basename(loaded.tasksFrom)} (${loaded.input.tasks.length}).`, ...extraNotes];
  const markdown = `${reportMarkdown(report, loaded.title)}\n## Notes\n\n${notes.map((n) => `- ${n}`).join('\n')}\n`;
  const jsonFile = reportFile.replace(/\.(md|markdown)$/i, '') + '.json';
  fs.mkdirSync(path.dirname(path.resolve(reportFile)), { recursive: true });
  fs.writeFileSync(reportFile, markdown, 'utf8');
  fs.writeFileSync(jsonFile, `${JSON.stringify(report, null, 2)}\n`, 'utf8');
  return { report, markdown, reportFile, jsonFile, notes, title: loaded.title };
}

export interface SandboxDryRunOutcome extends DryRunOutcome {
  /** Where the run is in the sandbox: its project, pool, training and skills. */
  readonly sandbox: SandboxDryRunDetails;
}

/** A failed operation's reason, in words. */
function failure(op: Operation): string {
  const e = op.details?.['error'];
  return typeof e === 'string' ? e : `the operation ended ${op.status}`;
}

/**
 * Runs a loaded dry-run in a sandbox (the local one): the pool, its project, training and skills
 * are copied there and the simulated crowd's work is kept as the pool's tasks, assignments, bans
 * and skills. Cancelling stops the run there and writes the report of what happened until then.
 */
export async function runInSandbox(loaded: LoadedDryRun, client: TolokaClient, o: { readonly report: string; readonly signal?: AbortSignal | undefined; readonly onProgress?: ((done: number) => void) | undefined }): Promise<SandboxDryRunOutcome> {
  const { input } = loaded;
  const body: SandboxDryRunBody = {
    title: loaded.title,
    ...(loaded.inputSpec ? { input_spec: loaded.inputSpec } : {}),
    output_spec: input.outputSpec,
    pool: input.pool,
    tasks: input.tasks,
    ...(input.training ? { training: { pool: input.training.pool, tasks: input.training.tasks } } : {}),
    crowd: input.crowd,
    seed: input.seed,
    ...(loaded.skillNames && Object.keys(loaded.skillNames).length > 0 ? { skill_names: loaded.skillNames } : {}),
  };
  const started = await client.sandbox.dryRun(body, { signal: o.signal }).catch((err: unknown) => {
    // Toloka itself, or a sandbox older than the route: say so rather than "not found".
    if (isTolokaError(err, 'not-found')) throw new Error(`${client.core.baseUrl} has no dry-run route (POST /v1/sandbox/dry-runs): a dry-run runs in this extension's local sandbox, or a \`toloka sandbox\` of this version`, { cause: err });
    throw err;
  });
  const progress = (op: Operation): void => o.onProgress?.((op.progress ?? 0) / 100);
  let op: Operation;
  try {
    op = await client.operations.wait(started, { signal: o.signal, firstDelayMs: 100, intervalMs: 250, onProgress: progress });
  } catch (err) {
    if (!o.signal?.aborted) throw err;
    // Cancelled here: stop the run there too, and keep what it did.
    await client.sandbox.cancelDryRun(started.id);
    op = await client.operations.wait(started.id, { firstDelayMs: 50, intervalMs: 100 });
  }
  if (op.status !== 'SUCCESS') throw new Error(`The dry-run in the sandbox failed: ${failure(op)}`);
  const details = SandboxDryRunDetails.safeParse(op.details);
  if (!details.success) throw new Error(`The sandbox answered the dry-run ${op.id} with details that are not a dry-run's: ${details.error.issues[0]?.path.join('.') ?? ''}`);
  const report = ReportData.safeParse(details.data.report);
  if (!report.success) throw new Error(`The sandbox's dry-run report is not a report: ${report.error.issues[0]?.path.join('.') ?? ''}: ${report.error.issues[0]?.message ?? ''}`);
  const d = details.data;
  const skills = Object.entries(d.skill_ids).map(([from, to]) => `${from.replace(/^file:/, '')} → ${to}`);
  const where = `In the local sandbox: project ${d.project_id}, pool ${d.pool_id}${d.training_id ? `, training ${d.training_id}` : ''}${skills.length > 0 ? `; skills ${skills.join(', ')}` : ''}.`;
  return { ...writeReport(loaded, report.data as DryRunReport, o.report, [where]), sandbox: d };
}

/** What a pool on Toloka (or the sandbox) gives a dry-run: its settings, its project's output spec, a sample of its tasks. */
export interface RemotePool {
  readonly pool: DryRunPool & { readonly id?: string | undefined };
  readonly inputSpec?: FieldSpecMap | undefined;
  readonly outputSpec: FieldSpecMap;
  /** The names Toloka gives the pool's skills, by id. */
  readonly skillNames?: Readonly<Record<string, string>> | undefined;
  readonly tasks: readonly DryRunTask[];
  readonly training?: { readonly pool: DryRunPool; readonly tasks: readonly DryRunTask[] } | undefined;
}

/** A dry-run of a pool read from Toloka, with the default crowd, a crowd file, or a crowd fitted from a results TSV. */
export async function loadedFromRemote(r: RemotePool, o: { seed: number; crowdFile?: string | undefined; crowdFrom?: string | undefined; signal?: AbortSignal | undefined }): Promise<LoadedDryRun> {
  let crowd = o.crowdFile ? readCrowdFile(o.crowdFile) : defaultCrowd;
  const notes = [`Pool ${r.pool.id ?? ''} as Toloka has it; ${r.tasks.length} of its tasks.`];
  if (o.crowdFrom) {
    const field = Object.keys(r.outputSpec)[0] ?? 'result';
    crowd = await crowdFromResults(o.crowdFrom, field, o.signal);
    notes.push(`Crowd fitted from ${path.basename(o.crowdFrom)} (OUTPUT:${field}): ${crowd.size} Tolokers.`);
  }
  if (r.pool.quality_control?.training_requirement && !r.training) notes.push('The training it requires could not be read: the requirement is not applied.');
  return {
    input: { outputSpec: r.outputSpec, pool: r.pool, tasks: r.tasks, ...(r.training ? { training: r.training } : {}), crowd, seed: o.seed },
    inputSpec: r.inputSpec,
    skillNames: r.skillNames,
    title: r.pool.private_name ?? `pool ${r.pool.id ?? ''}`,
    tasksFrom: 'the pool',
    notes,
  };
}
