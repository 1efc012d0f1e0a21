import { z } from 'zod';
import { DateTime } from './common';

/** A Toloker's value of a skill (`/user-skills`): `value` rounded, `exact_value` as set. */
export const UserSkill = z.looseObject({
  id: z.string().optional(),
  skill_id: z.string(),
  user_id: z.string(),
  value: z.number().optional(),
  exact_value: z.number().optional(),
  created: DateTime.optional(),
  modified: DateTime.optional(),
}).meta({ title: 'UserSkill' });
export type UserSkill = z.infer<typeof UserSkill>;

/** What PUT /user-skills takes. */
export const SetUserSkill = z.looseObject({
  skill_id: z.string().min(1),
  user_id: z.string().min(1),
  value: z.number().min(0).max(100),
  reason: z.string().optional(),
}).meta({ title: 'SetUserSkill' });
export type SetUserSkill = z.infer<typeof SetUserSkill>;
