/**
 * What the dry-run report's webview and the extension say to each other, checked on arrival on
 * both sides (zod/mini: the webview's bundle stays small). The report is the `*.dry-run.json`
 * the dry-run writes, checked field by field. No vscode import: the webview imports it too.
 */
import * as z from 'zod/mini';

const num = z.number();
const counts = z.record(z.string(), num);

export const ReportData = z.object({
  seed: num,
  crowd: num,
  cancelled: z.boolean(),
  pool: z.object({ name: z.string(), status: z.string(), tasks: num, controlTasks: num, reopened: num, tasksUnfinished: num }),
  simulatedHours: num,
  assignments: counts,
  training: z.optional(z.object({ assignments: counts, passed: num, failed: num })),
  cost: z.object({ rewards: num, fee: num, total: num }),
  rules: z.array(z.object({ pool: z.enum(['pool', 'training']), config: num, rule: num, collector: z.string(), conditions: z.string(), action: z.string(), fired: num, subjects: num })),
  bans: z.object({ tolokers: num, byRule: counts }),
  archetypes: z.array(z.object({ archetype: z.string(), tolokers: num, banned: num, failedTraining: z.optional(num), submitted: num, skipped: num, accuracy: z.nullable(num) })),
  skills: z.array(z.object({ skillId: z.string(), tolokers: num, mean: num })),
  recompletions: z.object({ suites: num, reopenedPool: num, lost: num, byRule: counts }),
  captchas: z.object({ shown: num, failed: num }),
  dynamicOverlap: z.object({ extraAnswers: num, tasks: num }),
  accuracy: z.object({ field: z.nullable(z.string()), answers: z.nullable(num), methods: counts }),
  medianSecondsPerSuite: z.nullable(num),
  findings: z.array(z.string()),
});
export type ReportData = z.infer<typeof ReportData>;

export const ToWebview = z.union([
  z.object({ type: z.literal('report'), file: z.string(), report: ReportData }),
  z.object({ type: z.literal('error'), message: z.string() }),
]);
export type ToWebview = z.infer<typeof ToWebview>;

export const FromWebview = z.union([z.object({ type: z.literal('ready') }), z.object({ type: z.literal('openMarkdown') }), z.object({ type: z.literal('reload') })]);
export type FromWebview = z.infer<typeof FromWebview>;

/** What the webview keeps over a reload (vscode.setState), and the serializer restores the panel from. */
export const ReportState = z.object({ file: z.string() });
export type ReportState = z.infer<typeof ReportState>;
