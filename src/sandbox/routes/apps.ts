import { z } from 'zod';
import { ApiError, conflict, notFound, validationFailed, type FieldErrors } from '../apiError';
import { hash32 } from '../rng';
import { AppBatchCreate, AppBatchPatch, type AppBatchStatus } from '../../toloka/models';
import { now, type AppBatchRec, type AppItemRec } from '../state';
import { parseBody } from '../validation';
import { ok, type RouteContext } from './context';

type AppState = RouteContext['state'];

/** The apps the local sandbox offers: one text classifier, enough to stream items through. */
export const builtInApps = [
  {
    id: 'text-classification',
    name: 'Text classification',
    description: 'Sorts short texts into the categories you name.',
    default_item_price: 0.05,
    param_spec: { type: 'object', required: ['categories'], properties: { categories: { type: 'array', items: { type: 'string' } } } },
    input_spec: { text: { type: 'string', required: true } },
    output_spec: { result: { type: 'string', required: true }, confidence: { type: 'float', required: true } },
  },
];

export const CreateAppProject = z.looseObject({
  app_id: z.string(),
  name: z.string().min(1),
  parameters: z.record(z.string(), z.unknown()),
  parent_app_project_id: z.string().optional(),
});

export const BulkItems = z.looseObject({
  items: z.array(z.record(z.string(), z.unknown())).min(1),
  batch_id: z.string().optional(),
  ignore_errors: z.boolean().optional(),
  force_new_original: z.boolean().optional(),
});

function checkItems(items: readonly unknown[], ignoreErrors: boolean): FieldErrors {
  const errors: FieldErrors = {};
  items.forEach((item, i) => {
    const text = (item as { text?: unknown } | null)?.text;
    if (typeof text !== 'string' || text === '') errors[`input_data.${i}.text`] = { code: text === undefined ? 'VALUE_REQUIRED' : 'STRING_EXPECTED', message: 'text must be a non-empty string' };
  });
  if (Object.keys(errors).length > 0 && !ignoreErrors) throw validationFailed(errors);
  return errors;
}

/** Checks and stores items (in a batch, which holds them until it starts, or streaming at once); returns their ids. */
function addItems(state: AppState, projectId: string, items: readonly unknown[], batchId: string | undefined, ignoreErrors: boolean): string[] {
  if (items.length > 10_000) throw new ApiError(413, 'ENTITY_TOO_LARGE', 'At most 10,000 items per request');
  const errors = checkItems(items, ignoreErrors);
  const list = state.appItems.get(projectId) ?? [];
  const ids: string[] = [];
  const at = now();
  items.forEach((item, i) => {
    if (`input_data.${i}.text` in errors) return;
    const id = state.nextAppId();
    const rec: AppItemRec = {
      api: { id, app_project_id: projectId, ...(batchId ? { batch_id: batchId } : {}), status: 'NEW', input_data: item as Record<string, unknown>, output_data: null, errors: [], created_at: at, started_at: null, finished_at: null },
      doneAt: 0,
    };
    list.push(rec);
    ids.push(id);
  });
  state.appItems.set(projectId, list);
  return ids;
}

function itemsOf(state: AppState, batch: AppBatchRec): AppItemRec[] {
  return (state.appItems.get(batch.api.app_project_id) ?? []).filter((i) => i.api.batch_id === batch.api.id);
}

/** Whether an item waits in a batch that has not started (Toloka labels it only after Start). */
export function isHeld(batches: ReadonlyMap<string, AppBatchRec>, item: AppItemRec): boolean {
  const b = item.api.batch_id === undefined ? undefined : batches.get(item.api.batch_id);
  return b !== undefined && !b.api.started_at;
}

/** A batch's status as Toloka works it out from its items (and whether it was stopped or archived). */
function batchStatus(batch: AppBatchRec, items: readonly AppItemRec[]): AppBatchStatus {
  if (batch.api.archived) return 'ARCHIVE';
  if (!batch.api.started_at) return 'NEW';
  const done = items.length > 0 && items.every((i) => i.api.status === 'COMPLETED');
  if (done) return 'COMPLETED';
  if (batch.api.stopped) return items.some((i) => i.api.status === 'PROCESSING') ? 'STOPPING' : 'STOPPED';
  return 'PROCESSING';
}

/** A batch as Toloka answers it: status and counts worked out from its items. */
function batchView(state: AppState, batch: AppBatchRec) {
  const items = itemsOf(state, batch);
  const perState: Record<string, number> = {};
  for (const i of items) perState[i.api.status] = (perState[i.api.status] ?? 0) + 1;
  const completed = perState['COMPLETED'] ?? 0;
  const status = batchStatus(batch, items);
  const price = state.appProjects.get(batch.api.app_project_id)?.item_price ?? 0;
  const finished = items.length > 0 && completed === items.length ? items.reduce((m, i) => ((i.api.finished_at ?? '') > m ? (i.api.finished_at ?? '') : m), '') : null;
  const { stopped: _stopped, archived: _archived, ...api } = batch.api;
  return {
    ...api,
    status,
    item_count: items.length,
    items_per_state: perState,
    items_processed_count: completed,
    item_price: price,
    cost: Math.round(price * items.length * 100) / 100,
    cost_of_processed: Math.round(price * completed * 100) / 100,
    read_only: batch.api.started_at !== null || batch.api.archived === true,
    finished_at: finished,
  };
}

/** Toloka's 409 for a batch action its status does not allow. */
function wrongStatus(batch: AppBatchRec, status: AppBatchStatus, action: string, appropriate: readonly AppBatchStatus[]): ApiError {
  return conflict('INAPPROPRIATE_STATUS', `Batch ${batch.api.id} is ${status}: it can be ${action} only when ${appropriate.join(' or ')}`, { appropriate_statuses: appropriate });
}

function contentPage<T extends { id: string }>(items: T[], query: URLSearchParams, max: number) {
  const limitRaw = Number(query.get('limit') ?? 100);
  if (!Number.isInteger(limitRaw) || limitRaw < 1 || limitRaw > max) throw validationFailed({ limit: { code: 'VALUE_OUT_OF_BOUNDS', message: `limit must be from 1 to ${max}` } });
  const after = query.get('after_id');
  let start = 0;
  if (after) {
    const i = items.findIndex((x) => x.id === after);
    start = i < 0 ? items.length : i + 1;
  }
  return { content: items.slice(start, start + limitRaw), has_more: start + limitRaw < items.length };
}

export function registerAppRoutes({ router, state }: RouteContext): void {
  router.on('GET', '/api/app/v0/apps', ({ query }) => ok(contentPage([...builtInApps], query, 1000)));
  router.on('GET', '/api/app/v0/apps/:id', ({ params }) => {
    const app = builtInApps.find((a) => a.id === params['id']);
    if (!app) throw notFound();
    return ok(app);
  });

  const findProject = (id: string) => {
    const p = state.appProjects.get(id);
    if (!p) throw notFound();
    return p;
  };

  router.on('GET', '/api/app/v0/app-projects', ({ query }) => {
    const list = [...state.appProjects.values()]
      .filter((p) => (!query.get('app_id') || p.app_id === query.get('app_id')) && (!query.get('status') || p.status === query.get('status')))
      .sort((a, b) => (a.id < b.id ? -1 : 1));
    return ok(contentPage(list, query, 5000));
  });

  router.on('POST', '/api/app/v0/app-projects', ({ body }) => {
    const input = parseBody(CreateAppProject, body);
    const app = builtInApps.find((a) => a.id === input.app_id);
    if (!app) throw validationFailed({ app_id: { code: 'ENTITY_DOES_NOT_EXIST', message: 'Entity does not exist' } });
    if (!Array.isArray(input.parameters['categories']) || input.parameters['categories'].length < 2) {
      throw validationFailed({ 'parameters.categories': { code: 'VALUE_REQUIRED', message: 'Name at least two categories' } });
    }
    const id = state.nextAppId();
    const project = { ...input, id, parent_app_project_id: input.parent_app_project_id ?? '', status: 'READY' as const, created: now(), item_price: app.default_item_price, errors: [], read_only: false, app: { id: app.id, name: app.name } };
    state.appProjects.set(id, project);
    state.appItems.set(id, []);
    return ok(project);
  });

  router.on('GET', '/api/app/v0/app-projects/:id', ({ params }) => ok(findProject(params['id'] ?? '')));

  router.on('POST', '/api/app/v0/app-projects/:id/archive', ({ params }) => {
    const p = findProject(params['id'] ?? '');
    state.appProjects.set(p.id, { ...p, status: 'ARCHIVED' });
    return { status: 200 };
  });

  router.on('POST', '/api/app/v0/app-projects/:id/unarchive', ({ params }) => {
    const p = findProject(params['id'] ?? '');
    state.appProjects.set(p.id, { ...p, status: 'READY' });
    return { status: 200 };
  });

  router.on('POST', '/api/app/v0/app-projects/:id/items/bulk', ({ params, body }) => {
    const project = findProject(params['id'] ?? '');
    const input = parseBody(BulkItems, body);
    if (input.batch_id !== undefined) {
      const batch = state.appBatches.get(input.batch_id);
      if (!batch || batch.api.app_project_id !== project.id) throw validationFailed({ batch_id: { code: 'ENTITY_DOES_NOT_EXIST', message: `Batch ${input.batch_id} does not exist in app project ${project.id}` } });
      if (batch.api.started_at) throw conflict('BATCH_READ_ONLY', `Batch ${batch.api.id} has started: add items to a batch before it starts`);
      if (batch.api.archived) throw conflict('BATCH_READ_ONLY', `Batch ${batch.api.id} is archived: unarchive it to add items`);
    }
    return ok(addItems(state, project.id, input.items, input.batch_id, input.ignore_errors ?? false));
  });

  const findBatch = (projectId: string, batchId: string): AppBatchRec => {
    const b = state.appBatches.get(batchId);
    if (!b || b.api.app_project_id !== projectId) throw notFound();
    return b;
  };

  router.on('GET', '/api/app/v0/app-projects/:id/batches', ({ params, query }) => {
    const project = findProject(params['id'] ?? '');
    const status = query.get('status');
    const list = [...state.appBatches.values()].filter((b) => b.api.app_project_id === project.id).map((b) => batchView(state, b)).filter((b) => !status || b.status === status);
    return ok(contentPage(list.sort((a, b) => (a.id < b.id ? -1 : 1)), query, 1000));
  });

  router.on('POST', '/api/app/v0/app-projects/:id/batches', ({ params, body }) => {
    const project = findProject(params['id'] ?? '');
    const input = parseBody(AppBatchCreate, body ?? {});
    if ((input.items?.length ?? 0) > 0) checkItems(input.items ?? [], input.ignore_errors ?? false);
    const id = state.nextAppId();
    const rec: AppBatchRec = { api: { id, app_project_id: project.id, name: input.name ?? `Batch ${id}`, priority_order: input.priority_order ?? 'FIVE', created_at: now(), started_at: null } };
    state.appBatches.set(id, rec);
    if (input.items && input.items.length > 0) addItems(state, project.id, input.items, id, input.ignore_errors ?? false);
    return ok(batchView(state, rec));
  });

  router.on('GET', '/api/app/v0/app-projects/:id/batches/:batchId', ({ params }) => ok(batchView(state, findBatch(findProject(params['id'] ?? '').id, params['batchId'] ?? ''))));

  router.on('PATCH', '/api/app/v0/app-projects/:id/batches/:batchId', ({ params, body }) => {
    const batch = findBatch(findProject(params['id'] ?? '').id, params['batchId'] ?? '');
    const patch = parseBody(AppBatchPatch, body ?? {});
    if (patch.name !== undefined) batch.api.name = patch.name;
    if (patch.priority_order !== undefined) batch.api.priority_order = patch.priority_order;
    return ok(batchView(state, batch));
  });

  /** A batch and its status, for the actions below. */
  const acting = (params: Record<string, string | undefined>) => {
    const batch = findBatch(findProject(params['id'] ?? '').id, params['batchId'] ?? '');
    const items = itemsOf(state, batch);
    return { batch, items, status: batchStatus(batch, items) };
  };

  // Same-state requests (stop a stopped batch, resume a running one…) are no-ops, as with pools; the rest is Toloka's 409.
  router.on('POST', '/api/app/v0/app-projects/:id/batches/:batchId/stop', ({ params }) => {
    const { batch, items, status } = acting(params);
    if (status === 'STOPPING' || status === 'STOPPED') return { status: 200 };
    if (status !== 'PROCESSING') throw wrongStatus(batch, status, 'stopped', ['PROCESSING']);
    batch.api.stopped = true;
    // The sandbox stops at once: unfinished items (labeling under way included) wait as STOPPED for Resume.
    for (const i of items) {
      if (i.api.status !== 'NEW' && i.api.status !== 'PROCESSING') continue;
      i.api.status = 'STOPPED';
      i.api.started_at = null;
      i.doneAt = 0;
    }
    return { status: 200 };
  });

  router.on('POST', '/api/app/v0/app-projects/:id/batches/:batchId/resume', ({ params }) => {
    const { batch, items, status } = acting(params);
    if (status === 'PROCESSING') return { status: 200 };
    if (status !== 'STOPPING' && status !== 'STOPPED') throw wrongStatus(batch, status, 'resumed', ['STOPPING', 'STOPPED']);
    batch.api.stopped = false;
    for (const i of items) if (i.api.status === 'STOPPED') i.api.status = 'NEW';
    return { status: 200 };
  });

  router.on('POST', '/api/app/v0/app-projects/:id/batches/:batchId/archive', ({ params }) => {
    const { batch, status } = acting(params);
    if (status === 'ARCHIVE') return { status: 200 };
    if (status === 'PROCESSING' || status === 'QUEUED' || status === 'STOPPING') throw wrongStatus(batch, status, 'archived', ['NEW', 'STOPPED', 'COMPLETED']);
    batch.api.archived = true;
    return { status: 200 };
  });

  router.on('POST', '/api/app/v0/app-projects/:id/batches/:batchId/unarchive', ({ params }) => {
    const { batch } = acting(params);
    batch.api.archived = false;
    return { status: 200 };
  });

  router.on('POST', '/api/app/v0/app-projects/:id/batches/:batchId/start', ({ params }) => {
    const batch = findBatch(findProject(params['id'] ?? '').id, params['batchId'] ?? '');
    if (batch.api.archived) throw wrongStatus(batch, 'ARCHIVE', 'started', ['NEW']);
    if (batch.api.started_at) return { status: 200 };
    if (itemsOf(state, batch).length === 0) throw conflict('EMPTY_BATCH', `Batch ${batch.api.id} has no items to start`);
    batch.api.started_at = now();
    return { status: 200 };
  });

  router.on('GET', '/api/app/v0/app-projects/:id/items', ({ params, query }) => {
    const project = findProject(params['id'] ?? '');
    const sort = query.get('sort') ?? 'id';
    const status = query.get('status');
    const batchId = query.get('batch_id');
    let items = (state.appItems.get(project.id) ?? []).map((r) => r.api).filter((i) => (!status || i.status === status) && (!batchId || i.batch_id === batchId));
    if (sort === 'finished') {
      // Streaming consumers page by finish time: only finished items have one.
      items = items.filter((i) => i.finished_at).sort((a, b) => ((a.finished_at ?? '') < (b.finished_at ?? '') ? -1 : (a.finished_at ?? '') > (b.finished_at ?? '') ? 1 : a.id < b.id ? -1 : 1));
    } else if (sort === 'created') items = [...items].sort((a, b) => ((a.created_at ?? '') < (b.created_at ?? '') ? -1 : 1));
    else if (sort !== 'id') throw validationFailed({ sort: { code: 'VALUE_NOT_ALLOWED', message: 'sort must be id, created or finished' } });
    return ok(contentPage(items, query, 1000));
  });

  router.on('GET', '/api/app/v0/app-projects/:id/items/:itemId', ({ params }) => {
    const item = (state.appItems.get(findProject(params['id'] ?? '').id) ?? []).find((i) => i.api.id === params['itemId']);
    if (!item) throw notFound();
    return ok(item.api);
  });
}

/** Moves app items along: NEW → PROCESSING → COMPLETED, with a classification as the output. */
export function processAppItems(state: { appProjects: Map<string, { parameters: Record<string, unknown> }>; appItems: Map<string, AppItemRec[]>; appBatches: ReadonlyMap<string, AppBatchRec> }, nowMs: number, itemMs: number, seed: number): void {
  for (const [projectId, items] of state.appItems) {
    const categories = (state.appProjects.get(projectId)?.parameters['categories'] as string[] | undefined) ?? ['yes', 'no'];
    for (const rec of items) {
      if (rec.api.status === 'NEW' && !isHeld(state.appBatches, rec)) {
        rec.api.status = 'PROCESSING';
        rec.api.started_at = now();
        rec.doneAt = nowMs + itemMs;
      } else if (rec.api.status === 'PROCESSING' && rec.doneAt <= nowMs) {
        const h = hash32(`${seed}/${rec.api.id}`);
        rec.api.status = 'COMPLETED';
        rec.api.finished_at = now();
        rec.api.output_data = { result: categories[h % categories.length], confidence: 0.7 + (h % 300) / 1000 };
      }
    }
  }
}
