import { z } from 'zod';
import type { CallOptions, HttpCore } from '../http';
import { AggregatedSolution, type AggregateByPoolRequest, Attachment, Operation, Requester, Skill, UserRestriction } from '../models';
import { v1All, v1Page, type PageOptions } from '../paging';

export class RequesterApi {
  constructor(private readonly core: HttpCore) {}

  /** Who the credential belongs to; the cheapest way to check a token. */
  get(options: CallOptions = {}) {
    return this.core.request({ method: 'GET', path: '/v1/requester', schema: Requester, ...options });
  }
}

export class SkillsApi {
  constructor(private readonly core: HttpCore) {}

  all(filter: { name?: string } = {}, options: PageOptions = {}) {
    return v1All(this.core, { path: '/v1/skills', item: Skill, params: { ...filter }, maxLimit: 100, defaultLimit: 100 }, options);
  }

  page(filter: { name?: string } = {}, options: PageOptions = {}) {
    return v1Page(this.core, { path: '/v1/skills', item: Skill, params: { ...filter }, maxLimit: 100, defaultLimit: 100 }, options);
  }

  get(id: string, options: CallOptions = {}) {
    return this.core.request({ method: 'GET', path: `/v1/skills/${encodeURIComponent(id)}`, schema: Skill, ...options });
  }

  create(skill: Skill, options: CallOptions = {}) {
    return this.core.request({ method: 'POST', path: '/v1/skills', data: skill, schema: Skill, ...options });
  }

  /** PUT replaces what the requester sets (name, descriptions, hidden, ttl, deprecated). */
  update(id: string, skill: Skill, options: CallOptions = {}) {
    return this.core.request({ method: 'PUT', path: `/v1/skills/${encodeURIComponent(id)}`, data: skill, schema: Skill, ...options });
  }
}

export class AttachmentsApi {
  constructor(private readonly core: HttpCore) {}

  private listing(filter: { pool_id?: string; assignment_id?: string }) {
    return { path: '/v1/attachments', item: Attachment, params: { ...filter }, maxLimit: 100, defaultLimit: 100 };
  }

  page(filter: { pool_id?: string; assignment_id?: string }, options: PageOptions = {}) {
    return v1Page(this.core, this.listing(filter), options);
  }

  all(filter: { pool_id?: string; assignment_id?: string }, options: PageOptions = {}) {
    return v1All(this.core, this.listing(filter), options);
  }

  get(id: string, options: CallOptions = {}) {
    return this.core.request({ method: 'GET', path: `/v1/attachments/${encodeURIComponent(id)}`, schema: Attachment, ...options });
  }

  /** The file's bytes as a stream; nothing is buffered whole. */
  download(id: string, options: CallOptions = {}) {
    return this.core.stream(`/v1/attachments/${encodeURIComponent(id)}/download`, options);
  }
}

export class AggregatedSolutionsApi {
  constructor(private readonly core: HttpCore) {}

  /** Starts a SOLUTION.AGGREGATE operation over the pool's accepted assignments. */
  aggregateByPool(request: AggregateByPoolRequest, options: CallOptions = {}) {
    return this.core.request({ method: 'POST', path: '/v1/aggregated-solutions/aggregate-by-pool', data: request, schema: Operation, ...options });
  }

  private listing(operationId: string) {
    return { path: `/v1/aggregated-solutions/${encodeURIComponent(operationId)}`, item: AggregatedSolution, sortKey: 'task_id', maxLimit: 100_000, defaultLimit: 10_000 };
  }

  page(operationId: string, options: PageOptions = {}) {
    return v1Page(this.core, this.listing(operationId), options);
  }

  /** Every aggregated answer of a finished operation, in task id order. */
  all(operationId: string, options: PageOptions = {}) {
    return v1All(this.core, this.listing(operationId), options);
  }
}

export interface UserRestrictionFilter {
  readonly scope?: UserRestriction['scope'] | undefined;
  readonly user_id?: string | undefined;
  readonly project_id?: string | undefined;
  readonly pool_id?: string | undefined;
}

export class UserRestrictionsApi {
  constructor(private readonly core: HttpCore) {}

  all(filter: UserRestrictionFilter = {}, options: PageOptions = {}) {
    return v1All(this.core, { path: '/v1/user-restrictions', item: UserRestriction, params: { ...filter }, maxLimit: 500, defaultLimit: 500 }, options);
  }

  get(id: string, options: CallOptions = {}) {
    return this.core.request({ method: 'GET', path: `/v1/user-restrictions/${encodeURIComponent(id)}`, schema: UserRestriction, ...options });
  }

  /** Creates or updates the ban of a Toloker in a scope. */
  put(restriction: UserRestriction, options: CallOptions = {}) {
    return this.core.request({ method: 'PUT', path: '/v1/user-restrictions', data: restriction, schema: UserRestriction, ...options });
  }

  /** Lifts a ban. */
  async remove(id: string, options: CallOptions = {}): Promise<void> {
    await this.core.request({ method: 'DELETE', path: `/v1/user-restrictions/${encodeURIComponent(id)}`, schema: z.unknown(), allowEmpty: true, ...options });
  }
}
