/** The routes about Tolokers beyond tasks: bonuses, a ban by id, and what else is added here. */
import { notFound } from '../apiError';
import { registerBonusRoutes, type KnownToloker } from './bonuses';
import { ok, type RouteContext } from './context';

export function registerTolokerRoutes(ctx: RouteContext, known: KnownToloker): void {
  registerBonusRoutes(ctx, known);
  ctx.router.on('GET', '/api/v1/user-restrictions/:id', ({ params }) => {
    const r = ctx.state.restrictions.get(params['id'] ?? '');
    if (!r) throw notFound();
    return ok(r);
  });
}
