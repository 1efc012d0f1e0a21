import { z } from 'zod';
import { DateTime, Id } from './common';

export const OutputValues = z.record(z.string(), z.unknown());

export const KnownSolution = z.looseObject({
  output_values: OutputValues,
  correctness_weight: z.number().min(0).max(1).optional(),
}).meta({ title: 'KnownSolution' });

export const BaselineSolution = z.looseObject({
  output_values: OutputValues,
  confidence_weight: z.number().min(0).max(1).optional(),
}).meta({ title: 'BaselineSolution' });

export const Task = z.looseObject({
  pool_id: Id,
  input_values: z.record(z.string(), z.unknown()),
  known_solutions: z.array(KnownSolution).optional(),
  message_on_unknown_solution: z.string().optional(),
  baseline_solutions: z.array(BaselineSolution).optional(),
  // 1..30000 on create; 0 once set-overlap-or-min stopped the task from being issued.
  overlap: z.number().int().min(0).max(30_000).optional(),
  infinite_overlap: z.boolean().optional(),
  reserved_for: z.array(z.string()).optional(),
  unavailable_for: z.array(z.string()).optional(),
  localization_config: z.unknown().optional(),
  traits_all_of: z.array(z.string()).optional(),
  traits_any_of: z.array(z.string()).optional(),
  traits_none_of_any: z.array(z.string()).optional(),
  // Read-only, set by the server.
  id: z.string().optional(),
  created: DateTime.optional(),
  origin_task_id: z.string().optional(),
  remaining_overlap: z.number().int().optional(),
}).meta({ title: 'Task' });
export type Task = z.infer<typeof Task>;

export const TaskPatch = z.looseObject({
  overlap: z.number().int().min(0).max(30_000).optional(),
  infinite_overlap: z.boolean().optional(),
  baseline_solutions: z.array(BaselineSolution).optional(),
  known_solutions: z.array(KnownSolution).optional(),
  message_on_unknown_solution: z.string().optional(),
});
export type TaskPatch = z.infer<typeof TaskPatch>;

/** `PATCH /task-suites/:id` (`TaskSuitePatchV1`). */
export const TaskSuitePatch = z.looseObject({
  overlap: z.number().int().min(1).max(30_000).optional(),
  infinite_overlap: z.boolean().optional(),
  issuing_order_override: z.number().min(-99_999.99999).max(99_999.99999).optional(),
});
export type TaskSuitePatch = z.infer<typeof TaskSuitePatch>;

/** `PATCH …/set-overlap-or-min` of a task or a suite (`TaskOverlapPatchV1`, `TaskSuiteOverlapPatchV1`). */
export const OverlapPatch = z.looseObject({ overlap: z.number().int().min(0).max(30_000), infinite_overlap: z.boolean().optional() });

export const BaseTask = z.looseObject({
  id: z.string().optional(),
  input_values: z.record(z.string(), z.unknown()),
  known_solutions: z.array(KnownSolution).optional(),
  message_on_unknown_solution: z.string().optional(),
  localization_config: z.unknown().optional(),
  origin_task_id: z.string().optional(),
}).meta({ title: 'BaseTask' });

export const TaskSuite = z.looseObject({
  pool_id: Id,
  tasks: z.array(BaseTask).min(1),
  overlap: z.number().int().min(1).max(30_000).optional(),
  infinite_overlap: z.boolean().optional(),
  reserved_for: z.array(z.string()).optional(),
  unavailable_for: z.array(z.string()).optional(),
  issuing_order_override: z.number().min(-99_999.99999).max(99_999.99999).optional(),
  longitude: z.number().optional(),
  latitude: z.number().optional(),
  id: z.string().optional(),
  created: DateTime.optional(),
  mixed: z.boolean().optional(),
  automerged: z.boolean().optional(),
  remaining_overlap: z.number().int().optional(),
}).meta({ title: 'TaskSuite' });
export type TaskSuite = z.infer<typeof TaskSuite>;

/** `POST /tasks` with an array, synchronously: results keyed by the request array's index. */
export const BatchCreateResult = <T extends z.ZodType>(item: T) =>
  z.looseObject({
    items: z.record(z.string(), item),
    validation_errors: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
  });
