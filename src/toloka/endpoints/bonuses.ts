import { randomUUID } from 'node:crypto';
import type { CallOptions, HttpCore } from '../http';
import { BatchCreateResult, Operation, UserBonus, UserMetadata, type UserBonusForm } from '../models';
import { v1All, v1Page, type PageOptions } from '../paging';

export interface BonusFilter {
  readonly user_id?: string | undefined;
  readonly assignment_id?: string | undefined;
  readonly created_gte?: string | undefined;
  readonly created_lt?: string | undefined;
}

export interface BonusCreateOptions extends CallOptions {
  /** Issue the valid bonuses and report the invalid ones instead of refusing the request. */
  readonly skipInvalidItems?: boolean | undefined;
}

/** Bonuses to Tolokers (`/v1/user-bonuses`): money leaves the account, so nothing here is retried blindly. */
export class UserBonusesApi {
  constructor(private readonly core: HttpCore) {}

  /** Issues one bonus synchronously. */
  create(bonus: UserBonusForm, options: CallOptions = {}) {
    return this.core.request({ method: 'POST', path: '/v1/user-bonuses', data: bonus, schema: UserBonus, ...options });
  }

  /** Issues up to 100 bonuses synchronously: issued bonuses and errors keyed by request index. */
  createMany(bonuses: readonly UserBonusForm[], options: BonusCreateOptions = {}) {
    if (bonuses.length > 100) throw new RangeError(`synchronous bonuses take at most 100 items, not ${bonuses.length}`);
    return this.core.request({
      method: 'POST',
      path: '/v1/user-bonuses',
      params: { async_mode: false, skip_invalid_items: options.skipInvalidItems },
      data: bonuses,
      schema: BatchCreateResult(UserBonus),
      signal: options.signal,
    });
  }

  /**
   * Starts a USER_BONUS.BATCH_CREATE operation under `operationId`. Safe to resend: Toloka
   * answers a second request with the same id with 409 OPERATION_ALREADY_EXISTS.
   */
  createAsync(bonuses: readonly UserBonusForm[], options: BonusCreateOptions & { operationId?: string | undefined } = {}) {
    return this.core.request({
      method: 'POST',
      path: '/v1/user-bonuses',
      params: { async_mode: true, skip_invalid_items: options.skipInvalidItems, operation_id: options.operationId ?? randomUUID() },
      data: bonuses,
      schema: Operation,
      idempotent: true,
      signal: options.signal,
    });
  }

  private listing(filter: BonusFilter) {
    return { path: '/v1/user-bonuses', item: UserBonus, params: { ...filter }, maxLimit: 300, defaultLimit: 300 };
  }

  page(filter: BonusFilter = {}, options: PageOptions = {}) {
    return v1Page(this.core, this.listing(filter), options);
  }

  all(filter: BonusFilter = {}, options: PageOptions = {}) {
    return v1All(this.core, this.listing(filter), options);
  }

  get(id: string, options: CallOptions = {}) {
    return this.core.request({ method: 'GET', path: `/v1/user-bonuses/${encodeURIComponent(id)}`, schema: UserBonus, ...options });
  }
}

/** `/v1/user-metadata/:id`: a Toloker's country, languages, device. */
export class UserMetadataApi {
  constructor(private readonly core: HttpCore) {}

  get(userId: string, options: CallOptions = {}) {
    return this.core.request({ method: 'GET', path: `/v1/user-metadata/${encodeURIComponent(userId)}`, schema: UserMetadata, ...options });
  }
}
