/** The routes about Tolokers beyond tasks: bonuses, a ban by id, Toloker metadata, webhook subscriptions, messages. */
import { notFound } from '../apiError';
import { WebhookDelivery } from '../webhooks';
import { registerBonusRoutes, type KnownToloker } from './bonuses';
import { ok, type RouteContext } from './context';
import { registerMessageRoutes } from './messages';
import { registerWebhookRoutes } from './webhooks';

export function registerTolokerRoutes(ctx: RouteContext, known: KnownToloker, everyone: () => string[]): { stop(): Promise<void> } {
  registerBonusRoutes(ctx, known);
  ctx.router.on('GET', '/api/v1/user-restrictions/:id', ({ params }) => {
    const r = ctx.state.restrictions.get(params['id'] ?? '');
    if (!r) throw notFound();
    return ok(r);
  });
  // Made up from the id, the same every time: a sandbox Toloker's profile.
  ctx.router.on('GET', '/api/v1/user-metadata/:id', ({ params }) => {
    const id = params['id'] ?? '';
    if (!known(id)) throw notFound();
    const n = parseInt(id.slice(0, 8), 16);
    const countries = ['RU', 'US', 'DE', 'IN', 'BR', 'TR', 'UA', 'KZ'];
    const langs = ['EN', 'RU', 'DE', 'HI', 'PT', 'TR', 'UK', 'KK'];
    const i = n % countries.length;
    const devices = ['PERSONAL_COMPUTER', 'SMARTPHONE', 'TABLET'] as const;
    const device = devices[n % 3] ?? 'SMARTPHONE';
    return ok({
      id, country: countries[i], languages: [...new Set(['EN', langs[i] ?? 'EN'])], adult_allowed: n % 2 === 0,
      attributes: { country_by_phone: countries[i], country_by_ip: countries[(n >> 3) % countries.length], client_type: device === 'SMARTPHONE' ? 'TOLOKA_APP' : 'BROWSER', user_agent_type: device === 'PERSONAL_COMPUTER' ? 'BROWSER' : 'MOBILE_BROWSER', device_category: device, os_family: device === 'PERSONAL_COMPUTER' ? 'WINDOWS' : 'ANDROID', os_version: 11, os_version_major: 11, os_version_minor: 0, os_version_bugfix: 0 },
    });
  });
  const delivery = new WebhookDelivery(ctx.state);
  registerWebhookRoutes(ctx, delivery);
  const messages = registerMessageRoutes(ctx, everyone);
  return {
    stop: async () => {
      messages.stop();
      await delivery.stop();
    },
  };
}
