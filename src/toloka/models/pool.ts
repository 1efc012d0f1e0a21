import { z } from 'zod';
import { DateTime, Id, Metadata, Owner } from './common';
import { QualityControl, TaskDistributionFunction } from './qualityControl';

export const PoolStatus = z.enum(['OPEN', 'CLOSED', 'ARCHIVED', 'LOCKED']);
export type PoolStatus = z.infer<typeof PoolStatus>;

export const PoolCloseReason = z.enum([
  'MANUAL', 'EXPIRED', 'COMPLETED', 'NOT_ENOUGH_BALANCE', 'ASSIGNMENTS_LIMIT_EXCEEDED', 'BLOCKED', 'FOR_UPDATE',
]);

/** Set by the server on pools and training pools; accepted and ignored on create. */
const readOnlyPoolFields = {
  id: Id.optional(),
  owner: Owner.optional(),
  status: PoolStatus.optional(),
  last_close_reason: PoolCloseReason.optional(),
  created: DateTime.optional(),
  last_started: DateTime.optional(),
  last_stopped: DateTime.optional(),
};

/** Filter DSL: `and`/`or` trees whose leaves are `{category, key, operator, value}` conditions. */
export const FilterCondition = z.looseObject({
  category: z.enum(['skill', 'profile', 'computed']),
  // A skill key is its id, which Toloka's docs write as a number (`"key": 1124`).
  key: Id,
  operator: z.enum(['EQ', 'NE', 'GT', 'GTE', 'LT', 'LTE', 'IN', 'NOT_IN']),
  value: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
}).meta({ title: 'FilterCondition' });
export type Filter = z.infer<typeof FilterCondition> | { and: Filter[] } | { or: Filter[] };
export const Filter: z.ZodType<Filter> = z.lazy(() =>
  z.union([z.strictObject({ and: z.array(Filter) }).meta({ title: 'FilterGroup' }), z.strictObject({ or: z.array(Filter) }).meta({ title: 'FilterGroup' }), FilterCondition]),
);

const count = z.number().int().min(0).max(500);

export const MixerConfig = z.looseObject({
  real_tasks_count: count,
  golden_tasks_count: count,
  training_tasks_count: count,
  min_real_tasks_count: count.nullable().optional(),
  min_golden_tasks_count: count.nullable().optional(),
  min_training_tasks_count: count.nullable().optional(),
  force_last_assignment: z.boolean().optional(),
  force_last_assignment_delay_seconds: z.number().int().min(0).max(86_400).optional(),
  mix_tasks_in_creation_order: z.boolean().optional(),
  shuffle_tasks_in_task_suite: z.boolean().optional(),
  golden_task_distribution_function: TaskDistributionFunction.optional(),
  training_task_distribution_function: TaskDistributionFunction.optional(),
}).meta({ title: 'MixerConfig' });
export type MixerConfig = z.infer<typeof MixerConfig>;

export const DynamicOverlapConfig = z.looseObject({
  type: z.literal('BASIC'),
  max_overlap: z.number().int().min(1).max(30_000),
  min_confidence: z.number().min(0).max(1),
  answer_weight_skill_id: z.string(),
  fields: z.array(z.looseObject({ name: z.string() }).meta({ title: 'FieldRef' })).min(1),
}).meta({ title: 'DynamicOverlapConfig' });

export const DynamicPricingConfig = z.looseObject({
  type: z.literal('SKILL'),
  skill_id: z.string(),
  intervals: z.array(z.looseObject({
    from: z.number().int().min(0).max(100).optional(),
    to: z.number().int().min(0).max(100).optional(),
    reward_per_assignment: z.number().min(0.005),
  }).meta({ title: 'PricingInterval' })).min(1).max(10_000),
}).meta({ title: 'DynamicPricingConfig' });

export const PoolDefaults = z.looseObject({
  default_overlap_for_new_task_suites: z.number().int().min(1).max(30_000),
  default_overlap_for_new_tasks: z.number().int().min(1).max(30_000).optional(),
}).meta({ title: 'PoolDefaults' });

export const Pool = z.looseObject({
  project_id: Id,
  private_name: z.string().min(1),
  private_comment: z.string().optional(),
  public_description: z.string().optional(),
  public_instructions: z.string().optional(),
  may_contain_adult_content: z.boolean().optional(),
  will_expire: DateTime,
  reward_per_assignment: z.number().min(0),
  assignment_max_duration_seconds: z.number().int().min(5).max(2_147_483_647),
  defaults: PoolDefaults,
  auto_close_after_complete_delay_seconds: z.number().int().min(0).max(259_200).optional(),
  auto_accept_solutions: z.boolean().optional(),
  auto_accept_period_day: z.number().int().min(1).max(21).optional(),
  assignments_issuing_config: z.looseObject({ issue_task_suites_in_creation_order: z.boolean().optional() }).meta({ title: 'IssuingConfig' }).optional(),
  priority: z.number().int().min(0).max(100).optional(),
  filter: Filter.optional(),
  quality_control: QualityControl.optional(),
  mixer_config: MixerConfig.optional(),
  dynamic_overlap_config: DynamicOverlapConfig.optional(),
  dynamic_pricing_config: DynamicPricingConfig.optional(),
  speed_quality_balance: z.discriminatedUnion('type', [
    z.looseObject({ type: z.literal('TOP_PERCENTAGE_BY_QUALITY'), percent: z.number().int().min(10).max(100).multipleOf(10) }).meta({ title: 'SpeedQualityBalance' }),
    z.looseObject({ type: z.literal('BEST_CONCURRENT_USERS_BY_QUALITY'), count: z.number().int().min(1).max(100) }).meta({ title: 'SpeedQualityBalance' }),
  ]).optional(),
  training_config: z.looseObject({ training_skill_ttl_days: z.number().int().min(1) }).meta({ title: 'TrainingConfig' }).optional(),
  metadata: Metadata.optional(),
  training: z.boolean().optional(),
  ...readOnlyPoolFields,
  type: z.string().optional(),
}).meta({ title: 'Pool' });
export type Pool = z.infer<typeof Pool>;

export const TrainingPool = z.looseObject({
  project_id: Id,
  private_name: z.string().min(1),
  inherited_instructions: z.boolean(),
  training_tasks_in_task_suite_count: z.number().int().min(0).max(500),
  public_instructions: z.string().optional(),
  private_comment: z.string().optional(),
  may_contain_adult_content: z.boolean().optional(),
  assignment_max_duration_seconds: z.number().int().min(5).max(2_147_483_647).optional(),
  mix_tasks_in_creation_order: z.boolean().optional(),
  shuffle_tasks_in_task_suite: z.boolean().optional(),
  task_suites_required_to_pass: z.number().int().min(0).max(500).optional(),
  retry_training_after_days: z.number().int().min(1).optional(),
  metadata: Metadata.optional(),
  ...readOnlyPoolFields,
}).meta({ title: 'TrainingPool' });
export type TrainingPool = z.infer<typeof TrainingPool>;

/** `PATCH /pools/:id` (`PoolPatchFormV1`): the priority, open or closed. */
export const PoolPatch = z.looseObject({ priority: z.number().int().min(0).max(100) });
export type PoolPatch = z.infer<typeof PoolPatch>;
