import { z } from 'zod';
import type { CallOptions, HttpCore } from '../http';
import { SetUserSkill, UserSkill } from '../models/userSkill';
import { v1All, type PageOptions } from '../paging';

/** Tolokers' skill values: listed by Toloker or skill, set, removed. */
export class UserSkillsApi {
  constructor(private readonly core: HttpCore) {}

  all(filter: { user_id?: string; skill_id?: string } = {}, options: PageOptions = {}) {
    return v1All(this.core, { path: '/v1/user-skills', item: UserSkill, params: { ...filter }, maxLimit: 1000, defaultLimit: 1000 }, options);
  }

  get(id: string, options: CallOptions = {}) {
    return this.core.request({ method: 'GET', path: `/v1/user-skills/${encodeURIComponent(id)}`, schema: UserSkill, ...options });
  }

  /** Sets a Toloker's skill (0–100). */
  set(value: SetUserSkill, options: CallOptions = {}) {
    return this.core.request({ method: 'PUT', path: '/v1/user-skills', data: SetUserSkill.parse(value), schema: UserSkill, ...options });
  }

  async remove(id: string, options: CallOptions = {}): Promise<void> {
    await this.core.request({ method: 'DELETE', path: `/v1/user-skills/${encodeURIComponent(id)}`, schema: z.unknown(), allowEmpty: true, ...options });
  }
}
