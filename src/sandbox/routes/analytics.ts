import { z } from 'zod';
import { AnalyticsRequest } from '../../toloka/models';
import { analyticsAnswers } from '../analytics';
import { validationFailed } from '../apiError';
import { now } from '../state';
import { parseBody } from '../validation';
import { accepted, type RouteContext } from './context';

const Requests = z.array(AnalyticsRequest).min(1).max(10);

/** `POST /api/staging/analytics-2`: an ANALYTICS operation whose details hold the answers. */
export function registerAnalyticsRoutes({ router, state, ops }: RouteContext): void {
  router.on('POST', '/api/staging/analytics-2', ({ body }) => {
    const requests = parseBody(Requests, body);
    requests.forEach((r, i) => {
      if (!state.pools.has(r.subject_id)) throw validationFailed({ [`${i}.subject_id`]: { code: 'ENTITY_DOES_NOT_EXIST', message: 'Entity does not exist' } });
    });
    const op = ops.start('ANALYTICS', { value: requests }, () => ({ value: analyticsAnswers(requests, (id) => state.pools.get(id), Date.now(), now()) }));
    return accepted(op.api);
  });
}
