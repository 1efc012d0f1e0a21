import { z } from 'zod';
import { DateTime, Owner } from './common';
import { OutputValues, Task } from './task';

export const AssignmentStatus = z.enum(['ACTIVE', 'SUBMITTED', 'ACCEPTED', 'REJECTED', 'SKIPPED', 'EXPIRED']);
export type AssignmentStatus = z.infer<typeof AssignmentStatus>;

/** Who did which suite of which pool, in what status, for what reward. */
const assignmentHead = {
  id: z.string(),
  task_suite_id: z.string(),
  pool_id: z.string(),
  user_id: z.string(),
  status: AssignmentStatus,
  reward: z.number().optional(),
};

export const Assignment = z.looseObject({
  ...assignmentHead,
  bonus_ids: z.array(z.string()).optional(),
  // The tasks of a suite, as Toloka returns them inside an assignment: no pool_id of their own (OpenAPI RawTask).
  tasks: z.array(Task.extend({ pool_id: Task.shape.pool_id.optional() })),
  solutions: z.array(z.looseObject({ output_values: OutputValues })).optional(),
  first_declined_solution_attempt: z.array(z.looseObject({ output_values: OutputValues })).optional(),
  mixed: z.boolean().optional(),
  automerged: z.boolean().optional(),
  public_comment: z.string().optional(),
  created: DateTime.optional(),
  submitted: DateTime.optional(),
  accepted: DateTime.optional(),
  rejected: DateTime.optional(),
  skipped: DateTime.optional(),
  expired: DateTime.optional(),
  owner: Owner.optional(),
});
export type Assignment = z.infer<typeof Assignment>;

/** Input or output values: any object (the same check as a record of unknowns, at a third of its cost). */
const Values = z.looseObject({});

/**
 * The part of an assignment a results file is made of. Downloading a large pool validates
 * hundreds of thousands of these: a plain object schema keeps only these fields instead of
 * copying every key of every task.
 */

export const AssignmentResult = z.object({
  ...assignmentHead,
  tasks: z.array(
    z.object({
      id: z.string().optional(),
      input_values: Values,
      known_solutions: z.array(z.object({ output_values: Values })).optional(),
      message_on_unknown_solution: z.string().optional(),
    }),
  ),
  solutions: z.array(z.object({ output_values: Values })).optional(),
  // Copied into the file as they come: a string check, not the date-time pattern, which
  // costs a sixth of this schema's time on a large pool.
  created: z.string().optional(),
  submitted: z.string().optional(),
  accepted: z.string().optional(),
  rejected: z.string().optional(),
  skipped: z.string().optional(),
  expired: z.string().optional(),
});
export type AssignmentResult = z.infer<typeof AssignmentResult>;

export const AssignmentPatch = z.strictObject({
  status: z.enum(['ACCEPTED', 'REJECTED']),
  public_comment: z.string().max(2048).optional(),
});
export type AssignmentPatch = z.infer<typeof AssignmentPatch>;
