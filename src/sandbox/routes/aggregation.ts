import { dawidSkene, majorityVote, ResponseBuilder } from '../../aggregation';
import { AggregateByPoolRequest, type AggregatedSolution, type Assignment } from '../../toloka/models';
import { notFound, validationFailed } from '../apiError';
import { aggregateBySkill, possibleAnswers } from '../qc/dynamicOverlap';
import { liveQc } from '../qc/live';
import { binarySearchAfter, type PoolRec } from '../state';
import { parseBody } from '../validation';
import { accepted, ok, type RouteContext } from './context';
import { parseLimit } from '../listing';

/** Accepted answers to `field` as (worker, task, label) triples; labels are JSON texts. */
function responses(assignments: readonly Assignment[], field: string): ResponseBuilder {
  const b = new ResponseBuilder();
  for (const a of assignments) {
    if (a.status !== 'ACCEPTED' || !a.solutions) continue;
    a.tasks.forEach((t, i) => {
      const v = a.solutions?.[i]?.output_values[field];
      if (v !== undefined && v !== null && t.id && !(t.known_solutions && t.known_solutions.length > 0)) b.add(a.user_id, t.id, JSON.stringify(v));
    });
  }
  return b;
}

/** A Toloker's accuracy on control tasks, smoothed as the docs describe: (K + right) / (2K + total). */
function goldenAccuracy(pool: PoolRec, field: string): Map<string, number> {
  const K = 0.5;
  const tally = new Map<string, { right: number; total: number }>();
  for (const a of pool.data.assignments) {
    if (!a.solutions) continue;
    a.tasks.forEach((t, i) => {
      const known = t.known_solutions?.[0]?.output_values[field];
      if (known === undefined) return;
      const s = tally.get(a.user_id) ?? { right: 0, total: 0 };
      s.total++;
      if (JSON.stringify(a.solutions?.[i]?.output_values[field]) === JSON.stringify(known)) s.right++;
      tally.set(a.user_id, s);
    });
  }
  return new Map([...tally].map(([w, s]) => [w, (K + s.right) / (2 * K + s.total)]));
}

export function registerAggregationRoutes({ router, state, ops }: RouteContext): void {
  router.on('POST', '/api/v1/aggregated-solutions/aggregate-by-pool', ({ body }) => {
    const request = parseBody(AggregateByPoolRequest, body);
    const pool = state.pools.get(request.pool_id);
    if (!pool || pool.kind !== 'pool') throw validationFailed({ pool_id: { code: 'ENTITY_DOES_NOT_EXIST', message: 'Entity does not exist' } });
    const project = state.projects.get(pool.api.project_id);
    const outputFields = Object.keys(project?.task_spec.output_spec ?? {});
    const field = request.fields[0]?.name ?? outputFields[0];
    if (!field || !outputFields.includes(field)) throw validationFailed({ 'fields.0.name': { code: 'VALUE_NOT_ALLOWED', message: `No output field ${String(field)} in the project` } });
    const op = ops.start('SOLUTION.AGGREGATE', { pool_id: pool.api.id, algorithm: request.type, project_id: pool.api.project_id, aggregated_output_fields: [field] }, async ({ yieldNow }) => {
      await yieldNow();
      const r = responses(pool.data.assignments, field).build();
      let result;
      if (request.type === 'DAWID_SKENE') result = dawidSkene(r);
      else {
        // Weighted by each Toloker's value of answer_weight_skill_id, as Toloka does; a Toloker without it by their
        // control-task accuracy. The docs' maths, as dynamic overlap does it.
        const accuracy = goldenAccuracy(pool, field);
        const weights = new Map<string, number>();
        for (const us of liveQc(state).userSkills.values()) if (us.skill_id === request.answer_weight_skill_id) weights.set(us.user_id, us.exact_value);
        const skillOf = (user: string): number => weights.get(user) ?? 100 * (accuracy.get(user) ?? 0.5);
        result = majorityVote(r);
        const possible = possibleAnswers(project?.task_spec.output_spec ?? {}, [{ name: field }]) ?? r.labelNames.length;
        const byTask = new Map<number, number[]>();
        for (let i = 0; i < r.tasks.length; i++) (byTask.get(r.tasks[i] as number) ?? byTask.set(r.tasks[i] as number, []).get(r.tasks[i] as number))?.push(i);
        for (const [t, idx] of byTask) {
          const answers = idx.map((i) => ({ answer: { [field]: r.labelNames[r.labels[i] as number] }, skill: skillOf(r.workerNames[r.workers[i] as number] ?? '') }));
          const aggregate = aggregateBySkill(answers, [field], possible);
          result.labels[t] = r.labelNames.indexOf(aggregate.output_values[field] as string);
          result.confidence[t] = aggregate.confidence;
        }
      }
      const solutions: AggregatedSolution[] = r.taskNames.map((taskId, t) => ({
        pool_id: pool.api.id,
        task_id: taskId,
        confidence: result.confidence[t] as number,
        output_values: { [field]: JSON.parse(r.labelNames[result.labels[t] as number] ?? 'null') as unknown },
      }));
      solutions.sort((a, b) => (a.task_id < b.task_id ? -1 : 1));
      state.aggregations.set(op.api.id, solutions);
      return {};
    });
    return accepted(op.api);
  });

  router.on('GET', '/api/v1/aggregated-solutions/:opId', ({ params, query }) => {
    const solutions = state.aggregations.get(params['opId'] ?? '');
    if (!solutions) throw notFound();
    const limit = parseLimit(query, 100_000, 50);
    const gt = query.get('task_id_gt');
    const start = gt ? binarySearchAfter(solutions, (s) => s.task_id, gt) : 0;
    return ok({ items: solutions.slice(start, start + limit), has_more: start + limit < solutions.length });
  });
}
