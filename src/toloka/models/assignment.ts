import { z } from 'zod';
import { DateTime, Owner } from './common';
import { OutputValues, Task } from './task';

export const AssignmentStatus = z.enum(['ACTIVE', 'SUBMITTED', 'ACCEPTED', 'REJECTED', 'SKIPPED', 'EXPIRED']);
export type AssignmentStatus = z.infer<typeof AssignmentStatus>;

export const Assignment = z.looseObject({
  id: z.string(),
  task_suite_id: z.string(),
  pool_id: z.string(),
  user_id: z.string(),
  status: AssignmentStatus,
  reward: z.number().optional(),
  bonus_ids: z.array(z.string()).optional(),
  tasks: z.array(Task),
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

export const AssignmentPatch = z.strictObject({
  status: z.enum(['ACCEPTED', 'REJECTED']),
  public_comment: z.string().max(2048).optional(),
});
export type AssignmentPatch = z.infer<typeof AssignmentPatch>;
