/** `toloka aggregate`: one label per task from overlapping answers (a ranking, a text or a set, by method). */
import { z } from 'zod';
import { allMethodIds, methodIds } from '../../aggregation';
import { aggregateFile, inputShapes } from '../../files/aggregateFile';
import { parseArgs, type SubcommandSpec } from '../args';
import { Exit } from '../exit';
import type { RunContext } from '../main';
import { peakRssMiB } from './stats';

export const spec: SubcommandSpec = {
  name: 'aggregate',
  summary: 'Aggregate overlapping answers: one label per task (a ranking for comparisons, a text for texts, a set for multi-label answers).',
  usage: 'toloka aggregate --method <id> --input <file> --output <file> [--field <output field>] [--exclude-control] [--gold <file>] [--weights <file>] [--base <id>]',
  flags: [
    { name: 'method', kind: 'string', value: `<${allMethodIds.join('|')}>`, help: 'the aggregation method; it decides what the input is (below)' },
    { name: 'input', kind: 'string', value: '<file>', help: 'the answers: a CSV, or a results TSV (with --field)' },
    { name: 'field', kind: 'string', value: '<name>', help: "a results TSV's answer column: OUTPUT:<name>" },
    { name: 'exclude-control', kind: 'boolean', help: 'leave rows with GOLDEN: values out (results TSV)' },
    { name: 'gold', kind: 'string', value: '<file>', help: 'ds: golden answers (task,true_label); those tasks keep them and train the model' },
    { name: 'weights', kind: 'string', value: '<file>', help: "mv: a weight per Toloker (worker,weight): weighted majority vote" },
    { name: 'base', kind: 'string', value: `<${methodIds.join('|')}>`, help: 'binary-relevance: the method run for each label (default mv)' },
    { name: 'output', kind: 'string', value: '<file>', help: 'where the result CSV goes' },
    { name: 'stats', kind: 'boolean', help: 'print timings and peak memory as one JSON line on stdout' },
  ],
  notes: [
    'Inputs and outputs by method:',
    `  ${methodIds.join(', ')}: ${inputShapes.labels} → task,label,confidence`,
    `  bt, noisy-bt: ${inputShapes.pairwise} → item,score,rank`,
    `  rover: ${inputShapes.texts} → task,text`,
    `  binary-relevance: ${inputShapes['multi-label']} → task,labels (a|b)`,
    'Exit codes: 0 done, 1 bad input or an error.',
  ],
};

const Args = z.object({
  method: z.string({ error: 'is required' }),
  input: z.string({ error: 'is required' }),
  field: z.string().optional(),
  excludeControl: z.boolean().default(false),
  gold: z.string().optional(),
  weights: z.string().optional(),
  base: z.string().optional(),
  output: z.string({ error: 'is required' }),
  stats: z.boolean().default(false),
  positionals: z.array(z.string()).max(0, 'takes no positional arguments'),
});

export async function run(argv: readonly string[], ctx: RunContext): Promise<number> {
  const { positionals: _, stats, ...args } = parseArgs(spec, Args, argv);
  const s = await aggregateFile({
    method: args.method,
    input: args.input,
    output: args.output,
    excludeControl: args.excludeControl,
    signal: ctx.signal,
    ...(args.field !== undefined ? { field: args.field } : {}),
    ...(args.gold !== undefined ? { gold: args.gold } : {}),
    ...(args.weights !== undefined ? { weights: args.weights } : {}),
    ...(args.base !== undefined ? { base: args.base } : {}),
  });
  if (stats) ctx.io.stdout.write(`${JSON.stringify({ readS: s.readSeconds, aggregateS: s.aggregateSeconds, writeS: s.writeSeconds, peakRssMiB: peakRssMiB() })}\n`);
  const what = s.kind === 'pairwise' ? `${s.responses} comparisons of ${s.tasks} items` : `${s.responses} responses, ${s.tasks} tasks`;
  ctx.reporter.event(
    'done',
    { method: s.method, kind: s.kind, responses: s.responses, tasks: s.tasks, workers: s.workers, output: args.output },
    `${s.method}: ${what}, ${s.workers} workers; read ${s.readSeconds.toFixed(2)} s, aggregated ${s.aggregateSeconds.toFixed(2)} s, wrote ${args.output}`,
  );
  return Exit.ok;
}
