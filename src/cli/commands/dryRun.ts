/** `toloka dry-run`: a pool file run in a local simulation with its quality control and a seeded crowd; a report, nothing sent or paid. */
import { z } from 'zod';
import { dryRunToFiles, loadDryRun, runInSandbox, type DryRunOutcome } from '../../files/dryRunFiles';
import { apiRootOf, TolokaClient } from '../../toloka/client';
import { dollars } from '../../toloka/pricing';
import { parseArgs, type SubcommandSpec } from '../args';
import { Exit } from '../exit';
import type { RunContext } from '../main';

export const spec: SubcommandSpec = {
  name: 'dry-run',
  summary: "Run a pool file with its quality control (bans, skills, training, recompletion) against a simulated crowd at accelerated time, and write a report: cost, rules fired, bans by archetype, accuracy, findings. Nothing is sent to Toloka.",
  usage: 'toloka dry-run <pool file> [--tasks <file>] [--crowd <json> | --crowd-from <results.tsv>] [--seed N] [--sample N] [--generate N] [--in-sandbox <url>] --report <file.md>',
  flags: [
    { name: 'tasks', kind: 'string', value: '<file>', help: 'the tasks (JSON, JSONL or TSV; default: x.tasks.* beside x.pool.json, else generated)' },
    { name: 'crowd', kind: 'string', value: '<json>', help: 'the simulated crowd: {"size": 200, "archetypes": [{"name", "share", "accuracy", "strategy", "secondsPerTask", "skipRate", …}]}' },
    { name: 'crowd-from', kind: 'string', value: '<results.tsv>', help: "fit the crowd from an earlier pool's results TSV: one simulated Toloker per real one" },
    { name: 'crowd-field', kind: 'string', value: '<name>', help: 'the OUTPUT: column --crowd-from scores (default the first output field)' },
    { name: 'seed', kind: 'string', value: '<n>', help: 'the seed of the crowd and its answers (default 1)' },
    { name: 'sample', kind: 'string', value: '<n>', help: 'use only the first n tasks of the file' },
    { name: 'generate', kind: 'string', value: '<n>', help: 'tasks to generate when there is no tasks file (default 1000)' },
    { name: 'report', kind: 'string', value: '<file.md>', help: 'the Markdown report; the figures as JSON beside it (x.json)' },
    { name: 'in-sandbox', kind: 'string', value: '<url>', help: 'run it in a running local sandbox (e.g. `toloka sandbox` at http://127.0.0.1:8999), which keeps the copied pool and its assignments, bans and skills' },
  ],
  notes: ['The project comes from project_id: {"$file": "./x.project.json"}; a training from training_requirement.training_pool_id the same way.', 'Exit codes: 0 done; 1 bad input or an error; 130 Ctrl+C.'],
};

const count = (what: string) => z.coerce.number({ error: `${what} is a number` }).int().min(0);

const Args = z.object({
  tasks: z.string().optional(),
  crowd: z.string().optional(),
  crowdFrom: z.string().optional(),
  crowdField: z.string().optional(),
  seed: count('the seed').default(1),
  sample: count('the sample').min(1).optional(),
  generate: count('generate').min(1).optional(),
  report: z.string({ error: 'is required' }),
  inSandbox: z.string().url().optional(),
  positionals: z.array(z.string()).length(1, 'takes one pool file'),
});

export async function run(argv: readonly string[], ctx: RunContext): Promise<number> {
  const a = parseArgs(spec, Args, argv);
  const files = {
    poolFile: a.positionals[0] as string,
    report: a.report,
    seed: a.seed,
    tasksFile: a.tasks,
    crowdFile: a.crowd,
    crowdFrom: a.crowdFrom,
    crowdField: a.crowdField,
    sample: a.sample,
    generate: a.generate,
    signal: ctx.signal,
    onProgress: (done: number) => ctx.reporter.progress({ done: Math.round(done * 1000) / 1000 }, `dry-run: ${(done * 100).toFixed(0)}% of the answers`),
  };
  let out: DryRunOutcome;
  if (a.inSandbox) {
    const client = new TolokaClient({ baseUrl: apiRootOf(a.inSandbox), credential: 'local-sandbox', logger: ctx.reporter.logger(false), userAgent: 'toloka-cli' });
    const inSandbox = await runInSandbox(await loadDryRun(files), client, files);
    ctx.reporter.event('sandbox', { ...inSandbox.sandbox }, `in the sandbox: project ${inSandbox.sandbox.project_id}, pool ${inSandbox.sandbox.pool_id}`);
    out = inSandbox;
  } else out = await dryRunToFiles(files);
  const r = out.report;
  ctx.reporter.event('done', { report: out.reportFile, json: out.jsonFile }, `report: ${out.reportFile} (figures: ${out.jsonFile})`);
  ctx.io.stdout.write(`${r.pool.status === 'CLOSED' ? 'completed' : 'not completed'} in ${r.simulatedHours.toFixed(2)} simulated hours; cost ${dollars(r.cost.total)}; ${r.bans.tolokers} Tolokers banned; ${r.recompletions.suites} suites recompleted; ${r.findings.length} finding(s)\n`);
  if (r.cancelled) return Exit.sigint;
  return Exit.ok;
}
