/** `toloka aggregate`: one label per task from overlapping answers, with the extension's own methods. */
import * as fs from 'node:fs';
import { z } from 'zod';
import { methodById, methods } from '../../aggregation';
import { readResponsesCsv, readResponsesFromResults, writeAggregatedCsv } from '../../files/responses';
import { parseArgs, type SubcommandSpec } from '../args';
import { Exit } from '../exit';
import type { RunContext } from '../main';

export const spec: SubcommandSpec = {
  name: 'aggregate',
  summary: 'Aggregate overlapping answers into one label per task (majority vote, Wawa, Dawid-Skene, GLAD).',
  usage: 'toloka aggregate --method <id> --input <file> [--field <output field>] [--exclude-control] --output <file>',
  flags: [
    { name: 'method', kind: 'string', value: `<${methods.map((m) => m.id).join('|')}>`, help: 'the aggregation method' },
    { name: 'input', kind: 'string', value: '<file>', help: 'a worker,task,label CSV, or a results TSV (with --field)' },
    { name: 'field', kind: 'string', value: '<name>', help: "a results TSV's answer column: OUTPUT:<name>" },
    { name: 'exclude-control', kind: 'boolean', help: 'leave rows with GOLDEN: values out (results TSV)' },
    { name: 'output', kind: 'string', value: '<file>', help: 'where the task,label,confidence CSV goes' },
    { name: 'stats', kind: 'boolean', help: 'print timings and peak memory as one JSON line on stdout' },
  ],
  notes: ['Exit codes: 0 done, 1 bad input or an error.'],
};

const Args = z.object({
  method: z.string({ error: 'is required' }),
  input: z.string({ error: 'is required' }),
  field: z.string().optional(),
  excludeControl: z.boolean().default(false),
  output: z.string({ error: 'is required' }),
  stats: z.boolean().default(false),
  positionals: z.array(z.string()).max(0, 'takes no positional arguments'),
});

export async function run(argv: readonly string[], ctx: RunContext): Promise<number> {
  const args = parseArgs(spec, Args, argv);
  const method = methodById(args.method);
  if (!method) throw new Error(`unknown method "${args.method}"; choose one of ${methods.map((m) => m.id).join(', ')}`);
  const started = performance.now();
  const tsv = /\.(tsv|tab)$/i.test(args.input);
  if (tsv && !args.field) throw new Error(`${args.input} is a results TSV: name the answer column with --field (its OUTPUT:<field>)`);
  const responses = tsv ? (await readResponsesFromResults(args.input, args.field ?? '', { excludeControl: args.excludeControl })).responses : await readResponsesCsv(args.input);
  const read = performance.now();
  const aggregated = method.run(responses);
  const ran = performance.now();
  await writeAggregatedCsv(args.output, responses, aggregated);
  const wrote = performance.now();
  if (args.stats) {
    const hwm = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    ctx.io.stdout.write(`${JSON.stringify({ readS: (read - started) / 1000, aggregateS: (ran - read) / 1000, writeS: (wrote - ran) / 1000, peakRssMiB: hwm ? Number(hwm[1]) / 1024 : null })}\n`);
  }
  ctx.reporter.event(
    'done',
    { method: method.id, responses: responses.tasks.length, tasks: responses.taskNames.length, workers: responses.workerNames.length, labels: responses.labelNames.length, output: args.output },
    `${method.label}: ${responses.tasks.length} responses, ${responses.taskNames.length} tasks, ${responses.workerNames.length} workers, ${responses.labelNames.length} labels; read ${((read - started) / 1000).toFixed(2)} s, aggregated ${((ran - read) / 1000).toFixed(2)} s, wrote ${args.output}`,
  );
  return Exit.ok;
}
