/**
 * 1,000,000 tasks from a JSONL file into a pool of a sandbox running in its own process,
 * with the quota off, through uploadTasks, twice: without faults, then with 10% errors, 5%
 * resets before and after the work and 20 requests a second: wall time, tasks per second,
 * and what the client side costs (CPU seconds and peak resident memory of its process), side
 * by side. Target: under 20 s of CPU and 250 MB, so that against Toloka the 200,000-a-minute
 * quota sets the pace.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { repoRoot } from '../../test/runners/provision';
import { TolokaClient } from '../../src/toloka/client';
import { isTolokaError } from '../../src/toloka/errors';
import { figure, peakRssMiB } from './report';
import { startSandboxProcess } from './sandboxProcess';

const TOTAL = Number(process.env['BENCH_TASKS'] ?? 1_000_000);

/** The faults of issue 21's benchmark: 10% errors, 5% resets before and 5% after the work, 20 requests a second. */
const FAULTS = 'error=0.1,reset=0.05,reset-after=0.05,rps=20';

interface RunStats {
  readonly created: number;
  readonly wallS: number;
  readonly cpuS: number;
  readonly peakRssMiB: number | null;
  readonly rateLimitWaits: number;
}

async function untilCreated<T>(find: () => Promise<T | undefined>, create: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const found = await find();
    if (found) return found;
    try {
      return await create();
    } catch (err) {
      if (!isTolokaError(err) || !err.transient || attempt >= 20) throw err;
    }
  }
}

async function findProject(client: TolokaClient, name: string) {
  for await (const p of client.projects.all()) if (p.public_name === name) return p;
  return undefined;
}

async function findPool(client: TolokaClient, projectId: string, name: string) {
  for await (const p of client.pools.all({ project_id: projectId })) if (p.private_name === name) return p;
  return undefined;
}

/** One upload of the file into a fresh pool of a sandbox process started with `flags`. */
async function uploadOnce(file: string, flags: readonly string[]): Promise<RunStats> {
  const sandbox = await startSandboxProcess(['--no-quotas', '--speed', '0', ...flags]);
  try {
    const client = new TolokaClient({ baseUrl: sandbox.apiRoot, credential: 'bench', maxAttempts: 12 });
    const spec = { input_spec: { text: { type: 'string' as const }, image: { type: 'url' as const } }, output_spec: { label: { type: 'string' as const, allowed_values: ['a', 'b'] } } };
    // Creates are not retried by the client (they carry no idempotency key): under injected
    // faults the set-up looks for what a lost answer may have created before trying again.
    const project = await untilCreated(() => findProject(client, 'Bench'), () => client.projects.create({ public_name: 'Bench', task_spec: spec }));
    const pool = await untilCreated(
      () => findPool(client, project.id ?? '', 'Bench'),
      () => client.pools.create({ project_id: project.id ?? '', private_name: 'Bench', will_expire: '2099-01-01T00:00:00', reward_per_assignment: 0.01, assignment_max_duration_seconds: 60, defaults: { default_overlap_for_new_task_suites: 1 } }),
    );
    const run = spawnSync(process.execPath, [path.join(repoRoot, 'out', 'scripts', 'bench', 'uploadRun.js'), sandbox.apiRoot, file, pool.id ?? '', JSON.stringify(spec)], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (run.status !== 0) throw new Error(`the upload failed: ${run.stderr}`);
    const stats = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as RunStats;
    if (stats.created !== TOTAL) throw new Error(`created ${stats.created} of ${TOTAL}`);
    const sandboxPeak = peakRssMiB(sandbox.child.pid ?? 0);
    if (sandboxPeak !== undefined) figure('upload', `sandbox_peak_rss${flags.length ? '_faults' : ''}`, sandboxPeak, 'MiB');
    return stats;
  } finally {
    sandbox.stop();
  }
}

export async function benchUpload(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tlk-bench-upload-'));
  const file = path.join(dir, 'tasks.jsonl');
  const out = fs.openSync(file, 'w');
  for (let i = 0; i < TOTAL; i += 10_000) {
    let block = '';
    for (let j = i; j < Math.min(TOTAL, i + 10_000); j++) block += `${JSON.stringify({ input_values: { text: `task number ${j}`, image: `https://example.com/${j}.jpg` }, overlap: 3 })}\n`;
    fs.writeSync(out, block);
  }
  fs.closeSync(out);
  try {
    // Each upload in a client process of its own: its CPU and peak memory are its own.
    const clean = await uploadOnce(file, []);
    figure('upload', 'wall', clean.wallS, 's', { tasks: TOTAL });
    figure('upload', 'tasks_per_s', TOTAL / clean.wallS, '1/s');
    figure('upload', 'client_cpu', clean.cpuS, 's', { target: 20 });
    if (clean.peakRssMiB !== null) figure('upload', 'client_peak_rss', clean.peakRssMiB, 'MiB', { target: 250 });
    const faulty = await uploadOnce(file, ['--faults', FAULTS]);
    figure('upload', 'wall_faults', faulty.wallS, 's', { tasks: TOTAL, faults: FAULTS, baseline: clean.wallS, ratio: faulty.wallS / clean.wallS });
    figure('upload', 'tasks_per_s_faults', TOTAL / faulty.wallS, '1/s', { baseline: TOTAL / clean.wallS });
    figure('upload', 'client_cpu_faults', faulty.cpuS, 's', { baseline: clean.cpuS, ratio: faulty.cpuS / clean.cpuS });
    if (faulty.peakRssMiB !== null) figure('upload', 'client_peak_rss_faults', faulty.peakRssMiB, 'MiB', { baseline: clean.peakRssMiB });
    figure('upload', 'rate_limit_waits_faults', faulty.rateLimitWaits, 'count');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
