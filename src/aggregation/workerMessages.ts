/** What the aggregation worker and its caller send each other, checked on arrival. */
import * as z from 'zod/mini';

const names = z.array(z.string());

export const AggregationRequest = z.object({
  method: z.enum(['mv', 'wawa', 'ds', 'glad']),
  responses: z.object({
    workers: z.instanceof(Int32Array),
    tasks: z.instanceof(Int32Array),
    labels: z.instanceof(Int32Array),
    workerNames: names,
    taskNames: names,
    labelNames: names,
  }),
});

export const AggregationReply = z.object({ labels: z.instanceof(Int32Array), confidence: z.instanceof(Float64Array) });
