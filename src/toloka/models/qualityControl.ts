import { z } from 'zod';

export const CollectorType = z.enum([
  'GOLDEN_SET', 'MAJORITY_VOTE', 'ASSIGNMENT_SUBMIT_TIME', 'SKIPPED_IN_ROW_ASSIGNMENTS', 'ANSWER_COUNT',
  'INCOME', 'ACCEPTANCE_RATE', 'ASSIGNMENTS_ASSESSMENT', 'USERS_ASSESSMENT', 'CAPTCHA', 'TRAINING',
]);
export type CollectorType = z.infer<typeof CollectorType>;

export const ComparisonOperator = z.enum(['EQ', 'NE', 'GT', 'GTE', 'LT', 'LTE']);

/** The condition keys each collector produces; a rule may only test its own collector's keys. */
export const conditionKeys: Record<CollectorType, readonly [string, ...string[]]> = {
  GOLDEN_SET: ['total_answers_count', 'correct_answers_rate', 'incorrect_answers_rate', 'golden_set_answers_count', 'golden_set_correct_answers_rate', 'golden_set_incorrect_answers_rate'],
  MAJORITY_VOTE: ['total_answers_count', 'correct_answers_rate', 'incorrect_answers_rate'],
  ASSIGNMENT_SUBMIT_TIME: ['total_submitted_count', 'fast_submitted_count'],
  SKIPPED_IN_ROW_ASSIGNMENTS: ['skipped_in_row_count'],
  ANSWER_COUNT: ['assignments_accepted_count'],
  INCOME: ['income_sum_for_last_24_hours'],
  ACCEPTANCE_RATE: ['total_assignments_count', 'accepted_assignments_rate', 'rejected_assignments_rate'],
  ASSIGNMENTS_ASSESSMENT: ['pending_assignments_count', 'accepted_assignments_count', 'rejected_assignments_count', 'assessment_event'],
  USERS_ASSESSMENT: ['pool_access_revoked_reason', 'skill_id'],
  CAPTCHA: ['stored_results_count', 'success_rate', 'fail_rate'],
  TRAINING: ['submitted_assignments_count', 'total_answers_count', 'correct_answers_rate', 'incorrect_answers_rate', 'next_assignment_available'],
};

const RestrictionScope = z.enum(['POOL', 'PROJECT', 'ALL_PROJECTS']);
const params = <T extends z.ZodRawShape>(shape: T) => z.looseObject(shape).meta({ title: 'ActionParameters' });
const action = <T extends z.ZodType>(type: string, parameters: T) => z.looseObject({ type: z.literal(type), parameters }).meta({ title: 'RuleAction' });

/** What a rule does when its conditions hold; each action type has its own required parameters. */
export const RuleAction = z.discriminatedUnion('type', [
  action('RESTRICTION', params({ scope: RestrictionScope, duration_days: z.number().int().min(1).optional(), private_comment: z.string().optional() })),
  action('RESTRICTION_V2', params({ scope: RestrictionScope, duration: z.number().int().min(1).optional(), duration_unit: z.enum(['MINUTES', 'HOURS', 'DAYS', 'PERMANENT']), private_comment: z.string().optional() })),
  action('SET_SKILL_FROM_OUTPUT_FIELD', params({ skill_id: z.string(), from_field: z.string() })),
  action('SET_SKILL', params({ skill_id: z.string(), skill_value: z.number().min(0).max(100) })),
  action('CHANGE_OVERLAP', params({ delta: z.number().int(), open_pool: z.boolean().optional() })),
  action('REJECT_ALL_ASSIGNMENTS', params({ public_comment: z.string() })),
  action('APPROVE_ALL_ASSIGNMENTS', params({}).optional()),
  action('CLEAN_ASSIGNMENTS_HISTORY', params({}).optional()),
  action('CLEAN_COLLECTOR', params({}).optional()),
  action('SET_POOL_COMPLETE', params({}).optional()),
]);
export type RuleAction = z.infer<typeof RuleAction>;

const collectorParameters: Partial<Record<CollectorType, z.ZodType>> = {
  GOLDEN_SET: z.looseObject({ history_size: z.number().int().min(1).optional() }).meta({ title: 'CollectorParameters' }),
  MAJORITY_VOTE: z.looseObject({ answer_threshold: z.number().int().min(1), history_size: z.number().int().min(1).optional() }).meta({ title: 'CollectorParameters' }),
  ASSIGNMENT_SUBMIT_TIME: z.looseObject({ fast_submit_threshold_seconds: z.number().int().min(1), history_size: z.number().int().min(1).optional() }).meta({ title: 'CollectorParameters' }),
  ACCEPTANCE_RATE: z.looseObject({ history_size: z.number().int().min(1).optional() }).meta({ title: 'CollectorParameters' }),
  CAPTCHA: z.looseObject({ history_size: z.number().int().min(1).optional() }).meta({ title: 'CollectorParameters' }),
};
const requiresParameters = new Set<CollectorType>(['GOLDEN_SET', 'MAJORITY_VOTE', 'ASSIGNMENT_SUBMIT_TIME']);

function configFor(type: CollectorType) {
  const p = collectorParameters[type] ?? z.looseObject({}).meta({ title: 'CollectorParameters' });
  return z.looseObject({
    collector_config: z.looseObject({
      type: z.literal(type),
      uuid: z.string().optional(),
      parameters: requiresParameters.has(type) ? p : p.optional(),
    }).meta({ title: 'CollectorConfig' }),
    rules: z.array(z.looseObject({
      conditions: z.array(z.looseObject({
        key: z.enum(conditionKeys[type]),
        operator: ComparisonOperator,
        // Counts, rates, strings and booleans; one documented example sends a count as a string.
        value: z.union([z.number(), z.string(), z.boolean()]),
      }).meta({ title: 'RuleCondition' })).min(1),
      action: RuleAction,
    }).meta({ title: 'QualityControlRule' })),
  }).meta({ title: 'QualityControlConfig' });
}

/** One collector and its rules. The collector's type decides which condition keys its rules may test. */
export const QualityControlConfig = z.union(CollectorType.options.map(configFor) as unknown as [ReturnType<typeof configFor>, ...Array<ReturnType<typeof configFor>>]);
export type QualityControlConfig = z.infer<typeof QualityControlConfig>;

export const TaskDistributionFunction = z.looseObject({
  scope: z.enum(['POOL', 'PROJECT']),
  distribution: z.literal('UNIFORM'),
  window_days: z.number().int().min(1).max(365),
  intervals: z.array(z.looseObject({
    from: z.number().int().min(1).max(1_000_000).optional(),
    to: z.number().int().min(1).max(1_000_000).optional(),
    frequency: z.number().int().min(1).max(10_000_000),
  }).meta({ title: 'DistributionInterval' })).min(1).max(10_000),
}).meta({ title: 'TaskDistributionFunction' });

const CheckpointSettings = z.looseObject({ target_overlap: z.number().int().min(1), task_distribution_function: TaskDistributionFunction }).meta({ title: 'CheckpointSettings' });

export const QualityControl = z.looseObject({
  training_requirement: z.looseObject({ training_pool_id: z.string(), training_passing_skill_value: z.number().int().min(0).max(100) }).meta({ title: 'TrainingRequirement' }).optional(),
  captcha_frequency: z.enum(['LOW', 'MEDIUM', 'HIGH']).optional(),
  configs: z.array(QualityControlConfig).optional(),
  checkpoints_config: z.looseObject({
    real_settings: CheckpointSettings.optional(),
    golden_settings: CheckpointSettings.optional(),
    training_settings: CheckpointSettings.optional(),
  }).meta({ title: 'CheckpointsConfig' }).optional(),
}).meta({ title: 'QualityControl' });
export type QualityControl = z.infer<typeof QualityControl>;
