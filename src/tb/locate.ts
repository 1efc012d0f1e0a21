/**
 * Where a Template Builder config lives and what surrounds it: a `*.tb.json` file holds a bare
 * config; a `*.project.json` holds it at `task_spec.view_spec.config` (an object, or Toloka's
 * JSON string). The project beside a tb file gives the specs; a tasks file beside gives input.
 * Reads files with node:fs only.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TbSpecs } from './check';
import { isObj, sampleInput, type Obj } from './evaluate';

export const CONFIG_PATH = ['task_spec', 'view_spec', 'config'] as const;

export function isTbFile(file: string): boolean {
  return file.endsWith('.tb.json');
}
export function isProjectFile(file: string): boolean {
  return file.endsWith('.project.json');
}

/** `animals` for `animals.tb.json`, `animals.project.json`, `animals.tasks.jsonl`. */
export function baseName(file: string): string {
  return path.basename(file).replace(/\.(tb|project|tasks|task|pool)\.jsonl?$/, '');
}

export interface FoundConfig {
  /** The config as an object (parsed from Toloka's string if need be); undefined when there is none or it does not parse. */
  readonly config: unknown;
  /** Where the config is in the document: [] for a tb file. */
  readonly at: ReadonlyArray<string>;
  /** The project's config is Toloka's JSON string. */
  readonly asString: boolean;
  /** A string config that is not JSON: its parse error. */
  readonly stringError?: string;
  readonly specs?: TbSpecs;
  readonly inputSpec?: Obj;
}

function specsOf(project: unknown): { specs?: TbSpecs; inputSpec?: Obj } {
  const ts = isObj(project) && isObj(project['task_spec']) ? project['task_spec'] : undefined;
  if (!ts) return {};
  const input = isObj(ts['input_spec']) ? (ts['input_spec'] as TbSpecs['input'] & Obj) : undefined;
  const output = isObj(ts['output_spec']) ? (ts['output_spec'] as TbSpecs['output'] & Obj) : undefined;
  return { specs: { ...(input ? { input } : {}), ...(output ? { output } : {}) }, ...(input ? { inputSpec: input } : {}) };
}

/** The config of a parsed document of `file`, and the specs of its project (the document itself, or the project beside a tb file). */
export function findConfig(file: string, value: unknown): FoundConfig | undefined {
  if (isTbFile(file)) {
    const project = projectBeside(file);
    return { config: value, at: [], asString: false, ...(project ? specsOf(project.value) : {}) };
  }
  if (!isProjectFile(file)) return undefined;
  const view = isObj(value) && isObj(value['task_spec']) && isObj(value['task_spec']['view_spec']) ? value['task_spec']['view_spec'] : undefined;
  if (!view || view['type'] !== 'tb') return undefined;
  const raw = view['config'];
  const around = specsOf(value);
  if (typeof raw === 'string') {
    try {
      return { config: JSON.parse(raw) as unknown, at: CONFIG_PATH, asString: true, ...around };
    } catch (err) {
      return { config: undefined, at: CONFIG_PATH, asString: true, stringError: err instanceof Error ? err.message : String(err), ...around };
    }
  }
  if (isObj(raw) && typeof raw['$file'] === 'string') {
    const target = path.resolve(path.dirname(file), raw['$file']);
    return { config: readJson(target), at: CONFIG_PATH, asString: false, ...around };
  }
  return { config: raw, at: CONFIG_PATH, asString: false, ...around };
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** The project whose config this tb file is: the same base name, else one that points at it with `{"$file": …}`. */
export function projectBeside(tbFile: string): { file: string; value: unknown } | undefined {
  const dir = path.dirname(tbFile);
  const same = path.join(dir, `${baseName(tbFile)}.project.json`);
  if (fs.existsSync(same)) return { file: same, value: readJson(same) };
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter(isProjectFile);
  } catch {
    return undefined;
  }
  for (const name of names) {
    const value = readJson(path.join(dir, name));
    const found = findConfigRef(value);
    if (found && path.resolve(dir, found) === path.resolve(tbFile)) return { file: path.join(dir, name), value };
  }
  return undefined;
}

function findConfigRef(project: unknown): string | undefined {
  let node: unknown = project;
  for (const k of CONFIG_PATH) node = isObj(node) ? node[k] : undefined;
  return isObj(node) && typeof node['$file'] === 'string' ? node['$file'] : undefined;
}

/** The input a preview starts with: the first task of a tasks file beside (of the same name, or with input_spec's fields), else values made from input_spec. */
export function defaultInput(file: string, inputSpec: Obj | undefined): { input: Obj; source: string } {
  const dir = path.dirname(file);
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => /\.tasks\.jsonl?$/.test(n) || n.endsWith('.task.json'));
  } catch {
    names = [];
  }
  const base = baseName(file);
  names.sort((a, b) => Number(baseName(b) === base) - Number(baseName(a) === base) || a.localeCompare(b));
  // A tasks file of another project beside would give the wrong fields: it must have input_spec's.
  const fits = (input: Obj) => Object.keys(inputSpec ?? {}).every((k) => k in input);
  for (const name of names) {
    const input = firstTaskInput(path.join(dir, name));
    if (input && (baseName(name) === base || fits(input))) return { input, source: `the first task of ${name}` };
  }
  return { input: sampleInput(inputSpec as Parameters<typeof sampleInput>[0]), source: 'values made from input_spec' };
}

function firstTaskInput(file: string): Obj | undefined {
  try {
    const text = fs.readFileSync(file, 'utf8');
    const first: unknown = file.endsWith('.jsonl') ? JSON.parse(text.split('\n').find((l) => l.trim() !== '') ?? 'null') : JSON.parse(text);
    const task: unknown = Array.isArray(first) ? first[0] : first;
    return isObj(task) && isObj(task['input_values']) ? task['input_values'] : undefined;
  } catch {
    return undefined;
  }
}
