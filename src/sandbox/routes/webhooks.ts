/** `/webhook-subscriptions`: bulk upsert, list, get, delete, test; delivery is WebhookDelivery's. */
import { randomUUID } from 'node:crypto';
import { WebhookSubscriptionForm } from '../../toloka/models';
import { notFound, validationFailed, type FieldErrors } from '../apiError';
import { listGeneric } from '../listing';
import { now } from '../state';
import { tolokerData } from '../tolokerState';
import { zodToFieldErrors } from '../validation';
import { isLoopbackUrl, post, type WebhookDelivery } from '../webhooks';
import { created, noContent, ok, type RouteContext } from './context';

export function registerWebhookRoutes({ router, state }: RouteContext, delivery: WebhookDelivery): void {
  const data = tolokerData(state);
  const view = ({ secret_key: _secret, ...sub }: { secret_key?: string | undefined } & Record<string, unknown>) => sub;

  const upsert = (raw: unknown): { errors: FieldErrors } | { sub: Record<string, unknown> } => {
    const parsed = WebhookSubscriptionForm.safeParse(raw);
    if (!parsed.success) return { errors: zodToFieldErrors(parsed.error, raw) };
    const form = parsed.data;
    if (!state.pools.has(form.pool_id)) return { errors: { pool_id: { code: 'ENTITY_DOES_NOT_EXIST', message: `There is no pool ${form.pool_id}` } } };
    if (!isLoopbackUrl(form.webhook_url)) return { errors: { webhook_url: { code: 'INVALID_URL_SYNTAX', message: 'The local sandbox delivers only to loopback URLs (http://127.0.0.1:…, http://localhost:…)' } } };
    const same = [...data.webhooks.values()].find((s) => s.pool_id === form.pool_id && s.event_type === form.event_type && s.webhook_url === form.webhook_url);
    const sub = { ...form, id: same?.id ?? randomUUID(), created: same?.created ?? now() };
    data.webhooks.set(sub.id, sub);
    if (!same) delivery.subscribed(sub);
    return { sub: view(sub) };
  };

  // An array gives {items, validation_errors} keyed by index (toloka-kit: 201); one object, the subscription (OpenAPI: 200).
  router.on('PUT', '/api/v1/webhook-subscriptions', ({ body }) => {
    if (!Array.isArray(body)) {
      const r = upsert(body);
      if ('errors' in r) throw validationFailed(r.errors);
      return ok(r.sub);
    }
    const items: Record<string, unknown> = {};
    const errors: Record<string, FieldErrors> = {};
    body.forEach((raw, i) => {
      const r = upsert(raw);
      if ('errors' in r) errors[String(i)] = r.errors;
      else items[String(i)] = r.sub;
    });
    return created(Object.keys(errors).length > 0 ? { items, validation_errors: errors } : { items });
  });

  router.on('GET', '/api/v1/webhook-subscriptions', ({ query }) =>
    ok(listGeneric([...data.webhooks.values()].map(view), query, {
      sortable: ['id', 'created'],
      ranges: ['id', 'created'],
      maxLimit: 300,
      where: (s) => (!query.get('pool_id') || s['pool_id'] === query.get('pool_id')) && (!query.get('event_type') || s['event_type'] === query.get('event_type')),
    })));

  router.on('GET', '/api/v1/webhook-subscriptions/:id', ({ params }) => {
    const s = data.webhooks.get(params['id'] ?? '');
    if (!s) throw notFound();
    return ok(view(s));
  });

  router.on('DELETE', '/api/v1/webhook-subscriptions/:id', ({ params }) => {
    const id = params['id'] ?? '';
    if (!data.webhooks.delete(id)) throw notFound();
    delivery.unsubscribed(id);
    return noContent();
  });

  router.on('POST', '/api/v1/webhook-subscriptions/:id/test', async ({ params }) => {
    const s = data.webhooks.get(params['id'] ?? '');
    if (!s) throw notFound();
    const pool = state.pools.get(s.pool_id);
    const event = { uuid: randomUUID(), event_time: now(), project_id: pool?.api.project_id, pool_id: s.pool_id, webhook_subscription_id: s.id, type: 'TEST_EVENT' };
    const r = await post(s.webhook_url, JSON.stringify({ events: [event] }), s.secret_key);
    return created({ success: r.success, responseReceivedAt: now(), ...(r.errorType ? { errorType: r.errorType } : {}), ...(r.status !== undefined ? { originalStatusCode: r.status } : {}), uuids: [event.uuid] });
  });
}
