import { Pool, PoolPatch, TrainingPool } from '../../toloka/models';
import { ApiError, conflict, notFound, validationFailed } from '../apiError';
import { listGeneric } from '../listing';
import { now, PoolData, type PoolKind, type PoolRec } from '../state';
import { parseBody } from '../validation';
import { accepted, created, noContent, ok, type RouteContext } from './context';

export function registerPoolRoutes(ctx: RouteContext): void {
  registerPoolLike(ctx, 'pool', '/api/v1/pools', 'POOL', 'pool_id');
  registerPoolLike(ctx, 'training', '/api/v1/trainings', 'TRAINING', 'training_id');

  const { router, state } = ctx;
  router.on('PATCH', '/api/v1/pools/:id', ({ params, body }) => {
    const pool = state.pools.get(params['id'] ?? '');
    if (!pool || pool.kind !== 'pool') throw notFound();
    if (pool.api.status === 'ARCHIVED') throw new ApiError(409, 'CONFLICT_STATE', '', undefined, true);
    const { priority } = parseBody(PoolPatch, body);
    pool.api = { ...pool.api, priority };
    return ok(pool.api);
  });
}

function registerPoolLike(ctx: RouteContext, kind: PoolKind, base: string, opPrefix: string, paramName: string): void {
  const { router, state, ops } = ctx;
  const model = kind === 'pool' ? Pool : TrainingPool;

  const find = (id: string): PoolRec => {
    const p = state.pools.get(id);
    if (!p || p.kind !== kind) throw notFound();
    return p;
  };

  const checkProject = (projectId: string): void => {
    if (!state.projects.has(projectId)) throw validationFailed({ project_id: { code: 'ENTITY_DOES_NOT_EXIST', message: 'Entity does not exist' } });
  };

  router.on('GET', base, ({ query }) =>
    ok(listGeneric([...state.pools.values()].filter((p) => p.kind === kind).map((p) => p.api), query, {
      sortable: ['id', 'created', 'last_started'],
      ranges: ['id', 'created', 'last_started'],
      maxLimit: 300,
      defaultLimit: 20,
      where: (p) => (!query.get('status') || p.status === query.get('status')) && (!query.get('project_id') || p.project_id === query.get('project_id')),
    })));

  router.on('GET', `${base}/:id`, ({ params }) => ok(find(params['id'] ?? '').api));

  router.on('POST', base, ({ body }) => {
    const input = parseBody(model, body);
    checkProject(input.project_id);
    const id = state.nextPoolId();
    const api = {
      ...input,
      id,
      status: 'CLOSED' as const,
      created: now(),
      owner: state.owner(),
      ...(kind === 'pool' ? { type: 'REGULAR' } : {}),
    };
    state.pools.set(id, { api, kind, data: new PoolData() });
    return created(api);
  });

  router.on('PUT', `${base}/:id`, ({ params, body }) => {
    const pool = find(params['id'] ?? '');
    if (pool.api.status === 'OPEN') throw conflict('INAPPROPRIATE_STATUS', 'Close the pool for update before changing it', { appropriate_statuses: ['CLOSED'] });
    if (pool.api.status === 'ARCHIVED') throw conflict('INAPPROPRIATE_STATUS', 'An archived pool cannot be changed; clone it instead', { appropriate_statuses: ['CLOSED'] });
    const input = parseBody(model, body);
    checkProject(input.project_id);
    const { id, status, created: createdAt, owner, last_close_reason, last_started, last_stopped } = pool.api;
    pool.api = { ...input, id, status, created: createdAt, owner, last_close_reason, last_started, last_stopped, ...(kind === 'pool' ? { type: 'REGULAR' } : {}) };
    return ok(pool.api);
  });

  router.on('POST', `${base}/:id/open`, ({ params }) => {
    const pool = find(params['id'] ?? '');
    if (pool.api.status === 'OPEN') return noContent();
    if (pool.api.status === 'ARCHIVED' || pool.api.status === 'LOCKED') {
      throw conflict('INAPPROPRIATE_STATUS', `A pool in status ${pool.api.status} cannot be opened`, { appropriate_statuses: ['CLOSED'] });
    }
    if (pool.data.tasks.length === 0 && pool.data.suites.length === 0) throw conflict('EMPTY_POOL', 'Pool contains no tasks. Operation is not allowed');
    const op = ops.start(`${opPrefix}.OPEN`, { [paramName]: pool.api.id }, () => {
      openPool(pool);
      ctx.onPoolOpened(pool.api.id);
    }, { lock: pool });
    return accepted(op.api);
  });

  const closeAction = (reason: 'MANUAL' | 'FOR_UPDATE') => ({ params }: { params: Record<string, string> }) => {
    const pool = find(params['id'] ?? '');
    if (pool.api.status === 'CLOSED') return noContent();
    if (pool.api.status === 'ARCHIVED') throw conflict('INAPPROPRIATE_STATUS', 'The pool is archived', { appropriate_statuses: ['OPEN'] });
    const op = ops.start(`${opPrefix}.CLOSE`, { [paramName]: pool.api.id }, () => closePool(pool, reason), { lock: pool });
    return accepted(op.api);
  };
  router.on('POST', `${base}/:id/close`, closeAction('MANUAL'));
  router.on('POST', `${base}/:id/close-for-update`, closeAction('FOR_UPDATE'));

  router.on('POST', `${base}/:id/archive`, ({ params }) => {
    const pool = find(params['id'] ?? '');
    if (pool.api.status === 'ARCHIVED') return noContent();
    if (pool.api.status !== 'CLOSED') throw conflict('INAPPROPRIATE_STATUS', 'Close the pool before archiving it', { appropriate_statuses: ['CLOSED'] });
    const op = ops.start(`${opPrefix}.ARCHIVE`, { [paramName]: pool.api.id }, () => {
      pool.api = { ...pool.api, status: 'ARCHIVED' };
    }, { lock: pool });
    return accepted(op.api);
  });

  router.on('POST', `${base}/:id/clone`, ({ params }) => {
    const pool = find(params['id'] ?? '');
    const op = ops.start(`${opPrefix}.CLONE`, { [paramName]: pool.api.id }, () => {
      const id = state.nextPoolId();
      const { last_close_reason: _r, last_started: _s, last_stopped: _t, ...settings } = pool.api;
      const api = { ...settings, id, status: 'CLOSED' as const, created: now() };
      state.pools.set(id, { api, kind, data: new PoolData() });
      return { [paramName]: id };
    }, { lock: pool });
    return accepted(op.api);
  });
}

export function openPool(pool: PoolRec): void {
  pool.api = { ...pool.api, status: 'OPEN', last_started: now() };
  delete pool.api.last_close_reason;
}

export function closePool(pool: PoolRec, reason: 'MANUAL' | 'FOR_UPDATE' | 'COMPLETED' | 'EXPIRED'): void {
  pool.api = { ...pool.api, status: 'CLOSED', last_close_reason: reason, last_stopped: now() };
}
