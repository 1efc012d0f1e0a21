/** The routes about Tolokers beyond tasks: bonuses, a ban by id, webhook subscriptions, messages. */
import { notFound } from '../apiError';
import { WebhookDelivery } from '../webhooks';
import { registerBonusRoutes, type KnownToloker } from './bonuses';
import { ok, type RouteContext } from './context';
import { registerMessageRoutes } from './messages';
import { registerWebhookRoutes } from './webhooks';

export function registerTolokerRoutes(ctx: RouteContext, known: KnownToloker, everyone: () => string[]): { stop(): void } {
  registerBonusRoutes(ctx, known);
  ctx.router.on('GET', '/api/v1/user-restrictions/:id', ({ params }) => {
    const r = ctx.state.restrictions.get(params['id'] ?? '');
    if (!r) throw notFound();
    return ok(r);
  });
  const delivery = new WebhookDelivery(ctx.state);
  registerWebhookRoutes(ctx, delivery);
  const messages = registerMessageRoutes(ctx, everyone);
  return {
    stop: () => {
      delivery.stop();
      messages.stop();
    },
  };
}
