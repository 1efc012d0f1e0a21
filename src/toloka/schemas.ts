/**
 * JSON Schemas of the payload files, generated from the same zod models the client uses:
 * documentation from `schemaDocs`, unknown properties flagged, ready skeletons as snippets.
 * `validatePayload` checks a payload the same way: the model, then the unknown properties.
 * No `vscode` import: the build writes the schemas, tests compare them, commands use them.
 */
import { z } from 'zod';
import { AppItemInput } from './models/apps';
import { Pool, TrainingPool } from './models/pool';
import { Skill } from './models/misc';
import { Project } from './models/project';
import { QualityControl } from './models/qualityControl';
import { Task, TaskSuite } from './models/task';
import { tbDefinitions } from '../tb/schema';
import { docFor } from './schemaDocs';
import { nestedSnippets, snippets } from './schemaSnippets';

export type JsonSchema = { [key: string]: unknown };

export const payloadKinds = {
  project: { model: Project, file: '*.project.json', title: 'Toloka project' },
  pool: { model: Pool, file: '*.pool.json', title: 'Toloka pool' },
  training: { model: TrainingPool, file: '*.training.json', title: 'Toloka training pool' },
  skill: { model: Skill, file: '*.skill.json', title: 'Toloka skill' },
  task: { model: Task, file: '*.task.json', title: 'Toloka task' },
  tasks: { model: z.array(Task), file: '*.tasks.json', title: 'Toloka tasks (array)' },
  suite: { model: TaskSuite, file: '*.suite.json', title: 'Toloka task suite' },
  qc: { model: QualityControl, file: '*.qc.json', title: 'Toloka quality control block' },
  'app-items': { model: z.array(AppItemInput), file: '*.app-items.json', title: 'Items for a Toloka app project' },
} as const;
export type PayloadKind = keyof typeof payloadKinds;
export const payloadKindNames = Object.keys(payloadKinds) as PayloadKind[];

/** The payload kind a file name implies, by its conventional suffix. */
export function kindOfFile(fileName: string): PayloadKind | undefined {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  return payloadKindNames.find((k) => base.endsWith(payloadKinds[k].file.slice(1)));
}

function isObject(v: unknown): v is JsonSchema {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The `const` of a branch's property, if it has one. */
function constOf(branch: unknown, property: string): unknown {
  const p = isObject(branch) && isObject(branch['properties']) ? branch['properties'][property] : undefined;
  return isObject(p) && 'const' in p ? p['const'] : undefined;
}

/**
 * Declares a union's discriminator values beside it. Completion in a half-written object only
 * looks at the branches the object already fits, so without this `{"type": ""}` would offer
 * just the types whose other fields are optional. Validation is unchanged: every branch
 * already restricts the value. Works one level down too (`collector_config.type`).
 */
function hintDiscriminators(node: JsonSchema, branches: unknown[]): void {
  const first = branches[0];
  if (!isObject(first) || !isObject(first['properties'])) return;
  const hints: JsonSchema = {};
  for (const [name, prop] of Object.entries(first['properties'])) {
    const consts = branches.map((b) => constOf(b, name));
    if (consts.every((c) => c !== undefined)) {
      hints[name] = { enum: [...new Set(consts)], ...(isObject(prop) && typeof prop['markdownDescription'] === 'string' ? { markdownDescription: prop['markdownDescription'] } : {}) };
      continue;
    }
    if (!isObject(prop) || !isObject(prop['properties'])) continue;
    for (const inner of Object.keys(prop['properties'])) {
      const nested = branches.map((b) => (isObject(b) && isObject(b['properties']) ? constOf(b['properties'][name], inner) : undefined));
      if (nested.every((c) => c !== undefined)) hints[name] = { type: 'object', properties: { [inner]: { enum: [...new Set(nested)] } } };
    }
  }
  if (Object.keys(hints).length > 0) node['properties'] = { ...(isObject(node['properties']) ? node['properties'] : {}), ...hints };
}

/** Applies the docs and closes objects to unknown properties, everywhere in a generated schema. */
function annotate(node: unknown, missing: Set<string>): void {
  if (Array.isArray(node)) {
    for (const n of node) annotate(n, missing);
    return;
  }
  if (!isObject(node)) return;
  for (const key of ['oneOf', 'anyOf']) {
    const branches = node[key];
    if (Array.isArray(branches) && branches.length > 1 && !('properties' in node)) {
      for (const b of branches) annotate(b, missing);
      hintDiscriminators(node, branches);
      for (const [k, v] of Object.entries(node)) if (k !== key && k !== 'properties') annotate(v, missing);
      return;
    }
  }
  const props = node['properties'];
  if (isObject(props)) {
    const title = typeof node['title'] === 'string' ? node['title'] : '?';
    for (const [name, schema] of Object.entries(props)) {
      if (!isObject(schema)) continue;
      const doc = docFor(title, name);
      if (!doc) {
        missing.add(`${title}.${name}`);
        continue;
      }
      const values = doc.values;
      const enumValues = Array.isArray(schema['enum']) ? (schema['enum'] as unknown[]) : undefined;
      const constValue = schema['const'];
      let md = doc.readOnly ? `**Read-only**: set by Toloka and ignored when creating. ${doc.md}` : doc.md;
      // A warning in a file: what Toloka sets does not belong in the desired state.
      if (doc.readOnly) schema['deprecationMessage'] = `"${name}" is set by Toloka: it is ignored when the file is applied`;
      if (values && typeof constValue === 'string' && values[constValue]) md = `${md}\n\n\`${constValue}\`: ${values[constValue]}`;
      schema['markdownDescription'] = md;
      if (values && enumValues) schema['markdownEnumDescriptions'] = enumValues.map((v) => values[String(v)] ?? '');
    }
    const nested = nestedSnippets[title];
    if (nested) {
      for (const [name, list] of Object.entries(nested)) {
        const p = props[name];
        const target = isObject(p) && isObject(p['items']) ? p['items'] : p;
        if (isObject(target)) target['defaultSnippets'] = list;
      }
    }
    // Loose models keep unknown fields the server sends; in a file they are most likely typos.
    if (isObject(node['additionalProperties']) && Object.keys(node['additionalProperties']).length === 0) node['additionalProperties'] = false;
  }
  for (const [key, value] of Object.entries(node)) if (key !== 'enum' && key !== 'const' && key !== 'default') annotate(value, missing);
}

/** What a reference to another workspace file may stand for, by the field it replaces. */
const referenceFields: Readonly<Record<string, string>> = {
  project_id: 'project',
  training_pool_id: 'training',
  skill_id: 'skill',
  answer_weight_skill_id: 'skill',
};

function fileReference(kind: string): JsonSchema {
  return {
    type: 'object',
    title: 'FileReference',
    required: ['$file'],
    additionalProperties: false,
    properties: { $file: { type: 'string', pattern: `\\.${kind}\\.json$`, markdownDescription: `The path of a \`*.${kind}.json\` file of the workspace, relative to this file. Deploy puts the id of the ${kind} it created there.` } },
    markdownDescription: `Another workspace file instead of an id: \`{"$file": "./name.${kind}.json"}\`.`,
  };
}

/** Either the field's own schema or a reference; the description stays outside, where hover finds it. */
function orReference(schema: JsonSchema, kind: string): JsonSchema {
  const { markdownDescription, deprecationMessage, ...own } = schema;
  return { ...(markdownDescription === undefined ? {} : { markdownDescription }), ...(deprecationMessage === undefined ? {} : { deprecationMessage }), anyOf: [own, fileReference(kind)] };
}

/**
 * Lets the fields that hold another object's id name a workspace file instead, and a Template
 * Builder `config` be an object (it is sent as a JSON string): the shapes deploy files use.
 */
function allowReferences(node: unknown): void {
  if (Array.isArray(node)) {
    for (const n of node) allowReferences(n);
    return;
  }
  if (!isObject(node)) return;
  const props = node['properties'];
  if (isObject(props)) {
    const title = node['title'];
    for (const [name, schema] of Object.entries(props)) {
      if (!isObject(schema)) continue;
      const kind = referenceFields[name] ?? ((title === 'FilterCondition' && name === 'key') || (title === 'RuleCondition' && name === 'value') ? 'skill' : undefined);
      if (kind) props[name] = orReference(schema, kind);
      else if (title === 'ViewSpec' && name === 'config') {
        const { markdownDescription, ...own } = schema;
        props[name] = { ...(markdownDescription === undefined ? {} : { markdownDescription }), anyOf: [own, { type: 'object', description: 'The config as JSON; sent to Toloka as a string.' }] };
      }
    }
  }
  for (const [key, value] of Object.entries(node)) if (key !== 'enum' && key !== 'const' && key !== 'default') allowReferences(value);
}

/**
 * A file's value as the models take it: references stand in as an id, a Template Builder
 * config object as its JSON text. Deploy resolves the references itself before sending.
 */
export function withReferencesAsIds(value: unknown, placeholder = '1'): unknown {
  if (Array.isArray(value)) return value.map((v) => withReferencesAsIds(v, placeholder));
  if (!isObject(value)) return value;
  if (typeof value['$file'] === 'string' && Object.keys(value).length === 1) return placeholder;
  const out: JsonSchema = {};
  for (const [k, v] of Object.entries(value)) out[k] = withReferencesAsIds(v, placeholder);
  if (out['type'] === 'tb' && isObject(out['config'])) out['config'] = JSON.stringify(out['config']);
  return out;
}

/** The Template Builder `config` of a project: Toloka's JSON string, or the object with the component schema. */
function embedTbConfig(schema: JsonSchema): void {
  const taskSpec = isObject(schema['properties']) ? schema['properties']['task_spec'] : undefined;
  const view = isObject(taskSpec) && isObject(taskSpec['properties']) ? taskSpec['properties']['view_spec'] : undefined;
  const branches = isObject(view) ? (view['oneOf'] ?? view['anyOf']) : undefined;
  const tb = Array.isArray(branches) ? branches.find((b) => constOf(b, 'type') === 'tb') : undefined;
  if (!isObject(tb) || !isObject(tb['properties']) || !isObject(tb['properties']['config'])) return;
  const { definitions, config } = tbDefinitions('#/definitions/');
  const doc = tb['properties']['config']['markdownDescription'];
  tb['properties']['config'] = { anyOf: [{ type: 'string' }, { $ref: '#/definitions/tbConfig' }, { type: 'object', required: ['$file'], properties: { $file: { type: 'string', markdownDescription: 'A `*.tb.json` file with the config, relative to this file.' } }, additionalProperties: false }], markdownDescription: doc };
  schema['definitions'] = { ...(isObject(schema['definitions']) ? schema['definitions'] : {}), ...definitions, tbConfig: config };
}

const cache = new Map<PayloadKind, { schema: JsonSchema; missing: string[] }>();

function generate(kind: PayloadKind): { schema: JsonSchema; missing: string[] } {
  let entry = cache.get(kind);
  if (!entry) {
    const spec = payloadKinds[kind];
    const schema = z.toJSONSchema(spec.model, { target: 'draft-7', io: 'input', unrepresentable: 'any' }) as JsonSchema;
    const missing = new Set<string>();
    annotate(schema, missing);
    allowReferences(schema);
    if (kind === 'project') embedTbConfig(schema);
    schema['title'] = spec.title;
    schema['$comment'] = 'Generated from the zod models of Toloka for VS Code; do not edit.';
    const s = snippets[kind];
    if (s) schema['defaultSnippets'] = s;
    entry = { schema, missing: [...missing].sort() };
    cache.set(kind, entry);
  }
  return entry;
}

export function jsonSchemaFor(kind: PayloadKind): JsonSchema {
  return generate(kind).schema;
}

/** Properties with no documentation, as `Title.property`: a test keeps this empty. */
export function undocumentedProperties(kind: PayloadKind): string[] {
  return generate(kind).missing;
}

export interface PayloadProblem {
  /** Path into the document, e.g. `["quality_control", "configs", 0, "rules"]`. */
  readonly path: ReadonlyArray<string | number>;
  readonly message: string;
  /** A field the model does not know, reported on its name rather than its value. */
  readonly unknownField?: boolean;
}

function resolve(schema: JsonSchema, root: JsonSchema): JsonSchema {
  const ref = schema['$ref'];
  if (typeof ref === 'string' && ref.startsWith('#/')) {
    let target: unknown = root;
    for (const part of ref.slice(2).split('/')) target = isObject(target) ? target[part] : undefined;
    return isObject(target) ? resolve(target, root) : schema;
  }
  return schema;
}

type KeyCheck = (value: unknown, path: Array<string | number>, out: PayloadProblem[]) => void;

/**
 * The unknown-field check of a schema node, compiled once into closures: `$ref`s resolved,
 * property tables built, unions reduced to their discriminating constants. Checking a task
 * then costs a few property lookups instead of a walk over the schema.
 */
function compileKeyCheck(schema: JsonSchema, root: JsonSchema, memo: Map<JsonSchema, KeyCheck>): KeyCheck {
  const s = resolve(schema, root);
  const known = memo.get(s);
  if (known) return known;
  let compiled: KeyCheck = () => undefined;
  // Recursive schemas (the pool filter) reach this node again while it is being compiled.
  memo.set(s, (v, p, o) => compiled(v, p, o));
  const union = Array.isArray(s['oneOf']) ? s['oneOf'] : Array.isArray(s['anyOf']) ? s['anyOf'] : undefined;
  if (union) {
    const branches = union.filter(isObject).map((b) => resolve(b, root));
    const checks = branches.map((b) => compileKeyCheck(b, root, memo));
    const consts = branches.map((b) => (isObject(b['properties']) ? Object.entries(b['properties']).filter(([, p]) => isObject(p) && 'const' in p).map(([k, p]) => [k, (p as JsonSchema)['const']] as const) : []));
    compiled = (value, path, out) => {
      let only = -1;
      for (let i = 0; i < branches.length; i++) {
        const fits = !isObject(value) || (consts[i] ?? []).every(([k, c]) => value[k] === undefined || value[k] === c);
        if (!fits) continue;
        if (only >= 0) return; // more than one branch fits: no verdict on unknown keys
        only = i;
      }
      if (only >= 0) checks[only]?.(value, path, out);
    };
  } else if (isObject(s['items'])) {
    const item = compileKeyCheck(s['items'], root, memo);
    compiled = (value, path, out) => {
      if (Array.isArray(value)) value.forEach((v, i) => item(v, [...path, i], out));
    };
  } else {
    const props = isObject(s['properties']) ? s['properties'] : undefined;
    const table = new Map<string, KeyCheck>();
    for (const [k, p] of Object.entries(props ?? {})) if (isObject(p)) table.set(k, compileKeyCheck(p, root, memo));
    const closed = props !== undefined && s['additionalProperties'] === false;
    const extra = isObject(s['additionalProperties']) && Object.keys(s['additionalProperties']).length > 0 ? compileKeyCheck(s['additionalProperties'], root, memo) : undefined;
    if (table.size > 0 || closed || extra) {
      compiled = (value, path, out) => {
        if (!isObject(value)) return;
        for (const k in value) {
          const check = table.get(k);
          if (check) check(value[k], [...path, k], out);
          else if (closed) out.push({ path: [...path, k], message: `Unknown field "${k}": not part of the Toloka API`, unknownField: true });
          else if (extra) extra(value[k], [...path, k], out);
        }
      };
    }
  }
  memo.set(s, compiled);
  return compiled;
}

const keyChecks = new Map<PayloadKind, KeyCheck>();

/** Problems of a payload, as the API would name them: the model's, then unknown fields. */
export function validatePayload(kind: PayloadKind, value: unknown): PayloadProblem[] {
  const out: PayloadProblem[] = [];
  value = withReferencesAsIds(value);
  const parsed = payloadKinds[kind].model.safeParse(value);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) out.push({ path: issue.path.map((p) => (typeof p === 'number' ? p : String(p))), message: issue.message });
  }
  let check = keyChecks.get(kind);
  if (!check) {
    const schema = jsonSchemaFor(kind);
    check = compileKeyCheck(schema, schema, new Map());
    keyChecks.set(kind, check);
  }
  check(value, [], out);
  return out;
}

export function formatPath(path: ReadonlyArray<string | number>): string {
  return path.length === 0 ? '(document)' : path.map(String).join('.');
}
