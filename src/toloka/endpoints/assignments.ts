import type { CallOptions, HttpCore } from '../http';
import { Assignment, AssignmentResult, type AssignmentStatus } from '../models';
import { v1All, v1Page, v1PagesAhead, type PageOptions } from '../paging';

export interface AssignmentFilter {
  readonly pool_id?: string | undefined;
  readonly task_suite_id?: string | undefined;
  readonly task_id?: string | undefined;
  readonly status?: readonly AssignmentStatus[] | undefined;
  readonly user_id?: string | undefined;
  readonly created_gte?: string | undefined;
  readonly created_lt?: string | undefined;
  readonly submitted_gte?: string | undefined;
  readonly submitted_lt?: string | undefined;
}

export class AssignmentsApi {
  constructor(private readonly core: HttpCore) {}

  private listing(filter: AssignmentFilter) {
    if (!filter.pool_id && !filter.task_suite_id && !filter.task_id) {
      throw new TypeError('listing assignments needs pool_id, task_suite_id or task_id');
    }
    return { path: '/v1/assignments', item: Assignment, params: { ...filter }, maxLimit: 100_000, defaultLimit: 1000 };
  }

  page(filter: AssignmentFilter, options: PageOptions = {}) {
    return v1Page(this.core, this.listing(filter), options);
  }

  /** Pages of assignments with only what a results file needs (AssignmentResult), one request ahead. */
  resultPages(filter: AssignmentFilter, options: PageOptions = {}) {
    return v1PagesAhead(this.core, { ...this.listing(filter), item: AssignmentResult }, options);
  }

  /** Pages of whole assignments, one request ahead. */
  pages(filter: AssignmentFilter, options: PageOptions = {}) {
    return v1PagesAhead(this.core, this.listing(filter), options);
  }

  all(filter: AssignmentFilter, options: PageOptions = {}) {
    return v1All(this.core, this.listing(filter), options);
  }

  get(id: string, options: CallOptions = {}) {
    return this.core.request({ method: 'GET', path: `/v1/assignments/${encodeURIComponent(id)}`, schema: Assignment, ...options });
  }

  accept(id: string, publicComment: string, options: CallOptions = {}) {
    return this.review(id, 'ACCEPTED', publicComment, options);
  }

  reject(id: string, publicComment: string, options: CallOptions = {}) {
    return this.review(id, 'REJECTED', publicComment, options);
  }

  private review(id: string, status: 'ACCEPTED' | 'REJECTED', publicComment: string, options: CallOptions) {
    return this.core.request({
      method: 'PATCH',
      path: `/v1/assignments/${encodeURIComponent(id)}`,
      data: { status, public_comment: publicComment },
      schema: Assignment,
      ...options,
    });
  }
}
