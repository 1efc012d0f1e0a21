import { z } from 'zod';
import { DateTime, Id, LocalizedText, Owner, parseDateTime } from './common';
import { OutputValues } from './task';

export const Requester = z.looseObject({
  id: z.string(),
  balance: z.number().optional(),
  public_name: LocalizedText.optional(),
  company: z.looseObject({ id: z.string().optional(), superintendent_id: z.string().optional() }).optional(),
});
export type Requester = z.infer<typeof Requester>;

export const Skill = z.looseObject({
  name: z.string().min(1),
  public_name: LocalizedText.optional(),
  private_comment: z.string().optional(),
  public_requester_description: LocalizedText.optional(),
  hidden: z.boolean().optional(),
  skill_ttl_hours: z.number().int().min(1).optional(),
  deprecated: z.boolean().optional(),
  training: z.boolean().optional(),
  global: z.boolean().optional(),
  id: z.string().optional(),
  owner: Owner.optional(),
  created: DateTime.optional(),
}).meta({ title: 'Skill' });
export type Skill = z.infer<typeof Skill>;

export const Attachment = z.looseObject({
  id: z.string(),
  attachment_type: z.string(),
  name: z.string(),
  media_type: z.string(),
  created: DateTime.optional(),
  owner: Owner.optional(),
  details: z.looseObject({ user_id: z.string().optional(), assignment_id: z.string().optional(), pool_id: z.string().optional() }).optional(),
});
export type Attachment = z.infer<typeof Attachment>;

export const RestrictionScope = z.enum(['ALL_PROJECTS', 'PROJECT', 'POOL', 'SYSTEM']);

/** A ban: the Toloker may not take tasks in its scope until `will_expire` (forever without it). */
export const UserRestriction = z
  .looseObject({
    // Toloka's own examples write these ids as numbers (`"id": 19038`, `"project_id": 10`).
    id: Id.optional(),
    scope: RestrictionScope,
    user_id: z.string(),
    project_id: Id.optional(),
    pool_id: Id.optional(),
    private_comment: z.string().max(499).optional(),
    will_expire: DateTime.optional(),
    created: DateTime.optional(),
  })
  .superRefine((r, ctx) => {
    if (r.scope === 'PROJECT' && !r.project_id) ctx.addIssue({ code: 'custom', path: ['project_id'], message: 'a PROJECT ban needs project_id' });
    if (r.scope === 'POOL' && !r.pool_id) ctx.addIssue({ code: 'custom', path: ['pool_id'], message: 'a POOL ban needs pool_id' });
  });
export type UserRestriction = z.infer<typeof UserRestriction>;

/** Whether a ban keeps its Toloker out of this pool at `nowMs`: its scope covers the pool, and it has not expired. */
export function restrictionApplies(r: Pick<UserRestriction, 'scope' | 'project_id' | 'pool_id' | 'will_expire'>, pool: { readonly id: string; readonly project_id: string }, nowMs: number): boolean {
  const covers = r.scope === 'ALL_PROJECTS' || r.scope === 'SYSTEM' || (r.scope === 'PROJECT' && r.project_id === pool.project_id) || (r.scope === 'POOL' && r.pool_id === pool.id);
  return covers && (r.will_expire === undefined || parseDateTime(r.will_expire).getTime() > nowMs);
}

export const AggregatedSolution = z.looseObject({
  pool_id: z.string(),
  task_id: z.string(),
  confidence: z.number().min(0).max(1),
  output_values: OutputValues,
});
export type AggregatedSolution = z.infer<typeof AggregatedSolution>;

export const AggregateByPoolRequest = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('DAWID_SKENE'), pool_id: z.string(), fields: z.array(z.strictObject({ name: z.string() })).max(1) }),
  z.strictObject({
    type: z.literal('WEIGHTED_DYNAMIC_OVERLAP'),
    pool_id: z.string(),
    answer_weight_skill_id: z.string(),
    fields: z.array(z.strictObject({ name: z.string() })).min(1),
  }),
]);
export type AggregateByPoolRequest = z.infer<typeof AggregateByPoolRequest>;
