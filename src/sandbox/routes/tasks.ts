import { OverlapPatch, Task, TaskPatch, TaskSuite, TaskSuitePatch, type OperationLogItem } from '../../toloka/models';
import { ApiError, notFound, requireParam, validationFailed, type FieldErrors } from '../apiError';
import { listSortedById } from '../listing';
import { now, type PoolRec, type SandboxState, type SuiteRec, type TaskRec } from '../state';
import { checkValues, parseBody, withoutNulls, zodToFieldErrors } from '../validation';
import { created, ok, type RouteContext } from './context';
import { openPool } from './pools';

interface CreateFlags {
  readonly allowDefaults: boolean;
  readonly skipInvalid: boolean;
  readonly openPool: boolean;
}

type Kind = 'task' | 'suite';

function flagsOf(query: URLSearchParams): CreateFlags {
  return {
    allowDefaults: query.get('allow_defaults') === 'true',
    skipInvalid: query.get('skip_invalid_items') === 'true',
    openPool: query.get('open_pool') === 'true',
  };
}

/** Validates one item against the model, its pool and the project's specs. */
function prepare(state: SandboxState, kind: Kind, raw: unknown, flags: CreateFlags): { pool: PoolRec; item: Record<string, unknown> } | { errors: FieldErrors } {
  raw = withoutNulls(raw);
  const parsed = (kind === 'task' ? Task : TaskSuite).safeParse(raw);
  if (!parsed.success) return { errors: zodToFieldErrors(parsed.error, raw) };
  const item = parsed.data as Record<string, unknown> & { pool_id: string; overlap?: number };
  const pool = state.pools.get(item.pool_id);
  if (!pool) return { errors: { pool_id: { code: 'ENTITY_DOES_NOT_EXIST', message: 'Entity does not exist' } } };
  if (pool.api.status === 'ARCHIVED') return { errors: { pool_id: { code: 'INAPPROPRIATE_STATUS', message: 'The pool is archived' } } };
  const project = state.projects.get(pool.api.project_id);
  const errors: FieldErrors = {};
  if (project) {
    const spec = project.task_spec;
    const check = (values: unknown, prefix: string, outputs: boolean): void => {
      if (!values || typeof values !== 'object') return;
      const specMap = outputs ? Object.fromEntries(Object.entries(spec.output_spec).map(([k, v]) => [k, { ...v, required: false }])) : spec.input_spec;
      Object.assign(errors, checkValues(specMap, values as Record<string, unknown>, prefix));
    };
    if (kind === 'task') {
      check(item['input_values'], 'input_values', false);
      (item['known_solutions'] as Array<{ output_values: unknown }> | undefined)?.forEach((s, i) => check(s.output_values, `known_solutions.${i}.output_values`, true));
    } else {
      if (item['baseline_solutions'] !== undefined) errors['baseline_solutions'] = { code: 'VALUE_NOT_ALLOWED', message: 'baseline_solutions are not allowed in task suites' };
      (item['tasks'] as Array<{ input_values: unknown; known_solutions?: Array<{ output_values: unknown }> }>).forEach((t, i) => {
        check(t.input_values, `tasks.${i}.input_values`, false);
        t.known_solutions?.forEach((s, j) => check(s.output_values, `tasks.${i}.known_solutions.${j}.output_values`, true));
      });
    }
  }
  if (item.overlap === undefined && item['infinite_overlap'] !== true) {
    const defaults = (pool.api as { defaults?: { default_overlap_for_new_tasks?: number; default_overlap_for_new_task_suites?: number } }).defaults;
    const fallback = kind === 'task' ? defaults?.default_overlap_for_new_tasks : defaults?.default_overlap_for_new_task_suites;
    const hasKnown = kind === 'task' && Array.isArray(item['known_solutions']) && (item['known_solutions'] as unknown[]).length > 0;
    if (flags.allowDefaults && fallback !== undefined) item.overlap = fallback;
    else if (hasKnown) item.overlap = 1;
    else errors['overlap'] = { code: 'VALUE_REQUIRED', message: 'Value must be present and not equal to null: set overlap, or pass allow_defaults=true with a pool default' };
  }
  return Object.keys(errors).length > 0 ? { errors } : { pool, item };
}

function insert(state: SandboxState, kind: Kind, pool: PoolRec, item: Record<string, unknown>, createdAt: string): string {
  const id = state.nextItemId(pool.api.id);
  if (kind === 'task') {
    const overlap = (item['overlap'] as number | undefined) ?? 1;
    // The parsed item is ours alone: complete it in place rather than copying a million objects.
    const api = Object.assign(item as Task, { id, created: createdAt, remaining_overlap: overlap });
    const rec: TaskRec = { api, workers: undefined, active: 0 };
    pool.data.tasks.push(rec);
    if (api.known_solutions && api.known_solutions.length > 0) pool.data.golden.push(rec);
  } else {
    const suite = item as TaskSuite;
    const tasks = suite.tasks.map((t) => ({ ...t, id: t.id ?? state.nextItemId(pool.api.id) }));
    const overlap = suite.overlap ?? 1;
    const rec: SuiteRec = { api: { ...suite, tasks, id, created: createdAt, remaining_overlap: overlap }, workers: undefined, active: 0 };
    pool.data.suites.push(rec);
  }
  return id;
}

export function registerTaskRoutes(ctx: RouteContext): void {
  registerItems(ctx, 'task', '/api/v1/tasks', 'TASK');
  registerItems(ctx, 'suite', '/api/v1/task-suites', 'TASK_SUITE');
}

function registerItems(ctx: RouteContext, kind: Kind, base: string, opPrefix: string): void {
  const { router, state, ops } = ctx;
  const outputKey = kind === 'task' ? 'task_id' : 'task_suite_id';

  const afterCreate = (pools: Set<PoolRec>, flags: CreateFlags): void => {
    if (!flags.openPool) return;
    for (const pool of pools) {
      if (pool.api.status === 'CLOSED') {
        openPool(pool);
        ctx.onPoolOpened(pool.api.id);
      }
    }
  };

  router.on('POST', base, async ({ query, body }) => {
    const flags = flagsOf(query);
    const asyncMode = query.get('async_mode') === 'true';
    if (!asyncMode) {
      if (!Array.isArray(body)) {
        const r = prepare(state, kind, body, flags);
        if ('errors' in r) throw validationFailed(r.errors);
        const id = insert(state, kind, r.pool, r.item, now());
        afterCreate(new Set([r.pool]), flags);
        return created(kind === 'task' ? state.findTask(id)?.api : state.findSuite(id)?.api);
      }
      if (body.length > 5000) throw new ApiError(413, 'ENTITY_TOO_LARGE', 'A synchronous request takes at most 5,000 items; use async_mode=true');
      const prepared = body.map((raw) => prepare(state, kind, raw, flags));
      const validationErrors: Record<string, FieldErrors> = {};
      prepared.forEach((p, i) => {
        if ('errors' in p) validationErrors[String(i)] = p.errors;
      });
      if (Object.keys(validationErrors).length > 0 && !flags.skipInvalid) throw validationFailed(validationErrors as unknown as FieldErrors);
      const items: Record<string, unknown> = {};
      const touched = new Set<PoolRec>();
      const at = now();
      prepared.forEach((p, i) => {
        if ('errors' in p) return;
        const id = insert(state, kind, p.pool, p.item, at);
        touched.add(p.pool);
        items[String(i)] = kind === 'task' ? state.findTask(id)?.api : state.findSuite(id)?.api;
      });
      afterCreate(touched, flags);
      return created(flags.skipInvalid ? { items, validation_errors: validationErrors } : { items });
    }

    const list: unknown[] = Array.isArray(body) ? body : [body];
    const operationId = query.get('operation_id') ?? undefined;
    if (operationId !== undefined && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(operationId)) {
      throw validationFailed({ operation_id: { code: 'UUID_EXPECTED', message: 'Value must be a UUID' } });
    }
    const log: OperationLogItem[] = [];
    const op = ops.start(`${opPrefix}.BATCH_CREATE`, { skip_invalid_items: flags.skipInvalid, allow_defaults: flags.allowDefaults, open_pool: flags.openPool }, async ({ progress, yieldNow }) => {
      const CHUNK = 2000;
      const prepared: Array<ReturnType<typeof prepare>> = [];
      for (let i = 0; i < list.length; i += CHUNK) {
        for (let j = i; j < Math.min(list.length, i + CHUNK); j++) prepared.push(prepare(state, kind, list[j], flags));
        progress((prepared.length / list.length) * 50);
        await yieldNow();
      }
      const invalid = prepared.filter((p) => 'errors' in p).length;
      if (invalid > 0 && !flags.skipInvalid) {
        prepared.forEach((p, i) => {
          if ('errors' in p) log.push({ type: kind === 'task' ? 'TASK_VALIDATE' : 'TASK_SUITE_VALIDATE', success: false, input: list[i] as Record<string, unknown>, output: p.errors });
        });
        throw Object.assign(new Error(`${invalid} invalid item(s); nothing was created`), { details: true });
      }
      const touched = new Set<PoolRec>();
      const at = now();
      for (let i = 0; i < prepared.length; i += CHUNK) {
        for (let j = i; j < Math.min(prepared.length, i + CHUNK); j++) {
          const p = prepared[j];
          const input = list[j] as Record<string, unknown>;
          if (!p) continue;
          if ('errors' in p) {
            log.push({ type: kind === 'task' ? 'TASK_VALIDATE' : 'TASK_SUITE_VALIDATE', success: false, input, output: p.errors });
            continue;
          }
          const id = insert(state, kind, p.pool, p.item, at);
          touched.add(p.pool);
          log.push({ type: kind === 'task' ? 'TASK_CREATE' : 'TASK_SUITE_CREATE', success: true, input, output: { [outputKey]: id } });
        }
        progress(50 + (Math.min(prepared.length, i + CHUNK) / prepared.length) * 50);
        await yieldNow();
      }
      afterCreate(touched, flags);
      return { total_count: list.length, valid_count: list.length - invalid, not_valid_count: invalid, success_count: list.length - invalid, failed_count: invalid };
    }, { ...(operationId ? { id: operationId } : {}), log });
    return created(op.api);
  });

  router.on('GET', base, ({ query }) => {
    const poolId = kind === 'task' ? requireParam(query.get('pool_id') ?? undefined, 'pool_id') : query.get('pool_id') ?? undefined;
    if (kind === 'suite' && !poolId) {
      const taskId = requireParam(query.get('task_id') ?? undefined, 'pool_id');
      const pool = state.poolOfItem(taskId);
      const suites = (pool?.data.suites ?? []).filter((s) => s.api.tasks.some((t) => t.id === taskId));
      return ok(listSortedById(suites, (s) => s.api.id, (s) => s.api, query, { sortable: ['id', 'created'], ranges: ['id', 'created', 'overlap'], maxLimit: 100_000 }));
    }
    const pool = state.pools.get(poolId ?? '');
    if (!pool) return ok({ items: [], has_more: false });
    const overlap = query.get('overlap');
    const where = overlap === null ? undefined : (t: { overlap?: number | undefined }) => t.overlap === Number(overlap);
    const spec = { sortable: ['id', 'created'], ranges: ['id', 'created', 'overlap'], maxLimit: 100_000, ...(where ? { where } : {}) };
    return kind === 'task'
      ? ok(listSortedById(pool.data.tasks, (t) => t.api.id, (t) => t.api, query, spec))
      : ok(listSortedById(pool.data.suites, (s) => s.api.id, (s) => s.api, query, spec));
  });

  const find = (id: string): TaskRec | SuiteRec => {
    const rec = kind === 'task' ? state.findTask(id) : state.findSuite(id);
    if (!rec) throw notFound();
    return rec;
  };

  router.on('GET', `${base}/:id`, ({ params }) => ok(find(params['id'] ?? '').api));

  const setOverlap = (rec: TaskRec | SuiteRec, overlap: number): void => {
    const current = rec.api.overlap ?? 1;
    const issued = current - (rec.api.remaining_overlap ?? current);
    const next = Math.max(overlap, issued);
    rec.api.overlap = next;
    rec.api.remaining_overlap = next - issued;
  };

  router.on('PATCH', `${base}/:id/set-overlap-or-min`, ({ params, body }) => {
    const rec = find(params['id'] ?? '');
    setOverlap(rec, parseBody(OverlapPatch, body).overlap);
    return ok(rec.api);
  });

  router.on('PATCH', `${base}/:id`, ({ params, body, query }) => {
    const rec = find(params['id'] ?? '');
    const b: Record<string, unknown> = parseBody(kind === 'task' ? TaskPatch : TaskSuitePatch, body ?? {});
    if (typeof b['overlap'] === 'number') setOverlap(rec, b['overlap']);
    for (const key of ['infinite_overlap', 'baseline_solutions', 'known_solutions', 'message_on_unknown_solution', 'issuing_order_override'] as const) {
      if (b[key] !== undefined) (rec.api as Record<string, unknown>)[key] = b[key];
    }
    if (query.get('open_pool') === 'true') {
      const pool = state.poolOfItem(rec.api.id);
      if (pool && pool.api.status === 'CLOSED') {
        openPool(pool);
        ctx.onPoolOpened(pool.api.id);
      }
    }
    return ok(rec.api);
  });
}
