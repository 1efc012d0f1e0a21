import { z } from 'zod';
import { DateTime, LocalizedText } from './common';

/** Toloka's bounds for one bonus, in US dollars (`POST /user-bonuses`). */
export const BONUS_MIN = 0.005;
export const BONUS_MAX = 100;

/**
 * A bonus as sent (`UserBonusFormV1`). `public_title` / `public_message` may be null when
 * `without_message` is true, as the OpenAPI describes it.
 */
export const UserBonusForm = z.looseObject({
  user_id: z.string().min(1),
  amount: z.number().min(BONUS_MIN).max(BONUS_MAX),
  private_comment: z.string().optional(),
  public_title: LocalizedText.nullable().optional(),
  public_message: LocalizedText.nullable().optional(),
  without_message: z.boolean().optional(),
  assignment_id: z.string().optional(),
});
export type UserBonusForm = z.infer<typeof UserBonusForm>;

/** A bonus as Toloka returns it (`UserBonusViewV1`). Its amount may be a string in old answers. */
export const UserBonus = UserBonusForm.extend({
  amount: z.union([z.number(), z.string().transform(Number)]).pipe(z.number()),
  id: z.string(),
  created: DateTime.optional(),
});
export type UserBonus = z.infer<typeof UserBonus>;

/** What Toloka tells about a Toloker (`UserMetadataViewV1`). */
export const UserMetadata = z.looseObject({
  id: z.string().optional(),
  country: z.string().optional(),
  languages: z.array(z.string()).optional(),
  adult_allowed: z.boolean().optional(),
  attributes: z
    .looseObject({
      country_by_phone: z.string().optional(),
      country_by_ip: z.string().optional(),
      client_type: z.string().optional(),
      user_agent_type: z.string().optional(),
      device_category: z.string().optional(),
      os_family: z.string().optional(),
      os_version: z.number().optional(),
      os_version_major: z.number().int().optional(),
      os_version_minor: z.number().int().optional(),
      os_version_bugfix: z.number().int().optional(),
    })
    .optional(),
});
export type UserMetadata = z.infer<typeof UserMetadata>;

/** A Toloker in a few words: `RU · EN, RU · smartphone`. */
export function describeToloker(m: UserMetadata): string {
  return [m.country, m.languages?.join(', '), m.attributes?.device_category?.toLowerCase().replace(/_/g, ' ')].filter(Boolean).join(' · ');
}
