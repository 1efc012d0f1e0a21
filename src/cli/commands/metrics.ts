/** `toloka metrics`: how much a crowd's answers agree, and with golden answers how accurate Tolokers and methods are. */
import { z } from 'zod';
import { methodIds } from '../../aggregation';
import { metricsFile, type MetricsReport } from '../../files/aggregateFile';
import { parseArgs, type SubcommandSpec } from '../args';
import { Exit } from '../exit';
import type { RunContext } from '../main';
import { peakRssMiB } from './stats';

export const spec: SubcommandSpec = {
  name: 'metrics',
  summary: "Agreement of the answers (consistency, uncertainty, Krippendorff's alpha), accuracy on the aggregates, and with golden answers each Toloker's and each method's accuracy.",
  usage: 'toloka metrics --input <file> [--field <output field>] [--exclude-control] [--gold <file>] [--methods <id,…>] [--workers <file>] [--json]',
  flags: [
    { name: 'input', kind: 'string', value: '<file>', help: 'a worker,task,label CSV, or a results TSV (with --field)' },
    { name: 'field', kind: 'string', value: '<name>', help: "a results TSV's answer column: OUTPUT:<name>" },
    { name: 'exclude-control', kind: 'boolean', help: 'leave rows with GOLDEN: values out (results TSV)' },
    { name: 'gold', kind: 'string', value: '<file>', help: 'golden answers (task,true_label): accuracy of each Toloker and each method' },
    { name: 'methods', kind: 'string', value: '<id,…>', help: `the methods whose accuracy is measured with --gold (default all: ${methodIds.join(',')})` },
    { name: 'workers', kind: 'string', value: '<file>', help: 'write the per-Toloker figures to this CSV' },
    { name: 'json', kind: 'boolean', help: 'print the figures as one JSON object' },
    { name: 'stats', kind: 'boolean', help: 'then print the time and peak memory as one JSON line' },
  ],
  notes: ['As crowd-kit 1.4 computes them: consistency from majority vote and each Toloker\'s agreement with it; uncertainty as the mean entropy of the answers per task.', 'Exit codes: 0 done, 1 bad input or an error.'],
};

const Args = z.object({
  input: z.string({ error: 'is required' }),
  field: z.string().optional(),
  excludeControl: z.boolean().default(false),
  gold: z.string().optional(),
  methods: z.string().optional(),
  workers: z.string().optional(),
  json: z.boolean().default(false),
  stats: z.boolean().default(false),
  positionals: z.array(z.string()).max(0, 'takes no positional arguments'),
});

/** The figures as lines for people. */
export function formatMetrics(m: MetricsReport): string {
  const f = (v: number): string => (Number.isNaN(v) ? 'n/a' : v.toFixed(6));
  const lines = [
    `${m.responses} responses, ${m.tasks} tasks, ${m.workers} Tolokers, ${m.labels} labels`,
    `consistency            ${f(m.consistency)}`,
    `uncertainty            ${f(m.uncertainty)}`,
    `Krippendorff's alpha   ${f(m.alphaKrippendorff)}`,
    `accuracy on aggregates ${f(m.accuracyOnAggregates)}  (answers matching the majority vote)`,
  ];
  if (m.gold) {
    lines.push(`golden tasks           ${m.gold.tasks}${m.gold.unmatched ? ` (${m.gold.unmatched} golden answers for tasks no one answered left out)` : ''}`);
    lines.push(`accuracy on gold       ${f(m.gold.workerAccuracy)}  (answers matching the golden ones)`);
    for (const [id, r] of Object.entries(m.gold.methods)) lines.push(`  ${id.padEnd(20)} ${'accuracy' in r ? f(r.accuracy) : `not run: ${r.error}`}`);
  }
  return `${lines.join('\n')}\n`;
}

export async function run(argv: readonly string[], ctx: RunContext): Promise<number> {
  const started = performance.now();
  const args = parseArgs(spec, Args, argv);
  const report = await metricsFile({
    input: args.input,
    excludeControl: args.excludeControl,
    signal: ctx.signal,
    ...(args.field !== undefined ? { field: args.field } : {}),
    ...(args.gold !== undefined ? { gold: args.gold } : {}),
    ...(args.workers !== undefined ? { workersOutput: args.workers } : {}),
    ...(args.methods !== undefined ? { methods: args.methods.split(',').map((m) => m.trim()) } : {}),
  });
  ctx.io.stdout.write(args.json ? `${JSON.stringify(report)}\n` : formatMetrics(report));
  // Reading is counted in the time: the figures come from one pass over the file and a few over the answers.
  if (args.stats) ctx.io.stdout.write(`${JSON.stringify({ readS: 0, aggregateS: (performance.now() - started) / 1000, peakRssMiB: peakRssMiB() })}\n`);
  return Exit.ok;
}
