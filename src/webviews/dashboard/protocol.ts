/**
 * What the pool dashboard's webview and the extension say to each other, checked on arrival on
 * both sides (zod/mini: the webview's bundle stays small). No vscode import: the webview imports
 * it too.
 */
import * as z from 'zod/mini';

const num = z.number();
const optNum = z.optional(z.number());

export const DashboardSummary = z.object({
  poolId: z.string(),
  name: z.string(),
  projectName: z.string(),
  status: z.string(),
  closeReason: z.optional(z.string()),
  reward: num,
  /** Toloka's analytics, by metric name. */
  metrics: z.record(z.string(), num),
  spent: num,
  remaining: num,
  estimatedTotal: num,
  balance: optNum,
  /** Hours to completion at the last hour's pace; absent when nothing came lately. */
  etaHours: optNum,
  perHour: num,
  /** Seconds under which a suite counts as fast (the pool's fast-response rule, else a quarter of the median). */
  fastSeconds: optNum,
  /** Tolokers banned from this pool now (any scope). */
  banned: z.array(z.string()),
  /** The skills the pool's filter and rules name, and each Toloker's value of them (by Toloker, then skill id). */
  skills: z.array(z.object({ id: z.string(), name: z.string() })),
  skillValues: z.record(z.string(), z.record(z.string(), num)),
  refreshedAt: z.string(),
  refreshSeconds: num,
  live: z.boolean(),
});
export type DashboardSummary = z.infer<typeof DashboardSummary>;

const Toloker = z.object({
  workerId: z.string(),
  assignments: num,
  answers: num,
  goldenAccuracy: optNum,
  goldenAnswers: num,
  majorityAgreement: optNum,
  medianSeconds: optNum,
});

export const DashboardDetails = z.object({
  assignments: num,
  answers: num,
  perHour: z.array(z.tuple([num, num])),
  fields: z.array(z.object({ field: z.string(), counts: z.array(z.tuple([z.string(), num])) })),
  agreement: optNum,
  medianSeconds: optNum,
  tolokers: z.array(Toloker),
  mainField: z.optional(z.string()),
  /** Still reading a large pool's assignments for the first time. */
  partial: z.boolean(),
});
export type DashboardDetails = z.infer<typeof DashboardDetails>;

export const Profile = z.object({ country: z.optional(z.string()), languages: z.optional(z.array(z.string())) });
export type Profile = z.infer<typeof Profile>;

export const ToWebview = z.union([
  z.object({ type: z.literal('summary'), summary: DashboardSummary }),
  z.object({ type: z.literal('details'), details: DashboardDetails }),
  z.object({ type: z.literal('error'), message: z.string() }),
  z.object({ type: z.literal('busy'), busy: z.boolean() }),
  /** Where the Tolokers of the table are from (`/user-metadata`), for the first rows. */
  z.object({ type: z.literal('profiles'), profiles: z.record(z.string(), Profile) }),
]);
export type ToWebview = z.infer<typeof ToWebview>;

export const FromWebview = z.union([
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('refresh') }),
  z.object({ type: z.literal('open') }),
  z.object({ type: z.literal('close') }),
  z.object({ type: z.literal('ban'), workerId: z.string() }),
  z.object({ type: z.literal('unban'), workerId: z.string() }),
  z.object({ type: z.literal('bonus'), workerId: z.string() }),
]);
export type FromWebview = z.infer<typeof FromWebview>;

/** What the webview keeps over a reload (vscode.setState), and the serializer restores the panel from. */
export const DashboardState = z.object({ poolId: z.string() });
export type DashboardState = z.infer<typeof DashboardState>;
