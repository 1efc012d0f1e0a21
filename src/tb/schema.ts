/**
 * The JSON Schema of a Template Builder config, generated from the zod models: a `component`
 * definition whose `type` lists every component, then one `if type = X then X's properties`
 * branch each, so completion after `"type": "field.` lists the fields and then only that
 * component's properties. Nested components point back at the definition.
 */
import { z } from 'zod';
import { catalog } from './catalog';
import { componentModels, componentTypes } from './model';

export type JsonSchema = { [key: string]: unknown };

/** Stands for a nested component while generating; replaced by a `$ref` to the definition. */
const placeholder = z.custom<unknown>(() => true);

/** The definitions to embed in a schema, and the schema of one config under `refBase` (e.g. `#/definitions/`). */
export function tbDefinitions(refBase: string): { definitions: Record<string, JsonSchema>; config: JsonSchema } {
  const ref = `${refBase}tbComponent`;
  const branches: JsonSchema[] = [];
  for (const [type, model] of componentModels(placeholder, true)) {
    const schema = z.toJSONSchema(model, {
      target: 'draft-7',
      io: 'input',
      unrepresentable: 'any',
      override: (ctx) => {
        if (ctx.zodSchema !== placeholder) return;
        for (const k of Object.keys(ctx.jsonSchema)) delete (ctx.jsonSchema as JsonSchema)[k];
        (ctx.jsonSchema as JsonSchema)['$ref'] = ref;
      },
    }) as JsonSchema;
    delete schema['$schema'];
    const keys = catalog[type]?.keys;
    if (keys) {
      delete schema['additionalProperties'];
      schema['patternProperties'] = { [keys]: { $ref: ref } };
      schema['additionalProperties'] = false;
      (schema['properties'] as JsonSchema)['type'] = { const: type };
    }
    branches.push({ if: { properties: { type: { const: type } }, required: ['type'] }, then: schema });
  }
  const component: JsonSchema = {
    type: 'object',
    properties: {
      type: { enum: componentTypes, markdownEnumDescriptions: componentTypes.map((t) => catalog[t]?.doc ?? ''), markdownDescription: 'The component: `view.*` shows, `field.*` asks, `layout.*` arranges, `condition.*` checks, `action.*` does, `helper.*` computes, `data.*` reads and writes, `plugin.*` adds behaviour.' },
      $ref: { type: 'string', markdownDescription: 'A part of the config defined under `vars`, e.g. `vars.options`.' },
    },
    anyOf: [{ required: ['type'] }, { required: ['$ref'] }],
    allOf: branches,
  };
  const config: JsonSchema = {
    type: 'object',
    required: ['view'],
    properties: {
      view: { $ref: ref, markdownDescription: 'The component the Toloker sees: usually a `view.list` or a `layout.*` of fields.' },
      plugins: { type: 'array', items: { $ref: ref }, markdownDescription: 'Plugins: `plugin.toloka` for the layout, `plugin.hotkeys`, `plugin.trigger`.' },
      vars: { type: 'object', markdownDescription: 'Parts of the config reused with `{"$ref": "vars.name"}`.' },
    },
    additionalProperties: false,
  };
  return { definitions: { tbComponent: component }, config };
}

/** The schema of a `*.tb.json` file. */
export function tbJsonSchema(): JsonSchema {
  const { definitions, config } = tbDefinitions('#/definitions/');
  return { $schema: 'http://json-schema.org/draft-07/schema#', title: 'Toloka Template Builder config', $comment: 'Generated from the zod models of Toloka for VS Code; do not edit.', ...config, definitions };
}
