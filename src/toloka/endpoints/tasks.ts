import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { CallOptions, HttpCore } from '../http';
import { BatchCreateResult, Operation, Task, TaskPatch, TaskSuite } from '../models';
import { v1All, v1Page, type Page, type PageOptions } from '../paging';

export interface CreateManyOptions extends CallOptions {
  /** Take overlap from the pool's defaults when a task has none. */
  readonly allowDefaults?: boolean | undefined;
  /** Create the valid items and report the invalid ones instead of rejecting the request. */
  readonly skipInvalidItems?: boolean | undefined;
  /** Open the pool once the items exist. */
  readonly openPool?: boolean | undefined;
}

export interface AsyncCreateOptions extends CreateManyOptions {
  /** The idempotency key; a fresh UUID when omitted. Reusing one gives 409 OPERATION_ALREADY_EXISTS. */
  readonly operationId?: string | undefined;
}

export interface ItemFilter {
  readonly pool_id: string;
  readonly overlap?: number | undefined;
  readonly created_gte?: string | undefined;
  readonly created_lt?: string | undefined;
}

function flags(o: CreateManyOptions) {
  return { allow_defaults: o.allowDefaults, skip_invalid_items: o.skipInvalidItems, open_pool: o.openPool };
}

/** Tasks and task suites share their create endpoints' query parameters and result shapes. */
abstract class ItemsApi<T> {
  constructor(
    protected readonly core: HttpCore,
    private readonly base: string,
    private readonly model: z.ZodType<T>,
  ) {}

  /** Creates one item synchronously. */
  create(item: T, options: CreateManyOptions = {}): Promise<T> {
    return this.core.request({ method: 'POST', path: this.base, params: flags(options), data: item, schema: this.model, ...options });
  }

  /** Creates up to 5,000 items synchronously: created items and errors keyed by request index. */
  createMany(items: readonly T[], options: CreateManyOptions = {}): Promise<{ items: Record<string, T>; validation_errors?: Record<string, Record<string, unknown>> | undefined }> {
    if (items.length > 5000) throw new RangeError(`synchronous creation takes at most 5,000 items, not ${items.length}`);
    return this.core.request({
      method: 'POST',
      path: this.base,
      params: { ...flags(options), async_mode: false },
      data: items,
      schema: BatchCreateResult(this.model),
      signal: options.signal,
    });
  }

  /**
   * Starts an asynchronous batch creation. It carries an `operation_id`, so it is retried
   * safely: a resend of a batch the server already took answers 409 OPERATION_ALREADY_EXISTS.
   */
  createAsync(items: ReadonlyArray<unknown>, options: AsyncCreateOptions = {}) {
    const operationId = options.operationId ?? randomUUID();
    return this.core.request({
      method: 'POST',
      path: this.base,
      params: { ...flags(options), async_mode: true, operation_id: operationId },
      data: items,
      schema: Operation,
      idempotent: true,
      signal: options.signal,
      rateLimits: options.rateLimits,
    });
  }

  private listing(filter: ItemFilter) {
    return { path: this.base, item: this.model, params: { ...filter }, maxLimit: 100_000, defaultLimit: 1000 };
  }

  page(filter: ItemFilter, options: PageOptions = {}): Promise<Page<T>> {
    return v1Page(this.core, this.listing(filter), options);
  }

  all(filter: ItemFilter, options: PageOptions = {}): AsyncGenerator<T> {
    return v1All(this.core, this.listing(filter), options);
  }

  get(id: string, options: CallOptions = {}): Promise<T> {
    return this.core.request({ method: 'GET', path: `${this.base}/${encodeURIComponent(id)}`, schema: this.model, ...options });
  }

  setOverlapOrMin(id: string, overlap: number, options: CallOptions = {}): Promise<T> {
    return this.core.request({ method: 'PATCH', path: `${this.base}/${encodeURIComponent(id)}/set-overlap-or-min`, data: { overlap }, schema: this.model, ...options });
  }
}

export class TasksApi extends ItemsApi<Task> {
  constructor(core: HttpCore) {
    super(core, '/v1/tasks', Task);
  }

  patch(id: string, patch: TaskPatch, options: CallOptions & { openPool?: boolean } = {}) {
    return this.core.request({
      method: 'PATCH',
      path: `/v1/tasks/${encodeURIComponent(id)}`,
      params: { open_pool: options.openPool },
      data: patch,
      schema: Task,
      signal: options.signal,
    });
  }
}

export class TaskSuitesApi extends ItemsApi<TaskSuite> {
  constructor(core: HttpCore) {
    super(core, '/v1/task-suites', TaskSuite);
  }
}
