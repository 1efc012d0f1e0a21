import { ApiError, notFound } from '../apiError';
import { listGeneric } from '../listing';
import { ok, type RouteContext } from './context';

export function registerOperationRoutes({ router, state }: RouteContext): void {
  router.on('GET', '/api/v1/operations', ({ query }) =>
    ok(listGeneric(state.operationOrder.map((id) => state.operations.get(id)?.api).filter((o) => o !== undefined), query, {
      sortable: ['id', 'submitted', 'finished'],
      ranges: ['id', 'submitted', 'finished'],
      maxLimit: 500,
      where: (o) => (!query.get('type') || o.type === query.get('type')) && (!query.get('status') || o.status === query.get('status')),
    })));

  router.on('GET', '/api/v1/operations/:id', ({ params }) => {
    const rec = state.operations.get(params['id'] ?? '');
    if (!rec) throw notFound();
    return ok(rec.api);
  });

  router.on('GET', '/api/v1/operations/:id/log', ({ params }) => {
    const rec = state.operations.get(params['id'] ?? '');
    if (!rec) throw notFound();
    if (!rec.log) throw new ApiError(409, 'INVALID_OPERATION_TYPE', `Operations of type ${rec.api.type} have no log`);
    return ok(rec.log);
  });
}
