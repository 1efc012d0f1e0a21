import { z } from 'zod';

export const CollectorType = z.enum([
  'GOLDEN_SET', 'MAJORITY_VOTE', 'ASSIGNMENT_SUBMIT_TIME', 'SKIPPED_IN_ROW_ASSIGNMENTS', 'ANSWER_COUNT',
  'INCOME', 'ACCEPTANCE_RATE', 'ASSIGNMENTS_ASSESSMENT', 'USERS_ASSESSMENT', 'CAPTCHA', 'TRAINING',
]);
export type CollectorType = z.infer<typeof CollectorType>;

export const ComparisonOperator = z.enum(['EQ', 'NE', 'GT', 'GTE', 'LT', 'LTE']);

export const RuleCondition = z.looseObject({
  key: z.string(),
  operator: ComparisonOperator,
  // Counts, rates, strings and booleans; one documented example sends a count as a string.
  value: z.union([z.number(), z.string(), z.boolean()]),
});

const RestrictionScope = z.enum(['POOL', 'PROJECT', 'ALL_PROJECTS']);

export const RuleAction = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('RESTRICTION'), parameters: z.looseObject({ scope: RestrictionScope, duration_days: z.number().int().min(1).optional(), private_comment: z.string().optional() }) }),
  z.looseObject({
    type: z.literal('RESTRICTION_V2'),
    parameters: z.looseObject({ scope: RestrictionScope, duration: z.number().int().min(1).optional(), duration_unit: z.enum(['MINUTES', 'HOURS', 'DAYS', 'PERMANENT']), private_comment: z.string().optional() }),
  }),
  z.looseObject({ type: z.literal('SET_SKILL_FROM_OUTPUT_FIELD'), parameters: z.looseObject({ skill_id: z.string(), from_field: z.string() }) }),
  z.looseObject({ type: z.literal('SET_SKILL'), parameters: z.looseObject({ skill_id: z.string(), skill_value: z.number().min(0).max(100) }) }),
  z.looseObject({ type: z.literal('CHANGE_OVERLAP'), parameters: z.looseObject({ delta: z.number().int(), open_pool: z.boolean().optional() }) }),
  z.looseObject({ type: z.literal('REJECT_ALL_ASSIGNMENTS'), parameters: z.looseObject({ public_comment: z.string() }) }),
  z.looseObject({ type: z.literal('APPROVE_ALL_ASSIGNMENTS'), parameters: z.looseObject({}).optional() }),
  z.looseObject({ type: z.literal('CLEAN_ASSIGNMENTS_HISTORY'), parameters: z.looseObject({}).optional() }),
  z.looseObject({ type: z.literal('CLEAN_COLLECTOR'), parameters: z.looseObject({}).optional() }),
  z.looseObject({ type: z.literal('SET_POOL_COMPLETE'), parameters: z.looseObject({}).optional() }),
]);
export type RuleAction = z.infer<typeof RuleAction>;

export const QualityControlRule = z.looseObject({
  conditions: z.array(RuleCondition).min(1),
  action: RuleAction,
});

export const CollectorConfig = z.looseObject({
  type: CollectorType,
  uuid: z.string().optional(),
  parameters: z.looseObject({
    history_size: z.number().int().min(1).optional(),
    answer_threshold: z.number().int().min(1).optional(),
    fast_submit_threshold_seconds: z.number().int().min(1).optional(),
  }).optional(),
});

export const QualityControlConfig = z.looseObject({
  collector_config: CollectorConfig,
  rules: z.array(QualityControlRule),
});
export type QualityControlConfig = z.infer<typeof QualityControlConfig>;

export const TaskDistributionFunction = z.looseObject({
  scope: z.enum(['POOL', 'PROJECT']),
  distribution: z.literal('UNIFORM'),
  window_days: z.number().int().min(1).max(365).optional(),
  intervals: z.array(z.looseObject({
    from: z.number().int().min(1).max(1_000_000).optional(),
    to: z.number().int().min(1).max(1_000_000).optional(),
    frequency: z.number().int().min(1).max(10_000_000),
  })).min(1).max(10_000),
});

const CheckpointSettings = z.looseObject({ target_overlap: z.number().int().min(1), task_distribution_function: TaskDistributionFunction });

export const QualityControl = z.looseObject({
  training_requirement: z.looseObject({ training_pool_id: z.string(), training_passing_skill_value: z.number().int().min(0).max(100) }).optional(),
  captcha_frequency: z.enum(['LOW', 'MEDIUM', 'HIGH']).optional(),
  configs: z.array(QualityControlConfig).optional(),
  checkpoints_config: z.looseObject({
    real_settings: CheckpointSettings.optional(),
    golden_settings: CheckpointSettings.optional(),
    training_settings: CheckpointSettings.optional(),
  }).optional(),
});
export type QualityControl = z.infer<typeof QualityControl>;
