/** What the aggregation worker and its caller send each other, checked on arrival. */
import * as z from 'zod/mini';
import { methodIds } from './methods';

const names = z.array(z.string());

export const AggregationRequest = z.object({
  method: z.enum(methodIds),
  responses: z.object({
    workers: z.instanceof(Int32Array),
    tasks: z.instanceof(Int32Array),
    labels: z.instanceof(Int32Array),
    workerNames: names,
    taskNames: names,
    labelNames: names,
  }),
  inputs: z.optional(z.object({ gold: z.optional(z.instanceof(Int32Array)), weights: z.optional(z.instanceof(Float64Array)) })),
});

export const AggregationReply = z.object({ labels: z.instanceof(Int32Array), confidence: z.instanceof(Float64Array) });
