/**
 * Zod models of Template Builder configs, built from the catalog: one closed object per component,
 * chosen by `type`. The same definitions validate a config and generate its JSON Schema (see schema.ts).
 */
import { z } from 'zod';
import { catalog } from './catalog';
import type { ComponentDef, PropDef } from './types';

export const componentTypes = Object.keys(catalog);

/** Our descriptions of the properties many components share; the others are described by their type. */
const commonDocs: Record<string, string> = {
  data: 'Where the value is read and written: a `data.output`, `data.internal` or `data.local` component.',
  label: 'Text shown above the component.',
  hint: 'A hint shown next to the label, or the message shown when a check fails.',
  validation: 'A condition the value must meet before the task can be submitted.',
  disabled: 'If true, the Toloker cannot change it.',
  content: 'What is shown inside: a component or a value.',
  minWidth: 'Minimum width, in pixels.',
  maxWidth: 'Maximum width, in pixels.',
  fullHeight: 'If true, takes the free height (at least 400 px).',
  ratio: 'Width and height proportions, as two numbers.',
  url: 'A link, or a component that gives one.',
  placeholder: 'Grey text shown while the field is empty.',
  options: 'The options to choose from, each a label and a value.',
  items: 'The items, in order.',
  rtl: 'If true, text runs right to left.',
  payload: 'The value the action uses.',
  condition: 'The condition to check.',
  conditions: 'The conditions to combine.',
  labels: 'Categories for the marked parts, each a label and a value.',
  value: 'The value.',
  view: 'The component the action applies to.',
  action: 'The action to run.',
  multiple: 'If true, several values can be given.',
  path: 'A dot-separated path into the data, e.g. `result` or `items.0.name`.',
  default: 'The value used until one is set.',
  theme: 'The colour scheme.',
  controls: 'The fields shown below the content.',
  key: 'The key to look up.',
  size: 'The size.',
  direction: 'Whether the items are laid out vertically or horizontally.',
};

export function propDoc(name: string, def: PropDef): string {
  const base = commonDocs[name] ?? `${name}: ${describeType(def)}.`;
  const extra = def.def !== undefined ? ` Default: \`${JSON.stringify(def.def)}\`.` : '';
  return base + extra;
}

function describeType(def: PropDef): string {
  switch (def.t) {
    case 'writable':
      return 'a data.* component to write to';
    case 'condition':
      return 'a condition.* component';
    case 'view':
      return 'a component to show';
    case 'action':
      return 'an action.* component';
    case 'ref':
      return 'a reference to a component';
    case 'array':
      return def.items ? `an array of ${def.items.t === 'object' ? 'objects' : def.items.t}` : 'an array';
    default:
      return def.enum ? `one of ${def.enum.join(', ')}` : `a ${def.t}`;
  }
}

/**
 * A property's value: the literal of its type, or any component that gives one (data.*, helper.*,
 * condition.*), or a `$ref` into `vars`.
 */
function valueModel(def: PropDef, component: z.ZodType): z.ZodType {
  if (def.t === 'any') return z.unknown();
  const literal = literalModel(def, component);
  return literal ? orComponent(literal, component) : component;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The value's own type, or any component giving one: in the schema a union, in validation a choice by shape. */
function orComponent(literal: z.ZodType, component: z.ZodType): z.ZodType {
  if (component === placeholderMarker.current) return z.union([literal, component]);
  const objectLiteral = literal instanceof z.ZodObject || literal instanceof z.ZodRecord;
  return z.custom<unknown>().superRefine((value, ctx) => {
    const asComponent = isObject(value) && ('$ref' in value || (typeof value['type'] === 'string' && (!objectLiteral || componentTypes.includes(value['type']))));
    const result = (asComponent ? component : literal).safeParse(value);
    if (!result.success) for (const issue of result.error.issues) ctx.addIssue({ ...issue, code: 'custom', message: issue.message, path: issue.path } as never);
  });
}

function literalModel(def: PropDef, component: z.ZodType): z.ZodType | undefined {
  switch (def.t) {
    case 'string':
      return def.enum ? z.enum(def.enum as [string, ...string[]]) : z.string();
    case 'number':
      return z.number();
    case 'integer':
      return z.number().int();
    case 'boolean':
      return z.boolean();
    case 'any':
      return undefined;
    case 'object':
      return def.props ? objectModel(def.props, component) : z.record(z.string(), z.unknown());
    case 'array':
      return z.array(def.items ? valueModel(def.items, component) : z.unknown());
    case 'ref':
      return z.string();
    case 'writable':
    case 'condition':
    case 'view':
    case 'action':
      return undefined;
  }
}

function objectModel(props: Readonly<Record<string, PropDef>>, component: z.ZodType): z.ZodObject {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, def] of Object.entries(props)) {
    const meta: Record<string, unknown> = { markdownDescription: propDoc(name, def) };
    if (def.def !== undefined) meta['default'] = def.def;
    const value = valueModel(def, component).meta(meta);
    shape[name] = def.req ? value : value.optional();
  }
  return z.strictObject(shape);
}

function componentModel(type: string, def: ComponentDef, component: z.ZodType): z.ZodObject {
  const base = objectModel(def.props, component).extend({ type: z.literal(type).meta({ markdownDescription: def.doc }) });
  if (!def.keys) return base;
  const keys = new RegExp(def.keys);
  // plugin.hotkeys: any key name of the pattern, each bound to an action.
  return base.catchall(component).superRefine((value, ctx) => {
    for (const k of Object.keys(value)) if (k !== 'type' && !keys.test(k)) ctx.addIssue({ code: 'custom', path: [k], message: `"${k}" is not a hotkey: use a-z, 0-9, up or down` });
  });
}

/** `{"$ref": "vars.x"}`: a part of the config defined once under `vars`. */
export const RefModel = z.strictObject({ $ref: z.string() });

/** While the schema is generated, the stand-in for a nested component (unions stay unions there). */
const placeholderMarker: { current: z.ZodType | undefined } = { current: undefined };

/**
 * Builds one model per component around `component`, the model of a nested component. With
 * `forSchema`, `component` is a stand-in the JSON Schema generator replaces by a `$ref`.
 */
export function componentModels(component: z.ZodType, forSchema = false): Map<string, z.ZodObject> {
  placeholderMarker.current = forSchema ? component : undefined;
  try {
    return new Map(Object.entries(catalog).map(([type, def]) => [type, componentModel(type, def, component)]));
  } finally {
    placeholderMarker.current = undefined;
  }
}

const models = componentModels(z.lazy((): z.ZodType => Component));

/**
 * Any component, or a `$ref`: chosen by `type` without a union, so a problem is reported where it
 * is (an unknown type, a wrong property) rather than as "no branch matched".
 */
export const Component: z.ZodType = z.custom<unknown>().superRefine((value, ctx) => {
  const report = (issues: z.core.$ZodIssue[]) => {
    for (const issue of issues) ctx.addIssue({ ...issue, code: 'custom', message: issue.message, path: issue.path } as never);
  };
  if (!isObject(value)) return report([{ code: 'custom', path: [], message: 'Expected a component: an object with a "type"', input: value }]);
  if ('$ref' in value) {
    const r = RefModel.safeParse(value);
    return r.success ? undefined : report(r.error.issues);
  }
  const type = value['type'];
  const model = typeof type === 'string' ? models.get(type) : undefined;
  if (!model) return report([{ code: 'custom', path: typeof type === 'string' ? ['type'] : [], message: typeof type === 'string' ? `Unknown component type "${type}"` : 'A component needs a "type"', input: value }]);
  const r = model.safeParse(value);
  if (!r.success) report(r.error.issues);
});

/** A Template Builder config: the view, its plugins and reusable `vars`. */
export const TbConfig = z.strictObject({
  view: Component,
  plugins: z.array(Component).optional(),
  vars: z.record(z.string(), z.unknown()).optional(),
});
export type TbConfig = z.infer<typeof TbConfig>;

/** The model of one component type, for tests and hover. */
export function componentModel1(type: string): z.ZodObject | undefined {
  return models.get(type);
}
