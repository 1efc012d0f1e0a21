import { z } from 'zod';

export const FieldType = z.enum([
  'boolean', 'string', 'float', 'integer', 'url', 'file', 'coordinates', 'json',
  'array_boolean', 'array_string', 'array_integer', 'array_float', 'array_url', 'array_file',
  'array_coordinates', 'array_json',
]);
export type FieldType = z.infer<typeof FieldType>;

const base = {
  required: z.boolean().optional(),
  hidden: z.boolean().optional(),
};
const arraySize = {
  min_size: z.number().int().min(0).optional(),
  max_size: z.number().int().min(0).optional(),
};

/** One field of a project's input or output spec, by type. */
export const FieldSpec = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('string'), ...base, min_length: z.number().int().min(0).optional(), max_length: z.number().int().min(0).optional(), allowed_values: z.array(z.string()).optional() }).meta({ title: 'FieldSpec' }),
  z.looseObject({ type: z.literal('integer'), ...base, min_value: z.number().int().optional(), max_value: z.number().int().optional(), allowed_values: z.array(z.number().int()).optional() }).meta({ title: 'FieldSpec' }),
  z.looseObject({ type: z.literal('float'), ...base, min_value: z.number().optional(), max_value: z.number().optional() }).meta({ title: 'FieldSpec' }),
  z.looseObject({ type: z.literal('boolean'), ...base, allowed_values: z.array(z.boolean()).optional() }).meta({ title: 'FieldSpec' }),
  z.looseObject({ type: z.literal('url'), ...base }).meta({ title: 'FieldSpec' }),
  z.looseObject({ type: z.literal('file'), ...base }).meta({ title: 'FieldSpec' }),
  z.looseObject({ type: z.literal('coordinates'), ...base, current_location: z.boolean().optional() }).meta({ title: 'FieldSpec' }),
  z.looseObject({ type: z.literal('json'), ...base }).meta({ title: 'FieldSpec' }),
  z.looseObject({ type: z.literal('array_string'), ...base, ...arraySize, min_length: z.number().int().min(0).optional(), max_length: z.number().int().min(0).optional(), allowed_values: z.array(z.string()).optional() }).meta({ title: 'FieldSpec' }),
  z.looseObject({ type: z.literal('array_integer'), ...base, ...arraySize, min_value: z.number().int().optional(), max_value: z.number().int().optional(), allowed_values: z.array(z.number().int()).optional() }).meta({ title: 'FieldSpec' }),
  z.looseObject({ type: z.literal('array_float'), ...base, ...arraySize, min_value: z.number().optional(), max_value: z.number().optional() }).meta({ title: 'FieldSpec' }),
  z.looseObject({ type: z.literal('array_boolean'), ...base, ...arraySize, allowed_values: z.array(z.boolean()).optional() }).meta({ title: 'FieldSpec' }),
  z.looseObject({ type: z.literal('array_url'), ...base, ...arraySize }).meta({ title: 'FieldSpec' }),
  z.looseObject({ type: z.literal('array_file'), ...base, ...arraySize }).meta({ title: 'FieldSpec' }),
  z.looseObject({ type: z.literal('array_coordinates'), ...base, ...arraySize, current_location: z.boolean().optional() }).meta({ title: 'FieldSpec' }),
  z.looseObject({ type: z.literal('array_json'), ...base, ...arraySize }).meta({ title: 'FieldSpec' }),
]);
export type FieldSpec = z.infer<typeof FieldSpec>;

export const FieldSpecMap = z.record(z.string(), FieldSpec);
export type FieldSpecMap = z.infer<typeof FieldSpecMap>;

const ViewSettings = z.looseObject({
  showTimer: z.boolean().optional(),
  showTitle: z.boolean().optional(),
  showInstructions: z.boolean().optional(),
  showFullscreen: z.boolean().optional(),
  showSubmit: z.boolean().optional(),
  showSkip: z.boolean().optional(),
  showFinish: z.boolean().optional(),
  showMessage: z.boolean().optional(),
  showReward: z.boolean().optional(),
}).meta({ title: 'ViewSettings' });

export const ViewSpec = z.discriminatedUnion('type', [
  z.looseObject({
    type: z.literal('classic'),
    markup: z.string(),
    script: z.string().optional(),
    styles: z.string().optional(),
    assets: z.looseObject({ script_urls: z.array(z.string()).optional(), style_urls: z.array(z.string()).optional() }).meta({ title: 'ViewAssets' }).optional(),
    settings: ViewSettings.optional(),
  }).meta({ title: 'ViewSpec' }),
  z.looseObject({
    type: z.literal('tb'),
    // Toloka stores a JSON string; our files may hold the object. Always sent as a string (tbConfigAsString).
    config: z.union([z.string(), z.record(z.string(), z.unknown())]),
    lock: z.record(z.string(), z.string()),
    localizationConfig: z.unknown().optional(),
    inferDataSpec: z.boolean().optional(),
    settings: ViewSettings.optional(),
  }).meta({ title: 'ViewSpec' }),
]);
export type ViewSpec = z.infer<typeof ViewSpec>;

/** A project as Toloka takes it: a Template Builder config written as an object becomes its JSON string. */
export function tbConfigAsString<T extends { task_spec: TaskSpec }>(project: T): T {
  const view = project.task_spec.view_spec;
  if (view?.type !== 'tb' || typeof view.config === 'string') return project;
  if ('$file' in view.config) throw new Error(`task_spec.view_spec.config is a reference to ${String(view.config['$file'])}: read that file into the project before sending it`);
  return { ...project, task_spec: { ...project.task_spec, view_spec: { ...view, config: JSON.stringify(view.config) } } };
}

export const TaskSpec = z.looseObject({
  input_spec: FieldSpecMap,
  output_spec: FieldSpecMap,
  view_spec: ViewSpec.optional(),
}).meta({ title: 'TaskSpec' });
export type TaskSpec = z.infer<typeof TaskSpec>;
