/**
 * What a Template Builder config means at run time, without a DOM: reading and writing data
 * (`data.*`), computing helpers, deciding conditions, running actions, and the validation a
 * Submit runs. The preview's renderer and the unit tests share it; no vscode, no zod.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The data a task runs on: the input, what the Toloker answers, and the task's own. */
export interface TaskData {
  readonly input: Obj;
  output: Obj;
  internal: Obj;
  /** data.local (helper.transform's item) and data.relative (field.list's item), when inside one. */
  readonly local?: unknown;
  readonly relativeBase?: string;
  readonly vars: Obj;
}

function segments(path: unknown): string[] {
  return typeof path === 'string' && path !== '' ? path.split('.') : [];
}

export function getPath(root: unknown, path: unknown): unknown {
  let node = root;
  for (const s of segments(path)) {
    if (Array.isArray(node)) node = node[Number(s)];
    else if (isObj(node)) node = node[s];
    else return undefined;
  }
  return node;
}

/** Sets a value at a dotted path, creating objects (or arrays, for numeric segments) on the way; undefined removes it. */
export function setPath(root: Obj, path: unknown, value: unknown): void {
  const parts = segments(path);
  if (parts.length === 0) return;
  let node: Obj | unknown[] = root;
  for (let i = 0; i < parts.length - 1; i++) {
    const key = parts[i] ?? '';
    const nextIsIndex = /^\d+$/.test(parts[i + 1] ?? '');
    const current: unknown = Array.isArray(node) ? node[Number(key)] : node[key];
    const next: Obj | unknown[] = isObj(current) || Array.isArray(current) ? current : nextIsIndex ? [] : {};
    if (Array.isArray(node)) node[Number(key)] = next;
    else node[key] = next;
    node = next;
  }
  const last = parts[parts.length - 1] ?? '';
  if (Array.isArray(node)) node[Number(last)] = value;
  else if (value === undefined) delete node[last];
  else node[last] = value;
}

/** Where a `data.*` component points: the store and the full path in it. */
export function target(ref: unknown, data: TaskData): { store: 'output' | 'internal' | 'input' | 'local'; path: string } | undefined {
  if (!isObj(ref) || typeof ref['type'] !== 'string') return undefined;
  const path = typeof ref['path'] === 'string' ? ref['path'] : '';
  switch (ref['type']) {
    case 'data.output':
      return { store: 'output', path };
    case 'data.internal':
      return { store: 'internal', path };
    case 'data.input':
      return { store: 'input', path };
    case 'data.local':
      return { store: 'local', path };
    case 'data.relative':
      return { store: 'output', path: [data.relativeBase, path].filter(Boolean).join('.') };
    default:
      return undefined;
  }
}

export function readData(ref: unknown, data: TaskData): unknown {
  const t = target(ref, data);
  if (!t) return undefined;
  const root = t.store === 'local' ? data.local : data[t.store];
  const v = getPath(root, t.path);
  return v === undefined && isObj(ref) ? ref['default'] : v;
}

export function writeData(ref: unknown, data: TaskData, value: unknown): void {
  const t = target(ref, data);
  if (!t || t.store === 'input' || t.store === 'local') return;
  if (t.path === '') {
    if (t.store === 'output') data.output = isObj(value) ? value : {};
    else data.internal = isObj(value) ? value : {};
    return;
  }
  setPath(data[t.store], t.path, value);
}

const isComputed = (t: string) => t.startsWith('data.') || t.startsWith('@toloka/data.') || t.startsWith('helper.') || t.startsWith('condition.') || t.startsWith('@toloka/condition.');

/** The value of a property: literals as they are, `data.*` read, helpers computed, conditions decided, `$ref`s followed. */
export function resolve(value: unknown, data: TaskData, parentData?: unknown): unknown {
  if (!isObj(value)) return value;
  if (typeof value['$ref'] === 'string') return resolve(getPath({ vars: data.vars }, value['$ref']), data, parentData);
  const type = value['type'];
  if (typeof type !== 'string' || !isComputed(type)) return value;
  if (type.startsWith('data.')) return readData(value, data);
  if (type === '@toloka/data.assignment-id') return 'preview-assignment';
  if (type === '@toloka/data.location') return [0, 0];
  if (type.includes('condition.')) return condition(value, data, parentData).ok;
  return helper(type, value, data, parentData);
}

function str(v: unknown): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
}

function helper(type: string, c: Obj, data: TaskData, parentData: unknown): unknown {
  const r = (k: string) => resolve(c[k], data, parentData);
  switch (type) {
    case 'helper.if':
      return condition(c['condition'], data, parentData).ok ? r('then') : r('else');
    case 'helper.switch': {
      const cases = Array.isArray(c['cases']) ? c['cases'] : [];
      for (const k of cases) if (isObj(k) && condition(k['condition'], data, parentData).ok) return resolve(k['result'], data, parentData);
      return r('default');
    }
    case 'helper.join': {
      const items = r('items');
      return Array.isArray(items) ? items.map((i) => str(resolve(i, data, parentData))).join(str(r('by'))) : '';
    }
    case 'helper.concat-arrays': {
      const items = r('items');
      return Array.isArray(items) ? items.flatMap((i) => {
        const v = resolve(i, data, parentData);
        return Array.isArray(v) ? v : [v];
      }) : [];
    }
    case 'helper.replace':
      return str(r('data')).split(str(r('find'))).join(str(r('replace')));
    case 'helper.text-transform': {
      const s = str(r('data'));
      const t = r('transformation');
      return t === 'uppercase' ? s.toUpperCase() : t === 'lowercase' ? s.toLowerCase() : s.charAt(0).toUpperCase() + s.slice(1);
    }
    case 'helper.object2entries': {
      const o = r('data');
      return isObj(o) ? Object.entries(o).map(([key, value]) => ({ key, value })) : [];
    }
    case 'helper.entries2object': {
      const e = r('data');
      return Array.isArray(e) ? Object.fromEntries(e.filter(isObj).map((x) => [str(x['key']), x['value']])) : {};
    }
    case 'helper.transform': {
      const items = r('items');
      return Array.isArray(items) ? items.map((item) => resolve(c['into'], { ...data, local: { item } }, parentData)) : [];
    }
    case 'helper.search-query': {
      const q = encodeURIComponent(str(r('query')));
      const engine = r('engine');
      const base = engine === 'google' ? 'https://www.google.com/search?q=' : engine === 'bing' ? 'https://www.bing.com/search?q=' : engine === 'duckduckgo' ? 'https://duckduckgo.com/?q=' : 'https://yandex.com/search/?text=';
      return base + q;
    }
    case 'helper.translate':
      return str(r('key'));
    default:
      return undefined; // helper.proxy: no network in a preview
  }
}

function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0) || (isObj(v) && Object.keys(v).length === 0);
}

function equal(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Track of what media was played and which links were opened, for condition.played and link-opened. */
export const activity = { played: new Set<string>(), playedFully: new Set<string>(), opened: new Set<string>() };

export interface Verdict {
  readonly ok: boolean;
  /** The message of the condition that failed, if it has one. */
  readonly hint?: string;
}

function fail(hint: string | undefined): Verdict {
  return hint === undefined ? { ok: false } : { ok: false, hint };
}

/** Decides a condition; `hint` is the message of the condition that failed, if it has one. */
export function condition(c: unknown, data: TaskData, parentData?: unknown): Verdict {
  if (c === undefined) return { ok: true };
  if (!isObj(c)) return { ok: Boolean(c) };
  if (typeof c['$ref'] === 'string') return condition(getPath({ vars: data.vars }, c['$ref']), data, parentData);
  const type = typeof c['type'] === 'string' ? c['type'].replace(/^@toloka\//, '') : '';
  const hint = typeof c['hint'] === 'string' ? c['hint'] : undefined;
  const value = () => ('data' in c ? resolve(c['data'], data, parentData) : isObj(parentData) ? readData(parentData, data) : undefined);
  const verdict = (ok: boolean, fallback?: string): Verdict => (ok ? { ok } : fail(hint ?? fallback));
  switch (type) {
    case 'condition.required':
      return verdict(!isEmpty(value()), 'This field is required');
    case 'condition.empty':
      return verdict(isEmpty(value()));
    case 'condition.equals': {
      const to = resolve(c['to'], data, parentData);
      return verdict(equal(value(), to));
    }
    case 'condition.not': {
      const inner = condition(c['condition'], data, parentData);
      return verdict(!inner.ok);
    }
    case 'condition.all': {
      for (const k of Array.isArray(c['conditions']) ? c['conditions'] : []) {
        const v = condition(k, data, parentData);
        if (!v.ok) return fail(hint ?? v.hint);
      }
      return { ok: true };
    }
    case 'condition.any': {
      const list = Array.isArray(c['conditions']) ? c['conditions'] : [];
      const results = list.map((k) => condition(k, data, parentData));
      if (list.length === 0 || results.some((v) => v.ok)) return { ok: true };
      const first = results.find((v) => v.hint);
      return fail(hint ?? first?.hint);
    }
    case 'condition.sub-array': {
      const sub = value();
      const parent = resolve(c['parent'], data, parentData);
      return verdict(Array.isArray(sub) && Array.isArray(parent) && sub.every((s) => parent.some((p) => equal(p, s))));
    }
    case 'condition.schema': {
      const v = value();
      const schema = isObj(c['schema']) ? c['schema'] : {};
      const s = typeof v === 'string' ? v : '';
      const ok =
        (typeof schema['minLength'] !== 'number' || s.length >= schema['minLength']) &&
        (typeof schema['maxLength'] !== 'number' || s.length <= schema['maxLength']) &&
        (typeof schema['pattern'] !== 'string' || safeRegex(schema['pattern']).test(s));
      return verdict(ok);
    }
    case 'condition.same-domain': {
      const host = (u: unknown) => {
        try {
          return new URL(str(u)).hostname.replace(/^www\./, '');
        } catch {
          return '';
        }
      };
      const a = host(resolve(c['data'], data, parentData));
      return verdict(a !== '' && a === host(resolve(c['original'], data, parentData)));
    }
    case 'condition.link-opened':
      return verdict(activity.opened.has(str(resolve(c['url'], data, parentData))));
    case 'condition.played':
      return verdict(activity.played.size > 0);
    case 'condition.played-fully':
      return verdict(activity.playedFully.size > 0);
    case 'condition.distance':
      return { ok: true };
    default: {
      // A helper or data component used as a condition: its truth.
      const v = resolve(c, data, parentData);
      return verdict(Boolean(v) && !isEmpty(v));
    }
  }
}

function safeRegex(pattern: string): RegExp {
  try {
    return new RegExp(pattern);
  } catch {
    return /(?:)/;
  }
}

/** Runs an action: writes data, toggles, notifies (through `notify`), opens links (through `open`). */
export function runAction(a: unknown, data: TaskData, effects: { notify(text: string, theme: string): void; open(url: string): void }): void {
  if (!isObj(a)) return;
  if (typeof a['$ref'] === 'string') return runAction(getPath({ vars: data.vars }, a['$ref']), data, effects);
  switch (a['type']) {
    case 'action.set':
      writeData(a['data'], data, resolve(a['payload'], data));
      return;
    case 'action.toggle':
      writeData(a['data'], data, !readData(a['data'], data));
      return;
    case 'action.bulk':
      for (const x of Array.isArray(a['payload']) ? a['payload'] : []) runAction(x, data, effects);
      return;
    case 'action.notify': {
      const p = resolve(a['payload'], data);
      const o = isObj(p) ? p : {};
      effects.notify(str(resolve(o['content'], data)), str(o['theme']) || 'info');
      return;
    }
    case 'action.open-link': {
      const url = str(resolve(a['payload'], data));
      activity.opened.add(url);
      effects.open(url);
      return;
    }
    default:
      return; // open-close, play-pause, rotate: view state the renderer keeps
  }
}

/** The branch a helper.if or helper.switch shows now, and its key in the config (for paths). */
export function chosenBranch(c: Obj, data: TaskData): { node: unknown; key: string } | undefined {
  if (c['type'] === 'helper.if') return condition(c['condition'], data).ok ? { node: c['then'], key: 'then' } : 'else' in c ? { node: c['else'], key: 'else' } : undefined;
  if (c['type'] === 'helper.switch') {
    const cases = Array.isArray(c['cases']) ? c['cases'] : [];
    const i = cases.findIndex((k) => isObj(k) && condition(k['condition'], data).ok);
    const chosen = cases[i];
    if (isObj(chosen)) return { node: chosen['result'], key: `cases.${i}.result` };
    return 'default' in c ? { node: c['default'], key: 'default' } : undefined;
  }
  return undefined;
}

export interface FieldMessage {
  /** Path of the field in the config, e.g. `view.items.1`. */
  readonly at: string;
  readonly label: string;
  readonly hint: string;
}

/** Every field with a `validation` or a required `data`, as Submit checks them, with the messages of those that fail. */
export function validateTask(config: unknown, data: TaskData): FieldMessage[] {
  const out: FieldMessage[] = [];
  const walk = (node: unknown, at: string, local: TaskData) => {
    if (Array.isArray(node)) {
      node.forEach((n, i) => walk(n, `${at}.${i}`, local));
      return;
    }
    if (!isObj(node)) return;
    if (typeof node['$ref'] === 'string') return walk(getPath({ vars: local.vars }, node['$ref']), at, local);
    const type = typeof node['type'] === 'string' ? node['type'] : '';
    if (type.startsWith('field.') && 'validation' in node) {
      const v = condition(node['validation'], local, node['data']);
      if (!v.ok) out.push({ at, label: str(resolve(node['label'], local)), hint: v.hint ?? 'The answer does not pass the check' });
    }
    const branch = chosenBranch(node, local);
    if (branch) return walk(branch.node, `${at}.${branch.key}`, local);
    if (type.startsWith('helper.') || type.startsWith('condition.') || type.startsWith('data.') || type.startsWith('action.')) return;
    for (const [k, v] of Object.entries(node)) if (k !== 'validation' && typeof v === 'object' && v !== null) walk(v, `${at}.${k}`, local);
  };
  walk(isObj(config) ? config['view'] : undefined, 'view', data);
  return out;
}

/** Sample input values from an input_spec, for a preview with no task at hand. */
export function sampleInput(inputSpec: Readonly<Record<string, { readonly type?: string; readonly allowed_values?: readonly unknown[] }>> | undefined): Obj {
  const out: Obj = {};
  for (const [name, spec] of Object.entries(inputSpec ?? {})) {
    const first = spec.allowed_values?.[0];
    if (first !== undefined) {
      out[name] = first;
      continue;
    }
    switch (spec.type) {
      case 'url':
        out[name] = `https://example.com/${name}.jpg`;
        break;
      case 'integer':
        out[name] = 1;
        break;
      case 'float':
        out[name] = 1.5;
        break;
      case 'boolean':
        out[name] = true;
        break;
      case 'json':
        out[name] = {};
        break;
      case 'coordinates':
        out[name] = '55.7,37.6';
        break;
      case 'array_string':
      case 'array_url':
        out[name] = [`${name} 1`, `${name} 2`];
        break;
      default:
        out[name] = `Sample ${name}`;
    }
  }
  return out;
}

/** The hotkeys a config binds: plugin.hotkeys keys, with what each does in words. */
export function hotkeysOf(config: unknown): Array<{ key: string; does: string }> {
  const plugins = isObj(config) && Array.isArray(config['plugins']) ? config['plugins'] : [];
  const out: Array<{ key: string; does: string }> = [];
  for (const p of plugins) {
    if (!isObj(p) || p['type'] !== 'plugin.hotkeys') continue;
    for (const [key, action] of Object.entries(p)) {
      if (key === 'type' || !isObj(action)) continue;
      const path = isObj(action['data']) ? str(action['data']['path']) : '';
      out.push({ key, does: action['type'] === 'action.set' ? `${path} = ${JSON.stringify(action['payload'])}` : str(action['type']) });
    }
  }
  return out;
}
