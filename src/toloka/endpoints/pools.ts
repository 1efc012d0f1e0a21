import type { z } from 'zod';
import type { CallOptions, HttpCore } from '../http';
import { Operation, Pool, TrainingPool, type PoolStatus } from '../models';
import { v1All, v1Page, type Page, type PageOptions } from '../paging';

export interface PoolFilter {
  readonly project_id?: string | undefined;
  readonly status?: PoolStatus | undefined;
}

type Action = 'open' | 'close' | 'close-for-update' | 'archive';

/** Pools and training pools share their lifecycle endpoints. */
abstract class PoolLike<T> {
  constructor(
    protected readonly core: HttpCore,
    private readonly base: string,
    private readonly model: z.ZodType<T>,
  ) {}

  private listing(filter: PoolFilter) {
    return { path: this.base, item: this.model, params: { ...filter }, maxLimit: 300, defaultLimit: 50 };
  }

  page(filter: PoolFilter = {}, options: PageOptions = {}): Promise<Page<T>> {
    return v1Page(this.core, this.listing(filter), options);
  }

  all(filter: PoolFilter = {}, options: PageOptions = {}): AsyncGenerator<T> {
    return v1All(this.core, this.listing(filter), options);
  }

  get(id: string, options: CallOptions = {}): Promise<T> {
    return this.core.request({ method: 'GET', path: `${this.base}/${encodeURIComponent(id)}`, schema: this.model, ...options });
  }

  create(body: T, options: CallOptions = {}): Promise<T> {
    return this.core.request({ method: 'POST', path: this.base, data: body, schema: this.model, ...options });
  }

  /** PUT replaces the whole object; the pool must not be open. */
  update(id: string, body: T, options: CallOptions = {}): Promise<T> {
    return this.core.request({ method: 'PUT', path: `${this.base}/${encodeURIComponent(id)}`, data: body, schema: this.model, ...options });
  }

  /** Starts the operation; undefined (204) when the pool is in that state already. */
  private action(id: string, action: Action, options: CallOptions) {
    return this.core.request({ method: 'POST', path: `${this.base}/${encodeURIComponent(id)}/${action}`, schema: Operation, allowEmpty: true, idempotent: true, ...options });
  }

  open(id: string, options: CallOptions = {}) {
    return this.action(id, 'open', options);
  }

  close(id: string, options: CallOptions = {}) {
    return this.action(id, 'close', options);
  }

  closeForUpdate(id: string, options: CallOptions = {}) {
    return this.action(id, 'close-for-update', options);
  }

  archive(id: string, options: CallOptions = {}) {
    return this.action(id, 'archive', options);
  }

  /** Starts a clone operation; its `details` name the new pool once it succeeds. Not retried. */
  clone(id: string, options: CallOptions = {}) {
    return this.core.request({ method: 'POST', path: `${this.base}/${encodeURIComponent(id)}/clone`, schema: Operation, ...options });
  }
}

export class PoolsApi extends PoolLike<Pool> {
  constructor(core: HttpCore) {
    super(core, '/v1/pools', Pool);
  }

  /** PATCH changes the priority only, open or closed. */
  setPriority(id: string, priority: number, options: CallOptions = {}) {
    return this.core.request({ method: 'PATCH', path: `/v1/pools/${encodeURIComponent(id)}`, data: { priority }, schema: Pool, ...options });
  }
}

export class TrainingsApi extends PoolLike<TrainingPool> {
  constructor(core: HttpCore) {
    super(core, '/v1/trainings', TrainingPool);
  }
}
