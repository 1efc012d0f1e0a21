import type { CallOptions, HttpCore } from '../http';
import { Operation, Project } from '../models';
import { tbConfigAsString } from '../models/fieldSpec';
import { v1All, v1Page, type PageOptions } from '../paging';

export interface ProjectFilter {
  readonly status?: 'ACTIVE' | 'ARCHIVED' | undefined;
  readonly owner?: string | undefined;
}

export class ProjectsApi {
  constructor(private readonly core: HttpCore) {}

  private listing(filter: ProjectFilter) {
    return { path: '/v1/projects', item: Project, params: { ...filter }, maxLimit: 300, defaultLimit: 50 };
  }

  page(filter: ProjectFilter = {}, options: PageOptions = {}) {
    return v1Page(this.core, this.listing(filter), options);
  }

  all(filter: ProjectFilter = {}, options: PageOptions = {}) {
    return v1All(this.core, this.listing(filter), options);
  }

  get(id: string, options: CallOptions = {}) {
    return this.core.request({ method: 'GET', path: `/v1/projects/${encodeURIComponent(id)}`, schema: Project, ...options });
  }

  create(project: Project, options: CallOptions = {}) {
    return this.core.request({ method: 'POST', path: '/v1/projects', data: tbConfigAsString(project), schema: Project, ...options });
  }

  /** PUT replaces the whole project: send every field. */
  update(id: string, project: Project, options: CallOptions = {}) {
    return this.core.request({ method: 'PUT', path: `/v1/projects/${encodeURIComponent(id)}`, data: tbConfigAsString(project), schema: Project, ...options });
  }

  /** Starts a PROJECT.ARCHIVE operation; undefined when it is archived already. */
  archive(id: string, options: CallOptions = {}) {
    return this.core.request({ method: 'POST', path: `/v1/projects/${encodeURIComponent(id)}/archive`, schema: Operation, allowEmpty: true, idempotent: true, ...options });
  }
}
