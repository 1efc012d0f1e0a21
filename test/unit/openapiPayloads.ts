/**
 * Payloads made from an OpenAPI schema, to hold our models to it: a minimal valid payload (the
 * required fields, each at its example or a value its constraints allow), and variants that change
 * one place in it: every enum value, every optional field, null where nullable, each bound of a
 * range or length (valid) and one step past it, a value outside the enum, a value of the wrong JSON
 * type for each typed property, or each required property left out (invalid). `$ref` (into
 * the file itself or the one beside it: the caller passes both files' schemas), `allOf`, `oneOf` / `anyOf` are followed; a schema met again inside itself stops there.
 * Plain Node, no test framework: the conformance test uses it.
 */

export type OpenApiSchema = {
  $ref?: string; example?: unknown; description?: string; properties?: Record<string, OpenApiSchema>; required?: string[]; items?: OpenApiSchema;
  allOf?: OpenApiSchema[]; oneOf?: OpenApiSchema[]; anyOf?: OpenApiSchema[]; enum?: unknown[]; type?: string; format?: string;
  minimum?: number; maximum?: number; exclusiveMinimum?: boolean | number; exclusiveMaximum?: boolean | number;
  minLength?: number; maxLength?: number; minItems?: number; maxItems?: number; nullable?: boolean; additionalProperties?: unknown;
};

export interface Variant {
  /** Where and what, e.g. `defaults.default_overlap_for_new_task_suites=min-1`; `` for the minimal payload. */
  readonly id: string;
  readonly value: unknown;
  /** Whether the OpenAPI allows it. */
  readonly valid: boolean;
  /** `Component.property` when the variant leaves out a property (`Schema.property` inside no component). */
  readonly omits?: string;
}

/** The value outside every enum of the files. */
export const NOT_IN_ENUM = 'NOT_AN_ENUM_VALUE';
const REF = '#/components/schemas/';

/** YAML reads an unquoted date-time as a Date; in JSON it is the string Toloka sends. */
export function asJson(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString().replace('Z', '');
  if (Array.isArray(v)) return v.map(asJson);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, asJson(x)]));
  return v;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A property name that stands for any name (`<ID>` in a spec node): the payload uses this one. */
const ANY_NAME = /^<.+>$/;
export const ANY_NAME_AS = 'field_1';

/**
 * The values a string's description lists as its only ones (`- \`url\` — URL of an image`), where
 * the OpenAPI gives them in words instead of an `enum` (a field spec's `type`).
 */
export function documentedValues(s: OpenApiSchema): string[] | undefined {
  if (s.type !== 'string' || s.enum || !s.description) return undefined;
  const bullets = s.description.split('\n').filter((l) => /^\s*- /.test(l));
  const values = bullets.map((l) => /^\s*- `([^`]+)` [—-]/.exec(l)?.[1]);
  return values.length >= 2 && values.every((v) => v !== undefined) ? (values as string[]) : undefined;
}

/**
 * A value of another JSON type than the schema's, which Toloka refuses: a string where a number or a
 * boolean is (not one Jackson would read as one), a boolean where a string is (a number could pass
 * as an id), a string where an array or an object is, and a fraction where an integer is.
 */
export function wrongTypes(s: OpenApiSchema): Array<{ what: string; value: unknown }> {
  switch (s.type) {
    case 'integer':
      return [{ what: 'type:string', value: 'not-a-number' }, { what: 'type:fraction', value: 1.5 }];
    case 'number':
      return [{ what: 'type:string', value: 'not-a-number' }];
    case 'boolean':
      return [{ what: 'type:string', value: 'not-a-boolean' }];
    case 'string':
      return [{ what: 'type:boolean', value: true }];
    case 'array':
    case 'object':
      return [{ what: 'type:string', value: 'x' }];
    default:
      return s.properties ? [{ what: 'type:string', value: 'x' }] : [];
  }
}

export class PayloadGenerator {
  /**
   * `fill`: objects carry every property (a response as Toloka sends it), not only the required ones
   * (the smallest request); each variant then changes one place in that payload.
   */
  constructor(
    private readonly schemas: Record<string, OpenApiSchema>,
    private readonly fill = false,
    /** Properties Toloka requires though the OpenAPI does not mark them, by component name. */
    private readonly required: Readonly<Record<string, readonly string[]>> = {},
  ) {}

  /** The schema a `$ref` names (`allOf` merged into one object schema), and the names passed through. */
  private resolve(s: OpenApiSchema, seen: ReadonlySet<string>): { s: OpenApiSchema; seen: Set<string>; cycle: boolean; unmarked: Map<string, string>; name: string } {
    const names = new Set(seen);
    /** Each property required only by `this.required`, and the component that says so. */
    const unmarked = new Map<string, string>();
    const note = (name: string) => {
      for (const k of this.required[name] ?? []) unmarked.set(k, name);
    };
    let r = s;
    let last = 'Schema';
    for (let i = 0; r.$ref && i < 10; i++) {
      // `#/components/schemas/X`, or `./parts/api/additional.yaml#/components/schemas/X` into the file beside.
      const at = r.$ref.indexOf(REF);
      if (at < 0) throw new Error(`not a schema: ${r.$ref}`);
      const name = r.$ref.slice(at + REF.length);
      if (names.has(name)) return { s: r, seen: names, cycle: true, unmarked, name };
      names.add(name);
      last = name;
      note(name);
      const next = this.schemas[name];
      if (!next) throw new Error(`unresolved ${r.$ref}`);
      r = next;
    }
    if (r.allOf) {
      const { allOf, ...own } = r;
      const merged: OpenApiSchema = { ...own, properties: { ...r.properties }, required: [...(r.required ?? [])] };
      for (const part of allOf) {
        const p = this.resolve(part, names);
        if (p.cycle) continue;
        for (const [k, n] of p.unmarked) unmarked.set(k, n);
        const q = p.s.allOf ? this.resolve(p.s, p.seen).s : p.s;
        // A later part may restate a property with a description only: keep the type and bounds.
        for (const [k, v] of Object.entries(q.properties ?? {})) merged.properties = { ...merged.properties, [k]: { ...merged.properties?.[k], ...v } };
        merged.required?.push(...(q.required ?? []));
        if (merged.type === undefined && q.type !== undefined) merged.type = q.type;
      }
      r = merged;
    }
    for (const k of unmarked.keys()) if (r.required?.includes(k)) unmarked.delete(k);
    if (unmarked.size) r = { ...r, required: [...(r.required ?? []), ...unmarked.keys()] };
    return { s: r, seen: names, cycle: false, unmarked, name: last };
  }

  /** The smallest valid value: required fields only, each at its example or a value its constraints allow. */
  minimal(schema: OpenApiSchema, seen: ReadonlySet<string> = new Set()): unknown {
    const { s, seen: names, cycle } = this.resolve(schema, seen);
    if (cycle) return {};
    const branches = s.oneOf ?? s.anyOf;
    if (branches?.[0]) return this.minimal(branches[0], names);
    if (s.properties || s.type === 'object') {
      const out: Record<string, unknown> = {};
      for (const k of this.fill ? Object.keys(s.properties ?? {}) : (s.required ?? [])) {
        const p = s.properties?.[k];
        if (p) out[ANY_NAME.test(k) ? ANY_NAME_AS : k] = this.minimal(p, names);
      }
      // An example of a whole object stands in when it declares no properties (a JSON node).
      if (!s.properties && isObject(s.example)) return asJson(s.example);
      return out;
    }
    if (s.type === 'array') {
      const n = Math.max(s.minItems ?? 0, 1);
      return s.items ? Array.from({ length: n }, () => this.minimal(s.items ?? {}, names)) : [];
    }
    if (s.enum) return s.enum[0];
    const documented = documentedValues(s);
    if (documented) return documented[0];
    const example = asJson(s.example);
    if (s.type === 'integer' || s.type === 'number') {
      if (typeof example === 'number' && this.inRange(s, example)) return example;
      return this.bounds(s).find((b) => b.valid)?.value ?? 1;
    }
    if (s.type === 'boolean') return typeof example === 'boolean' ? example : false;
    if (typeof example === 'string' && this.inLength(s, example)) return example;
    if (s.format === 'date-time') return '2024-01-31T12:00:00';
    if (s.format === 'date') return '2024-01-31';
    return 'x'.repeat(Math.max(s.minLength ?? 1, 1));
  }

  /** The minimal payload and every variant of one place in it. */
  variants(schema: OpenApiSchema, seen: ReadonlySet<string> = new Set(), path = ''): Variant[] {
    const { s, seen: names, cycle, unmarked, name: component } = this.resolve(schema, seen);
    const self = this.minimal(schema, seen);
    const out: Variant[] = [{ id: path, value: self, valid: true }];
    if (cycle) return out;
    const at = (what: string) => `${path}=${what}`;
    if (s.nullable) out.push({ id: at('null'), value: null, valid: true });
    const branches = s.oneOf ?? s.anyOf;
    // A whole body of another type is another request (an array is a batch): types are varied below the top.
    if (path && !branches) for (const w of wrongTypes(s)) out.push({ id: at(w.what), value: w.value, valid: false });
    if (branches) {
      branches.forEach((b, i) => {
        for (const v of this.variants(b, names, path)) out.push({ ...v, id: `${v.id}${v.id.includes('=') ? '' : '='}|oneOf${i}` });
      });
      return out;
    }
    if (s.properties) {
      const base = isObject(self) ? self : {};
      const all: Record<string, unknown> = {};
      for (const [name, p] of Object.entries(s.properties)) {
        const k = ANY_NAME.test(name) ? ANY_NAME_AS : name;
        const here = path ? `${path}.${k}` : k;
        all[k] = this.minimal(p, names);
        for (const v of this.variants(p, names, here)) {
          // The minimal value of a field already in the payload is the payload itself.
          if (v.id === here && k in base) continue;
          out.push({ ...v, id: v.id === here ? at(`+${k}`) : v.id, value: { ...base, [k]: v.value } });
        }
        // Left out: each optional field of a response, and each field only Toloka requires (valid
        // as far as the OpenAPI goes); each field the OpenAPI requires (invalid).
        const by = unmarked.get(name);
        const marked = !by && s.required?.includes(name);
        if (by || marked || this.fill) {
          const without = { ...base };
          delete without[k];
          out.push({ id: at(`-${k}`), value: without, valid: !marked, omits: `${by ?? component}.${name}` });
        }
      }
      if (Object.keys(all).length > Object.keys(base).length) out.push({ id: at('all-fields'), value: all, valid: true });
      return out;
    }
    if (s.type === 'array' && s.items) {
      const item = `${path}[0]`;
      for (const v of this.variants(s.items, names, item)) if (v.id !== item) out.push({ ...v, value: [v.value] });
      const one = this.minimal(s.items, names);
      if (s.minItems !== undefined) {
        out.push({ id: at('minItems'), value: Array.from({ length: s.minItems }, () => one), valid: true });
        if (s.minItems > 0) out.push({ id: at('minItems-1'), value: Array.from({ length: s.minItems - 1 }, () => one), valid: false });
      }
      if (s.maxItems !== undefined && s.maxItems <= 10000) {
        out.push({ id: at('maxItems'), value: Array.from({ length: s.maxItems }, () => one), valid: true });
        out.push({ id: at('maxItems+1'), value: Array.from({ length: s.maxItems + 1 }, () => one), valid: false });
      }
      return out;
    }
    const values = s.enum ?? documentedValues(s);
    if (values) {
      for (const e of values.slice(1)) out.push({ id: at(String(e)), value: e, valid: true });
      out.push({ id: at(NOT_IN_ENUM), value: NOT_IN_ENUM, valid: false });
      // Toloka's enums are case-sensitive: `URL` is no field type, `pool` no scope. Each value of a
      // list given in words (a field spec's type, where a doc example wrote `URL`), the first of an enum.
      const cased = values.filter((e): e is string => typeof e === 'string' && e.toUpperCase() !== e.toLowerCase());
      for (const e of s.enum ? cased.slice(0, 1) : cased) {
        const flipped = e === e.toUpperCase() ? e.toLowerCase() : e.toUpperCase();
        if (!values.includes(flipped)) out.push({ id: at(`case:${flipped}`), value: flipped, valid: false });
      }
      return out;
    }
    if (s.type === 'integer' || s.type === 'number') {
      for (const b of this.bounds(s)) if (b.value !== self || !b.valid) out.push({ id: at(b.what), value: b.value, valid: b.valid });
      return out;
    }
    if (s.type === 'string' || s.type === undefined) {
      if (s.minLength !== undefined) {
        out.push({ id: at('minLength'), value: 'x'.repeat(s.minLength), valid: true });
        if (s.minLength > 0) out.push({ id: at('minLength-1'), value: 'x'.repeat(s.minLength - 1), valid: false });
      }
      if (s.maxLength !== undefined) {
        out.push({ id: at('maxLength'), value: 'x'.repeat(s.maxLength), valid: true });
        out.push({ id: at('maxLength+1'), value: 'x'.repeat(s.maxLength + 1), valid: false });
      }
    }
    return out;
  }

  private step(s: OpenApiSchema): number {
    return s.type === 'integer' ? 1 : 0.01;
  }

  /** Each bound (valid) and one step past it (invalid); OpenAPI 3.0's boolean and 3.1's numeric exclusive bounds. */
  private bounds(s: OpenApiSchema): Array<{ what: string; value: number; valid: boolean }> {
    const step = this.step(s);
    const out: Array<{ what: string; value: number; valid: boolean }> = [];
    const round = (x: number) => Math.round(x * 1000) / 1000;
    const min = typeof s.exclusiveMinimum === 'number' ? s.exclusiveMinimum : s.minimum;
    if (min !== undefined) {
      const exclusive = s.exclusiveMinimum === true || typeof s.exclusiveMinimum === 'number';
      if (exclusive) out.push({ what: 'exclusiveMin+step', value: round(min + step), valid: true }, { what: 'exclusiveMin', value: min, valid: false });
      else out.push({ what: 'min', value: min, valid: true }, { what: 'min-step', value: round(min - step), valid: false });
    }
    const max = typeof s.exclusiveMaximum === 'number' ? s.exclusiveMaximum : s.maximum;
    if (max !== undefined) {
      const exclusive = s.exclusiveMaximum === true || typeof s.exclusiveMaximum === 'number';
      if (exclusive) out.push({ what: 'exclusiveMax-step', value: round(max - step), valid: true }, { what: 'exclusiveMax', value: max, valid: false });
      else out.push({ what: 'max', value: max, valid: true }, { what: 'max+step', value: round(max + step), valid: false });
    }
    return out;
  }

  private inRange(s: OpenApiSchema, x: number): boolean {
    return this.bounds(s).every((b) => (b.valid ? true : b.what.startsWith('min') || b.what === 'exclusiveMin' ? x > b.value : x < b.value));
  }

  private inLength(s: OpenApiSchema, x: string): boolean {
    return (s.minLength === undefined || x.length >= s.minLength) && (s.maxLength === undefined || x.length <= s.maxLength);
  }
}
