import { AssignmentPatch, type Assignment } from '../../toloka/models';
import { conflict, notFound, validationFailed } from '../apiError';
import { listGeneric, listSortedById } from '../listing';
import { now } from '../state';
import { liveQc } from '../qc/live';
import { parseBody } from '../validation';
import { ok, type RouteContext } from './context';

const DATE_FIELDS = ['created', 'submitted', 'accepted', 'rejected', 'skipped', 'expired'];

export function registerAssignmentRoutes({ router, state }: RouteContext): void {
  router.on('GET', '/api/v1/assignments', ({ query }) => {
    const poolId = query.get('pool_id');
    const suiteId = query.get('task_suite_id');
    const taskId = query.get('task_id');
    const anchor = poolId ?? suiteId ?? taskId;
    if (!anchor) throw validationFailed({ pool_id: { code: 'VALUE_REQUIRED', message: 'One of pool_id, task_suite_id or task_id is required' } });
    const pool = poolId ? state.pools.get(poolId) : state.poolOfItem(anchor);
    if (!pool) return ok({ items: [], has_more: false });
    const statuses = query.get('status')?.split(',').filter(Boolean);
    const userId = query.get('user_id');
    const where = (a: Assignment): boolean =>
      (!statuses || statuses.includes(a.status)) &&
      (!userId || a.user_id === userId) &&
      (!suiteId || a.task_suite_id === suiteId) &&
      (!taskId || a.tasks.some((t) => t.id === taskId));
    const spec = { sortable: ['id', ...DATE_FIELDS], ranges: ['id', ...DATE_FIELDS], maxLimit: 100_000, where };
    const sort = query.get('sort') ?? 'id';
    return ok(sort === 'id' ? listSortedById(pool.data.assignments, (a) => a.id, (a) => a, query, spec) : listGeneric(pool.data.assignments, query, spec));
  });

  router.on('GET', '/api/v1/assignments/:id', ({ params }) => {
    const a = state.findAssignment(params['id'] ?? '');
    if (!a) throw notFound();
    return ok(a);
  });

  router.on('PATCH', '/api/v1/assignments/:id', ({ params, body }) => {
    const a = state.findAssignment(params['id'] ?? '');
    if (!a) throw notFound();
    const patch = parseBody(AssignmentPatch, body);
    const allowed = (a.status === 'SUBMITTED' && (patch.status === 'ACCEPTED' || patch.status === 'REJECTED')) || (a.status === 'REJECTED' && patch.status === 'ACCEPTED');
    if (!allowed) {
      throw conflict('INAPPROPRIATE_STATUS', `An assignment in status ${a.status} cannot become ${patch.status}`, { appropriate_statuses: patch.status === 'ACCEPTED' ? ['SUBMITTED', 'REJECTED'] : ['SUBMITTED'] });
    }
    a.status = patch.status;
    if (patch.public_comment !== undefined) a.public_comment = patch.public_comment;
    if (patch.status === 'ACCEPTED') a.accepted = now();
    else a.rejected = now();
    const pool = state.poolOfItem(a.id);
    if (pool) liveQc(state).assessed(pool, a);
    return ok(a);
  });
}
