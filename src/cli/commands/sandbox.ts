/** `toloka sandbox`: the local Toloka-compatible server with simulated Tolokers, until Ctrl+C. */
import * as fs from 'node:fs';
import { z } from 'zod';
import { seedDemo } from '../../sandbox/demo';
import { readCrowdFile } from '../../sandbox/dryrun/crowd';
import type { Faults } from '../../sandbox/http';
import { startSandbox } from '../../sandbox/server';
import { parseArgs, UsageError, type SubcommandSpec } from '../args';
import { Exit } from '../exit';
import type { RunContext } from '../main';

export const spec: SubcommandSpec = {
  name: 'sandbox',
  summary: 'Run the local Toloka-compatible sandbox, with simulated Tolokers, until Ctrl+C.',
  usage: 'toloka sandbox [--port 8999] [--data <file>] [--seed N] [--demo] [--token <t>]… [--speed N] [--crowd <json>] [--time-scale <ms>] [--no-quotas] [--no-tolokers] [--faults error=0.1,reset=0.05,reset-after=0.05,rps=20,latency=50]',
  flags: [
    { name: 'port', kind: 'string', value: '<n>', help: 'loopback port (default 8999; 0 picks a free one)' },
    { name: 'data', kind: 'string', value: '<file>', help: 'keep the state in this JSON-lines file (loaded at start, written after changes)' },
    { name: 'seed', kind: 'string', value: '<n>', help: 'seed of the simulated Tolokers (default 1)' },
    { name: 'demo', kind: 'boolean', help: 'seed a demo project into a fresh state' },
    { name: 'token', kind: 'repeatable', value: '<t>', help: 'accept only these credentials (any by default)' },
    { name: 'speed', kind: 'string', value: '<n>', help: 'assignments per second over all open pools (default 200)' },
    { name: 'crowd', kind: 'string', value: '<json>', help: 'the simulated Tolokers as a crowd of archetypes (the file Dry-Run Pool takes): their accuracy or confusion matrix, strategy, skip rate and seconds per task' },
    { name: 'time-scale', kind: 'string', value: '<ms>', help: "real milliseconds per simulated second of a crowd's time per task (default 1)" },
    { name: 'quotas', kind: 'boolean', help: "enforce Toloka's quotas on tasks and on creating projects, pools, trainings and skills (default; --no-quotas turns them off)" },
    { name: 'tolokers', kind: 'boolean', help: 'simulated Tolokers take open pools (default; --no-tolokers: none)' },
    { name: 'faults', kind: 'string', value: '<spec>', help: 'inject faults: error=<rate>,reset=<rate>,reset-after=<rate>,rps=<n>,latency=<ms>,retry-after=<s>' },
  ],
  notes: ['Any Toloka client works against it with the base URL http://127.0.0.1:<port>/api.', 'Exit codes: 130 after Ctrl+C (the state saved), 1 if it cannot start.'],
};

const count = (what: string) => z.coerce.number({ error: `${what} is a number` }).int().min(0);
const Args = z.object({
  port: count('a port').max(65535).default(8999),
  data: z.string().optional(),
  seed: count('the seed').default(1),
  demo: z.boolean().default(false),
  token: z.array(z.string().min(1)).default([]),
  speed: z.coerce.number().min(0).optional(),
  crowd: z.string().optional(),
  timeScale: z.coerce.number({ error: 'the time scale is a number' }).positive().optional(),
  quotas: z.boolean().default(true),
  tolokers: z.boolean().default(true),
  faults: z.string().optional(),
  positionals: z.array(z.string()).max(0, 'takes no positional arguments'),
});

const faultKeys: Record<string, keyof Faults> = { error: 'errorRate', reset: 'resetRate', 'reset-after': 'resetAfterRate', rps: 'requestsPerSecond', latency: 'latencyMs', 'retry-after': 'retryAfterSeconds' };

/** `error=0.1,reset=0.05` → the sandbox's fault settings; a wrong key or number is a usage error. */
export function parseFaults(text: string): Partial<Faults> {
  const out: Partial<Faults> = {};
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [k = '', v = ''] = part.split('=');
    const key = faultKeys[k];
    if (!key) throw new UsageError(`--faults: unknown fault "${k}"; use ${Object.keys(faultKeys).join(', ')}`);
    const n = Number(v);
    const rate = key.endsWith('Rate');
    if (v === '' || !Number.isFinite(n) || n < 0 || (rate && n > 1)) throw new UsageError(`--faults: ${k} takes ${rate ? 'a rate from 0 to 1' : 'a number of 0 or more'}, not "${v}"`);
    out[key] = n;
  }
  return out;
}

export async function run(argv: readonly string[], ctx: RunContext): Promise<number> {
  const o = parseArgs(spec, Args, argv);
  const faults = o.faults ? parseFaults(o.faults) : {};
  const fresh = !o.data || !fs.existsSync(o.data);
  const sandbox = await startSandbox({
    port: o.port,
    seed: o.seed,
    quotas: o.quotas,
    // Toloka's object quotas too (projects, pools, trainings 20 a minute and 100 a day; skills 10 a minute).
    ...(o.quotas ? { objectQuota: {} } : {}),
    faults,
    ...(o.data ? { dataFile: o.data } : {}),
    ...(o.token.length > 0 ? { tokens: o.token } : {}),
    tolokers: {
      ...(o.speed !== undefined ? { assignmentsPerSecond: o.speed } : {}),
      ...(o.tolokers ? {} : { assignmentsPerSecond: 0 }),
      ...(o.crowd ? { crowd: readCrowdFile(o.crowd) } : {}),
      ...(o.timeScale !== undefined ? { msPerSimulatedSecond: o.timeScale } : {}),
    },
    onLog: (level, message) => ctx.reporter.event('log', { level, message }, `${level}: ${message}`),
  });
  if (o.demo && fresh) {
    const ids = await seedDemo(sandbox.apiRoot, o.token[0] ?? 'local');
    ctx.reporter.event('demo', { ...ids }, `seeded the demo project ${ids.projectId}: open pool ${ids.openPoolId}, closed ${ids.closedPoolId}, archived ${ids.archivedPoolId}`);
  }
  ctx.io.stdout.write(`Toloka sandbox listening: ${sandbox.apiRoot}${o.data ? ` (data: ${o.data})` : ''}\n`);
  ctx.reporter.event('ready', { apiRoot: sandbox.apiRoot, tokens: o.token.length, faults }, o.token.length > 0 ? `accepted tokens: ${o.token.length}` : 'any token is accepted ("Authorization: OAuth <anything>")');
  await new Promise<void>((resolve) => {
    if (ctx.signal.aborted) resolve();
    ctx.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  ctx.reporter.event('stopping', {}, 'saving and stopping…');
  await sandbox.stop();
  return Exit.sigint;
}
