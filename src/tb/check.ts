/**
 * Checks a Template Builder config: the component models, then the data paths against the
 * project's specs (an output path not in `output_spec`, a required output nobody writes, an
 * input path not in `input_spec`). No vscode: the editor, the CLI and the tests share it.
 */
import { Component, TbConfig } from './model';

export interface TbProblem {
  /** Path into the config, e.g. `["view", "items", 0, "data", "path"]`. */
  readonly path: ReadonlyArray<string | number>;
  readonly message: string;
  readonly severity: 'error' | 'warning';
}

/** The field names of a project's `input_spec` and `output_spec`, with their required flags. */
export interface TbSpecs {
  readonly input?: Readonly<Record<string, { readonly required?: boolean; readonly type?: string }>>;
  readonly output?: Readonly<Record<string, { readonly required?: boolean; readonly type?: string }>>;
}

export interface DataRef {
  readonly kind: 'input' | 'output';
  readonly path: string;
  /** Path of the `path` property in the config. */
  readonly at: ReadonlyArray<string | number>;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Every data.input and data.output with a literal path, in document order. */
export function dataRefs(config: unknown): DataRef[] {
  const out: DataRef[] = [];
  const walk = (node: unknown, at: Array<string | number>) => {
    if (Array.isArray(node)) {
      node.forEach((n, i) => walk(n, [...at, i]));
      return;
    }
    if (!isObject(node)) return;
    const type = node['type'];
    if ((type === 'data.input' || type === 'data.output') && typeof node['path'] === 'string') out.push({ kind: type === 'data.input' ? 'input' : 'output', path: node['path'], at: [...at, 'path'] });
    for (const [k, v] of Object.entries(node)) if (typeof v === 'object' && v !== null) walk(v, [...at, k]);
  };
  walk(config, []);
  return out;
}

/** Problems of a config; with `specs`, the data paths are checked against the project. */
export function checkTbConfig(config: unknown, specs?: TbSpecs): TbProblem[] {
  const problems: TbProblem[] = [];
  const parsed = TbConfig.safeParse(config);
  if (!parsed.success) for (const i of parsed.error.issues) problems.push({ path: i.path.map((p) => (typeof p === 'number' ? p : String(p))), message: i.message, severity: 'error' });
  if (specs) problems.push(...checkPaths(config, specs));
  return problems;
}

/** Problems of one component (a part of a config). */
export function checkTbComponent(component: unknown): TbProblem[] {
  const parsed = Component.safeParse(component);
  return parsed.success ? [] : parsed.error.issues.map((i) => ({ path: i.path.map((p) => (typeof p === 'number' ? p : String(p))), message: i.message, severity: 'error' as const }));
}

function checkPaths(config: unknown, specs: TbSpecs): TbProblem[] {
  const problems: TbProblem[] = [];
  const refs = dataRefs(config);
  const written = new Set<string>();
  for (const ref of refs) {
    const field = ref.path.split('.')[0] ?? '';
    const spec = ref.kind === 'input' ? specs.input : specs.output;
    if (ref.kind === 'output') written.add(field);
    if (spec && !(field in spec)) {
      const known = Object.keys(spec);
      problems.push({ path: ref.at, severity: 'warning', message: `"${field}" is not in the project's ${ref.kind}_spec${known.length ? ` (it has ${known.map((k) => `"${k}"`).join(', ')})` : ''}` });
    }
  }
  for (const [name, field] of Object.entries(specs.output ?? {})) {
    if (field.required !== false && !written.has(name)) problems.push({ path: ['view'], severity: 'warning', message: `Output "${name}" is required by output_spec, but no data.output in the config writes it` });
  }
  return problems;
}
