/**
 * The sandbox's own route (Toloka has none like it): `POST /api/v1/sandbox/dry-runs` copies a
 * pool (with its project, training and skills) into the sandbox and runs it with a simulated
 * crowd at accelerated time, as an operation with progress; `…/:operation_id/cancel` stops it
 * early. The operation's details give the ids in the sandbox and the report.
 */
import { notFound } from '../apiError';
import { planDryRun, DryRunRequest } from '../dryrun/record';
import { buildReport } from '../dryrun/report';
import { dryRun } from '../dryrun/simulate';
import { parseBody } from '../validation';
import { accepted, noContent, type RouteContext } from './context';

export const DRY_RUN_OPERATION = 'SANDBOX.DRY_RUN';

export function registerDryRunRoutes({ router, state, ops }: RouteContext): void {
  const running = new Map<string, AbortController>();

  router.on('POST', '/api/v1/sandbox/dry-runs', ({ body }) => {
    const plan = planDryRun(state, parseBody(DryRunRequest, body));
    const abort = new AbortController();
    const op = ops.start(DRY_RUN_OPERATION, { pool_id: plan.ids.pool_id }, async ({ progress }) => {
      try {
        const result = await dryRun({ ...plan.input, signal: abort.signal, onProgress: (done) => progress(done * 99) });
        plan.record(result);
        return { ...plan.ids, report: buildReport(result, plan.input.seed) };
      } finally {
        running.delete(op.api.id);
      }
    });
    running.set(op.api.id, abort);
    return accepted(op.api);
  });

  router.on('POST', '/api/v1/sandbox/dry-runs/:id/cancel', ({ params }) => {
    const abort = running.get(params['id'] ?? '');
    if (!abort) {
      if (state.operations.get(params['id'] ?? '')?.api.type === DRY_RUN_OPERATION) return noContent();
      throw notFound();
    }
    abort.abort();
    return noContent();
  });
}
