import { UserRestriction } from '../../toloka/models';
import { conflict, notFound, requireParam } from '../apiError';
import { listGeneric } from '../listing';
import { parseBody } from '../validation';
import { noContent, ok, type RouteContext } from './context';

export function registerMiscRoutes({ router, state }: RouteContext): void {
  router.on('GET', '/api/v1/requester', () => ok(state.requester));

  router.on('GET', '/api/v1/user-restrictions', ({ query }) => {
    const match = (r: UserRestriction, key: 'scope' | 'user_id' | 'project_id' | 'pool_id'): boolean => !query.get(key) || r[key] === query.get(key);
    return ok(listGeneric(state.restrictions.values(), query, {
      sortable: ['id', 'created'],
      ranges: ['id', 'created'],
      maxLimit: 500,
      where: (r) => match(r, 'scope') && match(r, 'user_id') && match(r, 'project_id') && match(r, 'pool_id'),
    }));
  });

  // An upsert: one ban per scope, Toloker and project or pool.
  router.on('PUT', '/api/v1/user-restrictions', ({ body }) => {
    return ok(state.putRestriction(parseBody(UserRestriction, body)));
  });

  router.on('DELETE', '/api/v1/user-restrictions/:id', ({ params }) => {
    const r = state.restrictions.get(params['id'] ?? '');
    if (!r) throw notFound();
    if (r.scope === 'SYSTEM') throw conflict('CONFLICT_STATE', 'A SYSTEM restriction cannot be removed');
    state.restrictions.delete(r.id);
    return noContent();
  });

  router.on('GET', '/api/v1/attachments', ({ query }) => {
    const poolId = query.get('pool_id');
    const assignmentId = query.get('assignment_id');
    requireParam(poolId ?? assignmentId ?? undefined, 'pool_id');
    return ok(listGeneric([...state.attachments.values()].map((a) => a.api), query, {
      sortable: ['id', 'created'],
      ranges: ['id', 'created'],
      maxLimit: 100,
      where: (a) => (!poolId || a.details?.pool_id === poolId) && (!assignmentId || a.details?.assignment_id === assignmentId) && (!query.get('user_id') || a.details?.user_id === query.get('user_id')),
    }));
  });

  router.on('GET', '/api/v1/attachments/:id', ({ params }) => {
    const a = state.attachments.get(params['id'] ?? '');
    if (!a) throw notFound();
    return ok(a.api);
  });

  router.on('GET', '/api/v1/attachments/:id/download', ({ params }) => {
    const a = state.attachments.get(params['id'] ?? '');
    if (!a) throw notFound();
    return { status: 200, raw: { data: a.content, contentType: a.api.media_type } };
  });
}
