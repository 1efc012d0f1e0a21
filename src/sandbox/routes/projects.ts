import { Project } from '../../toloka/models';
import { conflict, notFound } from '../apiError';
import { listGeneric } from '../listing';
import { now } from '../state';
import { parseBody } from '../validation';
import { accepted, created, noContent, ok, type RouteContext } from './context';

export function registerProjectRoutes({ router, state, ops }: RouteContext): void {
  const find = (id: string) => {
    const p = state.projects.get(id);
    if (!p) throw notFound();
    return p;
  };

  router.on('GET', '/api/v1/projects', ({ query }) =>
    ok(listGeneric(state.projects.values(), query, {
      sortable: ['id', 'created', 'public_name', 'private_comment'],
      ranges: ['id', 'created'],
      maxLimit: 300,
      defaultLimit: 20,
      where: (p) => (!query.get('status') || p.status === query.get('status')) && (!query.get('owner') || p.owner?.id === query.get('owner')),
    })));

  router.on('GET', '/api/v1/projects/:id', ({ params }) => ok(find(params['id'] ?? '')));

  router.on('POST', '/api/v1/projects', ({ body }) => {
    const input = parseBody(Project, body);
    const id = state.nextProjectId();
    const project = {
      ...input,
      assignments_issuing_type: input.assignments_issuing_type ?? 'AUTOMATED',
      id,
      status: 'ACTIVE' as const,
      created: now(),
      owner: state.owner(),
    };
    state.projects.set(id, project);
    return created(project);
  });

  router.on('PUT', '/api/v1/projects/:id', ({ params, body }) => {
    const existing = find(params['id'] ?? '');
    const input = parseBody(Project, body);
    const updated = { ...input, id: existing.id, status: existing.status, created: existing.created, owner: existing.owner };
    state.projects.set(existing.id, updated);
    return ok(updated);
  });

  router.on('POST', '/api/v1/projects/:id/archive', ({ params }) => {
    const project = find(params['id'] ?? '');
    if (project.status === 'ARCHIVED') return noContent();
    const open = [...state.pools.values()].filter((p) => p.api.project_id === project.id && p.api.status !== 'ARCHIVED');
    if (open.length > 0) {
      throw conflict('UNARCHIVED_POOLS_CONFLICT', `Archive all pools of the project first: ${open.slice(0, 5).map((p) => p.api.id).join(', ')}${open.length > 5 ? '…' : ''}`);
    }
    const op = ops.start('PROJECT.ARCHIVE', { project_id: project.id }, () => {
      state.projects.set(project.id, { ...project, status: 'ARCHIVED' });
    });
    return accepted(op.api);
  });
}
