import { z } from 'zod';

export const App = z.looseObject({
  id: z.string(),
  name: z.string(),
  image: z.string().optional(),
  description: z.string().optional(),
  default_item_price: z.number().optional(),
  param_spec: z.unknown().optional(),
  input_spec: z.unknown().optional(),
  output_spec: z.unknown().optional(),
  examples: z.unknown().optional(),
});
export type App = z.infer<typeof App>;

export const AppProjectStatus = z.enum(['CREATING', 'READY', 'ERROR', 'ARCHIVED', 'ARCHIVE']);

export const AppProject = z.looseObject({
  id: z.string().optional(),
  app_id: z.string(),
  parent_app_project_id: z.string().optional(),
  name: z.string().min(1),
  parameters: z.record(z.string(), z.unknown()),
  status: AppProjectStatus.optional(),
  created: z.string().optional(),
  item_price: z.number().optional(),
  errors: z.array(z.unknown()).optional(),
  read_only: z.boolean().optional(),
  app: z.looseObject({ id: z.string(), name: z.string().optional() }).optional(),
});
export type AppProject = z.infer<typeof AppProject>;

export const AppItemStatus = z.enum(['NEW', 'PROCESSING', 'COMPLETED', 'ERROR', 'CANCELLED', 'ARCHIVE', 'NO_MONEY', 'STOPPED']);
export type AppItemStatus = z.infer<typeof AppItemStatus>;

export const AppItem = z.looseObject({
  id: z.string(),
  app_project_id: z.string().optional(),
  batch_id: z.string().optional(),
  status: AppItemStatus,
  input_data: z.record(z.string(), z.unknown()),
  output_data: z.record(z.string(), z.unknown()).nullable().optional(),
  errors: z.array(z.unknown()).nullable().optional(),
  created_at: z.string().optional(),
  started_at: z.string().nullable().optional(),
  finished_at: z.string().nullable().optional(),
});
export type AppItem = z.infer<typeof AppItem>;

/** One item for an app project: the input fields the app's input spec asks for. */
export const AppItemInput = z.record(z.string(), z.unknown()).meta({ title: 'AppItemInput' });

export const AppBatchStatus = z.enum(['NEW', 'QUEUED', 'PROCESSING', 'COMPLETED', 'ERROR', 'CANCELLED', 'NO_MONEY', 'ARCHIVE', 'LOADING', 'STOPPING', 'STOPPED']);
export type AppBatchStatus = z.infer<typeof AppBatchStatus>;
export const AppBatchPriority = z.enum(['ONE', 'TWO', 'THREE', 'FOUR', 'FIVE']);

/** A batch of an app project's items, started together (apps OpenAPI `Batch`). */
export const AppBatch = z.looseObject({
  id: z.string(),
  app_project_id: z.string().optional(),
  status: AppBatchStatus.optional(),
  name: z.string().optional(),
  item_count: z.number().int().optional(),
  item_price: z.number().nullable().optional(),
  cost: z.number().nullable().optional(),
  cost_of_processed: z.number().nullable().optional(),
  created_at: z.string().optional(),
  started_at: z.string().nullable().optional(),
  finished_at: z.string().nullable().optional(),
  read_only: z.boolean().optional(),
  items_processed_count: z.number().int().optional(),
  items_per_state: z.record(z.string(), z.number()).nullable().optional(),
  priority_order: AppBatchPriority.optional(),
  etd: z.string().nullable().optional(),
  eta: z.string().nullable().optional(),
});
export type AppBatch = z.infer<typeof AppBatch>;

/** The apps OpenAPI `BatchCreateForm`: a name, items to put in at once, a priority. */
export const AppBatchCreate = z.looseObject({
  name: z.string().optional(),
  items: z.array(z.record(z.string(), z.unknown())).max(10_000).optional(),
  priority_order: AppBatchPriority.optional(),
  force_new_original: z.boolean().optional(),
  ignore_errors: z.boolean().optional(),
});
export type AppBatchCreate = z.infer<typeof AppBatchCreate>;

/** The apps OpenAPI `BatchPatchForm`: what PATCH changes on a batch; a field left out stays as it is. */
export const AppBatchPatch = z.looseObject({
  name: z.string().trim().min(1).optional(),
  priority_order: AppBatchPriority.optional(),
});
export type AppBatchPatch = z.infer<typeof AppBatchPatch>;
export type AppBatchPriority = z.infer<typeof AppBatchPriority>;
