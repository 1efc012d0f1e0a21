import { z } from 'zod';
import { DateTime } from './common';

export const OperationStatus = z.enum(['PENDING', 'RUNNING', 'SUCCESS', 'FAIL']);
export type OperationStatus = z.infer<typeof OperationStatus>;

export const OperationType = z.enum([
  'ANALYTICS', 'POOL.ARCHIVE', 'POOL.CLONE', 'POOL.CLOSE', 'POOL.OPEN', 'PROJECT.ARCHIVE', 'SOLUTION.AGGREGATE',
  'TASK.BATCH_CREATE', 'TASK_SUITE.BATCH_CREATE', 'TRAINING.ARCHIVE', 'TRAINING.CLONE', 'TRAINING.CLOSE',
  'TRAINING.OPEN', 'USER_BONUS.BATCH_CREATE', 'KNOWN_SOLUTIONS.GENERATE',
]);

export const Operation = z.looseObject({
  id: z.string(),
  // Unknown future types are kept as strings rather than failing the whole response.
  type: z.union([OperationType, z.string()]),
  status: OperationStatus,
  submitted: DateTime.optional(),
  started: DateTime.optional(),
  finished: DateTime.optional(),
  progress: z.number().min(0).max(100).optional(),
  parameters: z.record(z.string(), z.unknown()).optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type Operation = z.infer<typeof Operation>;

export const OperationLogItem = z.looseObject({
  type: z.string(),
  success: z.boolean(),
  input: z.record(z.string(), z.unknown()).optional(),
  output: z.record(z.string(), z.unknown()).optional(),
});
export type OperationLogItem = z.infer<typeof OperationLogItem>;
