/**
 * `npm run aggregate -- --method mv|wawa|ds|glad --input <file> [--field <output field>]
 *  [--exclude-control] --output <file>`
 * One label per task from overlapping answers. The input is a `worker,task,label` CSV or a
 * results TSV (with --field naming its OUTPUT: column); the output a `task,label,confidence` CSV.
 */
import * as fs from 'node:fs';
import { methodById, methods } from '../src/aggregation';
import { readResponsesCsv, readResponsesFromResults, writeAggregatedCsv } from '../src/files/responses';

interface Args {
  method: string;
  input: string;
  output: string;
  field?: string;
  excludeControl: boolean;
  /** Print timings and peak memory as one JSON line (for the benchmark). */
  stats: boolean;
}

const usage = `usage: npm run aggregate -- --method ${methods.map((m) => m.id).join('|')} --input <worker,task,label CSV or results TSV> [--field <output field>] [--exclude-control] --output <task,label,confidence CSV>`;

function parse(argv: string[]): Args {
  const a: Partial<Args> & { excludeControl: boolean; stats: boolean } = { excludeControl: false, stats: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${String(flag)} needs a value\n${usage}`);
      return v;
    };
    if (flag === '--method') a.method = value();
    else if (flag === '--input') a.input = value();
    else if (flag === '--output') a.output = value();
    else if (flag === '--field') a.field = value();
    else if (flag === '--exclude-control') a.excludeControl = true;
    else if (flag === '--stats') a.stats = true;
    else throw new Error(`unknown option ${String(flag)}\n${usage}`);
  }
  if (!a.method || !a.input || !a.output) throw new Error(usage);
  return a as Args;
}

async function main(): Promise<void> {
  const args = parse(process.argv.slice(2));
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
    console.log(JSON.stringify({ readS: (read - started) / 1000, aggregateS: (ran - read) / 1000, writeS: (wrote - ran) / 1000, peakRssMiB: hwm ? Number(hwm[1]) / 1024 : null }));
  }
  console.error(
    `${method.label}: ${responses.tasks.length} responses, ${responses.taskNames.length} tasks, ${responses.workerNames.length} workers, ${responses.labelNames.length} labels; ` +
      `read ${((read - started) / 1000).toFixed(2)} s, aggregated ${((ran - read) / 1000).toFixed(2)} s, wrote ${args.output}`,
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
