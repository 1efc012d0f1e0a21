/** What the dashboard's stats worker and the extension send each other, checked on arrival. No vscode import. */
import { z } from 'zod';
import { FieldSpecMap } from '../toloka/models';

export const ToStatsWorker = z.discriminatedUnion('type', [
  z.object({ type: z.literal('init'), output: FieldSpecMap }),
  /** One listing page of assignments, as the bytes came (transferred, not copied). */
  z.object({ type: z.literal('page'), bytes: z.instanceof(ArrayBuffer) }),
  z.object({ type: z.literal('snapshot') }),
]);
export type ToStatsWorker = z.infer<typeof ToStatsWorker>;

const Row = z.object({
  workerId: z.string(),
  assignments: z.number(),
  answers: z.number(),
  goldenAccuracy: z.number().optional(),
  goldenAnswers: z.number(),
  majorityAgreement: z.number().optional(),
  medianSeconds: z.number().optional(),
});

export const StatsSnapshot = z.object({
  assignments: z.number(),
  answers: z.number(),
  perHour: z.array(z.tuple([z.number(), z.number()])),
  recentMinutes: z.array(z.tuple([z.number(), z.number()])),
  fields: z.array(z.object({ field: z.string(), counts: z.array(z.tuple([z.string(), z.number()])) })),
  agreement: z.number().optional(),
  medianSeconds: z.number().optional(),
  tolokers: z.array(Row),
  mainField: z.string().optional(),
});

export type PoolStatsSnapshot = z.infer<typeof StatsSnapshot>;
export type TolokerRow = z.infer<typeof Row>;
export type FieldDistribution = PoolStatsSnapshot['fields'][number];

export const FromStatsWorker = z.discriminatedUnion('type', [
  /** A page was read: how many assignments it held, how many were new, the latest submission time in it. */
  z.object({ type: z.literal('page-done'), items: z.number(), added: z.number(), maxSubmitted: z.string().nullable(), lastId: z.string().nullable(), hasMore: z.boolean() }),
  z.object({ type: z.literal('snapshot'), snapshot: StatsSnapshot }),
  z.object({ type: z.literal('error'), message: z.string() }),
]);
export type FromStatsWorker = z.infer<typeof FromStatsWorker>;
