import { z } from 'zod';
import type { CallOptions, HttpCore } from '../http';
import { App, AppBatch, AppItem, AppProject, type AppBatchCreate, type AppBatchPatch, type AppBatchStatus, type AppItemStatus } from '../models';
import { appsAll, appsPage, type PageOptions } from '../paging';

export interface AppItemFilter {
  readonly status?: AppItemStatus | undefined;
  readonly batch_id?: string | undefined;
}

export class AppsApi {
  constructor(private readonly core: HttpCore) {}

  apps(options: PageOptions = {}) {
    return appsAll(this.core, { path: '/app/v0/apps', item: App, sort: 'id', maxLimit: 1000 }, options);
  }

  app(id: string, options: CallOptions = {}) {
    return this.core.request({ method: 'GET', path: `/app/v0/apps/${encodeURIComponent(id)}`, schema: App, ...options });
  }

  projectsPage(filter: { app_id?: string; status?: string } = {}, options: PageOptions = {}) {
    return appsPage(this.core, { path: '/app/v0/app-projects', item: AppProject, params: { ...filter }, sort: 'id', maxLimit: 5000 }, options);
  }

  projects(filter: { app_id?: string; status?: string } = {}, options: PageOptions = {}) {
    return appsAll(this.core, { path: '/app/v0/app-projects', item: AppProject, params: { ...filter }, sort: 'id', maxLimit: 5000 }, options);
  }

  project(id: string, options: CallOptions = {}) {
    return this.core.request({ method: 'GET', path: `/app/v0/app-projects/${encodeURIComponent(id)}`, schema: AppProject, ...options });
  }

  createProject(project: { app_id: string; name: string; parameters: Record<string, unknown> }, options: CallOptions = {}) {
    return this.core.request({ method: 'POST', path: '/app/v0/app-projects', data: project, schema: AppProject, ...options });
  }

  archiveProject(id: string, options: CallOptions = {}) {
    return this.core.request({ method: 'POST', path: `/app/v0/app-projects/${encodeURIComponent(id)}/archive`, schema: z.unknown(), allowEmpty: true, idempotent: true, ...options });
  }

  /** Up to 10,000 items; processing starts at once when no batch is named. Returns the new ids. */
  createItems(appProjectId: string, items: ReadonlyArray<Record<string, unknown>>, options: CallOptions & { batchId?: string } = {}) {
    if (items.length > 10_000) throw new RangeError(`items/bulk takes at most 10,000 items, not ${items.length}`);
    return this.core.request({
      method: 'POST',
      path: `/app/v0/app-projects/${encodeURIComponent(appProjectId)}/items/bulk`,
      data: { items, ...(options.batchId ? { batch_id: options.batchId } : {}) },
      schema: z.array(z.string()),
      signal: options.signal,
    });
  }

  item(appProjectId: string, itemId: string, options: CallOptions = {}) {
    return this.core.request({ method: 'GET', path: `/app/v0/app-projects/${encodeURIComponent(appProjectId)}/items/${encodeURIComponent(itemId)}`, schema: AppItem, ...options });
  }

  /** A page of items; `sort: 'finished'` with `after` streams newly finished items (seed 004). */
  itemsPage(appProjectId: string, filter: AppItemFilter & { sort?: 'id' | 'created' | 'finished' } = {}, options: PageOptions = {}) {
    const { sort, ...params } = filter;
    return appsPage(this.core, { path: `/app/v0/app-projects/${encodeURIComponent(appProjectId)}/items`, item: AppItem, params, sort: sort ?? 'id', maxLimit: 1000 }, options);
  }

  items(appProjectId: string, filter: AppItemFilter & { sort?: 'id' | 'created' | 'finished' } = {}, options: PageOptions = {}) {
    const { sort, ...params } = filter;
    return appsAll(this.core, { path: `/app/v0/app-projects/${encodeURIComponent(appProjectId)}/items`, item: AppItem, params, sort: sort ?? 'id', maxLimit: 1000 }, options);
  }

  private batchesPath(appProjectId: string): string {
    return `/app/v0/app-projects/${encodeURIComponent(appProjectId)}/batches`;
  }

  batchesPage(appProjectId: string, filter: { status?: AppBatchStatus } = {}, options: PageOptions = {}) {
    return appsPage(this.core, { path: this.batchesPath(appProjectId), item: AppBatch, params: { ...filter }, sort: 'id', maxLimit: 1000 }, options);
  }

  batches(appProjectId: string, filter: { status?: AppBatchStatus } = {}, options: PageOptions = {}) {
    return appsAll(this.core, { path: this.batchesPath(appProjectId), item: AppBatch, params: { ...filter }, sort: 'id', maxLimit: 1000 }, options);
  }

  batch(appProjectId: string, batchId: string, options: CallOptions = {}) {
    return this.core.request({ method: 'GET', path: `${this.batchesPath(appProjectId)}/${encodeURIComponent(batchId)}`, schema: AppBatch, ...options });
  }

  /** A new batch (status NEW), with up to 10,000 items in it at once; its items wait for Start. Not retried: it has no idempotency key. */
  createBatch(appProjectId: string, form: AppBatchCreate, options: CallOptions = {}) {
    if ((form.items?.length ?? 0) > 10_000) throw new RangeError(`a batch is created with at most 10,000 items, not ${form.items?.length ?? 0}`);
    return this.core.request({ method: 'POST', path: this.batchesPath(appProjectId), data: form, schema: AppBatch, signal: options.signal });
  }

  /** Adds items to a batch that has not started (items/bulk with its batch_id). */
  addBatchItems(appProjectId: string, batchId: string, items: ReadonlyArray<Record<string, unknown>>, options: CallOptions = {}) {
    return this.createItems(appProjectId, items, { ...options, batchId });
  }

  /** Sends the batch's items for labeling; processing starts asynchronously. */
  startBatch(appProjectId: string, batchId: string, options: CallOptions = {}) {
    return this.core.request({ method: 'POST', path: `${this.batchesPath(appProjectId)}/${encodeURIComponent(batchId)}/start`, schema: z.unknown(), allowEmpty: true, idempotent: true, ...options });
  }

  /** Changes a batch's name or priority (`ONE` is labeled first); what is left out stays as it is. */
  updateBatch(appProjectId: string, batchId: string, patch: AppBatchPatch, options: CallOptions = {}) {
    return this.core.request({ method: 'PATCH', path: `${this.batchesPath(appProjectId)}/${encodeURIComponent(batchId)}`, data: patch, schema: AppBatch, ...options });
  }

  private batchAction(appProjectId: string, batchId: string, action: 'stop' | 'resume' | 'archive' | 'unarchive', options: CallOptions) {
    return this.core.request({ method: 'POST', path: `${this.batchesPath(appProjectId)}/${encodeURIComponent(batchId)}/${action}`, schema: z.unknown(), allowEmpty: true, idempotent: true, ...options });
  }

  /** Stops labeling a PROCESSING batch (it goes STOPPING, then STOPPED); its unfinished items wait for Resume. */
  stopBatch(appProjectId: string, batchId: string, options: CallOptions = {}) {
    return this.batchAction(appProjectId, batchId, 'stop', options);
  }

  /** Goes on labeling a STOPPING or STOPPED batch. */
  resumeBatch(appProjectId: string, batchId: string, options: CallOptions = {}) {
    return this.batchAction(appProjectId, batchId, 'resume', options);
  }

  /** Archives a batch that is not being labeled (status ARCHIVE); a PROCESSING batch is stopped first. */
  archiveBatch(appProjectId: string, batchId: string, options: CallOptions = {}) {
    return this.batchAction(appProjectId, batchId, 'archive', options);
  }

  /** Gives an archived batch back the status it had before it was archived. */
  unarchiveBatch(appProjectId: string, batchId: string, options: CallOptions = {}) {
    return this.batchAction(appProjectId, batchId, 'unarchive', options);
  }
}
