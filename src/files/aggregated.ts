/**
 * Aggregated results as Toloka's web UI gives them: a TSV with the task's INPUT: values, the
 * chosen OUTPUT:<field> and its CONFIDENCE:<field>, one row per task. Made here either from a
 * results TSV (our aggregation methods) or from Toloka's own aggregate-by-pool operation.
 * No `vscode` import.
 */
import { CancelledError } from '../toloka/errors';
import { methodById, type Aggregated, type MethodId, type Responses } from '../aggregation';
import type { TolokaClient } from '../toloka/client';
import type { AggregatedSolution, Operation, Task, TaskSpec } from '../toloka/models';
import { readResponsesFromResults } from './responses';
import { formatValue, tsvRow } from './results';
import { TextWriter } from './textWriter';

export interface LocalAggregation {
  readonly tasks: number;
  readonly responses: number;
  readonly workers: number;
  readonly skippedControl: number;
  readonly output: string;
}

/** Runs a method on responses: in this thread by default, or elsewhere (a worker) when given. */
export type AggregationRunner = (method: MethodId, responses: Responses, signal?: AbortSignal) => Promise<Aggregated>;

export type AggregationStage = 'reading' | 'aggregating' | 'writing';

/** Aggregates one OUTPUT: field of a results TSV with one of our methods. */
export async function aggregateResultsFile(o: {
  input: string;
  field: string;
  method: MethodId;
  output: string;
  excludeControl?: boolean;
  signal?: AbortSignal;
  run?: AggregationRunner;
  onStage?: (stage: AggregationStage) => void;
}): Promise<LocalAggregation> {
  const method = methodById(o.method);
  if (!method) throw new Error(`unknown aggregation method ${o.method}`);
  o.onStage?.('reading');
  const read = await readResponsesFromResults(o.input, o.field, { excludeControl: o.excludeControl ?? false, ...(o.signal ? { signal: o.signal } : {}) });
  const r = read.responses;
  if (r.tasks.length === 0) throw new Error(`${o.input}: no answers in OUTPUT:${o.field}${read.skippedControl > 0 ? ` outside control tasks (${read.skippedControl} control rows left out)` : ''}`);
  o.onStage?.('aggregating');
  const result = o.run ? await o.run(o.method, r, o.signal) : method.run(r);
  if (o.signal?.aborted) throw new CancelledError();
  o.onStage?.('writing');
  const out = await TextWriter.open(o.output);
  try {
    await out.write(tsvRow([...read.inputHeaders, `OUTPUT:${o.field}`, `CONFIDENCE:${o.field}`]));
    for (let t = 0; t < r.taskNames.length; t++) {
      await out.write(tsvRow([...(read.inputs[t] ?? []), r.labelNames[result.labels[t] as number] ?? '', confidenceText(result.confidence[t] as number)]));
    }
  } finally {
    await out.close();
  }
  return { tasks: r.taskNames.length, responses: r.tasks.length, workers: r.workerNames.length, skippedControl: read.skippedControl, output: o.output };
}

/** A confidence to 6 decimals; empty for a method that has none (KOS: NaN). */
function confidenceText(c: number): string {
  return Number.isNaN(c) ? '' : String(Math.round(c * 1e6) / 1e6);
}

export type ServerAggregation = { type: 'DAWID_SKENE' } | { type: 'WEIGHTED_DYNAMIC_OVERLAP'; skillId: string };

/**
 * Runs Toloka's aggregate-by-pool on one output field, waits for its operation, and writes
 * the answers with their tasks' inputs. Answers and tasks both come in task id order, so the
 * two listings are merged as they stream: memory holds one page of each.
 */
export async function aggregateOnToloka(o: {
  client: TolokaClient;
  poolId: string;
  spec: TaskSpec;
  field: string;
  how: ServerAggregation;
  output: string;
  signal?: AbortSignal;
  onOperation?: (op: Operation) => void;
}): Promise<{ tasks: number; operation: Operation; output: string }> {
  const request =
    o.how.type === 'DAWID_SKENE'
      ? { type: 'DAWID_SKENE' as const, pool_id: o.poolId, fields: [{ name: o.field }] }
      : { type: 'WEIGHTED_DYNAMIC_OVERLAP' as const, pool_id: o.poolId, answer_weight_skill_id: o.how.skillId, fields: [{ name: o.field }] };
  const started = await o.client.aggregatedSolutions.aggregateByPool(request, { signal: o.signal });
  o.onOperation?.(started);
  const op = await o.client.operations.wait(started, { signal: o.signal });
  if (op.status !== 'SUCCESS') throw new Error(`Toloka's aggregation operation ${op.id} ended ${op.status}${op.details ? `: ${JSON.stringify(op.details)}` : ''}`);

  const inputs = Object.entries(o.spec.input_spec);
  const outputSpec = o.spec.output_spec[o.field];
  const taskIterator = o.client.tasks.all({ pool_id: o.poolId }, { limit: 10_000, signal: o.signal })[Symbol.asyncIterator]();
  let task: Task | undefined = (await taskIterator.next()).value as Task | undefined;
  const out = await TextWriter.open(o.output);
  let tasks = 0;
  try {
    await out.write(tsvRow([...inputs.map(([name]) => `INPUT:${name}`), `OUTPUT:${o.field}`, `CONFIDENCE:${o.field}`]));
    for await (const s of o.client.aggregatedSolutions.all(op.id, { signal: o.signal }) as AsyncIterable<AggregatedSolution>) {
      // Both in id order: advance the tasks to this answer's.
      while (task && (task.id ?? '') < s.task_id) task = (await taskIterator.next()).value as Task | undefined;
      // Should the two orders ever differ, the task is fetched on its own rather than left blank.
      const values = task?.id === s.task_id ? task.input_values : (await o.client.tasks.get(s.task_id, { signal: o.signal })).input_values;
      await out.write(tsvRow([...inputs.map(([name, spec]) => formatValue(values[name], spec)), formatValue(s.output_values[o.field], outputSpec), confidenceText(s.confidence)]));
      tasks++;
    }
  } finally {
    await out.close();
    await taskIterator.return?.(undefined);
  }
  return { tasks, operation: op, output: o.output };
}
