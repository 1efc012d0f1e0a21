import { z } from 'zod';
import { ApiError, notFound, validationFailed, type FieldErrors } from '../apiError';
import { hash32 } from '../rng';
import { now, type AppItemRec } from '../state';
import { parseBody } from '../validation';
import { ok, type RouteContext } from './context';

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

const CreateAppProject = z.looseObject({
  app_id: z.string(),
  name: z.string().min(1),
  parameters: z.record(z.string(), z.unknown()),
  parent_app_project_id: z.string().optional(),
});

const BulkItems = z.looseObject({
  items: z.array(z.unknown()).min(1),
  batch_id: z.string().optional(),
  ignore_errors: z.boolean().optional(),
});

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
    if (input.items.length > 10_000) throw new ApiError(413, 'ENTITY_TOO_LARGE', 'At most 10,000 items per request');
    const errors: FieldErrors = {};
    input.items.forEach((item, i) => {
      const text = (item as { text?: unknown } | null)?.text;
      if (typeof text !== 'string' || text === '') errors[`input_data.${i}.text`] = { code: text === undefined ? 'VALUE_REQUIRED' : 'STRING_EXPECTED', message: 'text must be a non-empty string' };
    });
    if (Object.keys(errors).length > 0 && !input.ignore_errors) throw validationFailed(errors);
    const list = state.appItems.get(project.id) ?? [];
    const ids: string[] = [];
    const at = now();
    input.items.forEach((item, i) => {
      if (`input_data.${i}.text` in errors) return;
      const id = state.nextAppId();
      const rec: AppItemRec = {
        api: { id, app_project_id: project.id, ...(input.batch_id ? { batch_id: input.batch_id } : {}), status: 'NEW', input_data: item as Record<string, unknown>, output_data: null, errors: [], created_at: at, started_at: null, finished_at: null },
        doneAt: 0,
      };
      list.push(rec);
      ids.push(id);
    });
    state.appItems.set(project.id, list);
    return ok(ids);
  });

  router.on('GET', '/api/app/v0/app-projects/:id/items', ({ params, query }) => {
    const project = findProject(params['id'] ?? '');
    const sort = query.get('sort') ?? 'id';
    const status = query.get('status');
    let items = (state.appItems.get(project.id) ?? []).map((r) => r.api).filter((i) => !status || i.status === status);
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
export function processAppItems(state: { appProjects: Map<string, { parameters: Record<string, unknown> }>; appItems: Map<string, AppItemRec[]> }, nowMs: number, itemMs: number, seed: number): void {
  for (const [projectId, items] of state.appItems) {
    const categories = (state.appProjects.get(projectId)?.parameters['categories'] as string[] | undefined) ?? ['yes', 'no'];
    for (const rec of items) {
      if (rec.api.status === 'NEW') {
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
