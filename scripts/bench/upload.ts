/**
 * 1,000,000 tasks from a JSONL file into a pool of a sandbox running in its own process,
 * with the quota off, through uploadTasks: wall time, tasks per second, and what the client
 * side costs (CPU seconds and peak resident memory of this process). Target: under 20 s of
 * CPU and 250 MB, so that against Toloka the 200,000-a-minute quota sets the pace.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { uploadTasks } from '../../src/files/upload';
import { TolokaClient } from '../../src/toloka/client';
import { figure, peakRssMiB } from './report';
import { startSandboxProcess } from './sandboxProcess';

const TOTAL = Number(process.env['BENCH_TASKS'] ?? 1_000_000);

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
  const sandbox = await startSandboxProcess(['--no-quotas', '--speed', '0']);
  const { apiRoot, child } = sandbox;
  try {
    const client = new TolokaClient({ baseUrl: apiRoot, credential: 'bench' });
    const spec = { input_spec: { text: { type: 'string' as const }, image: { type: 'url' as const } }, output_spec: { label: { type: 'string' as const, allowed_values: ['a', 'b'] } } };
    const project = await client.projects.create({ public_name: 'Bench', task_spec: spec });
    const pool = await client.pools.create({ project_id: project.id ?? '', private_name: 'Bench', will_expire: '2099-01-01T00:00:00', reward_per_assignment: 0.01, assignment_max_duration_seconds: 60, defaults: { default_overlap_for_new_task_suites: 1 } });
    const before = peakRssMiB();
    if (before !== undefined) figure('upload', 'client_peak_rss_before_upload', before, 'MiB', { note: 'writing the test file' });
    const cpu0 = process.cpuUsage();
    const t0 = Date.now();
    let heapPeak = 0;
    let heapTotalPeak = 0;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      heapPeak = Math.max(heapPeak, m.heapUsed);
      heapTotalPeak = Math.max(heapTotalPeak, m.heapTotal);
    }, 50);
    let checkedAt: number | undefined;
    const r = await uploadTasks({
      client, file, format: 'jsonl', poolId: pool.id ?? '', spec, tasksPerMinute: 0,
      onProgress: () => {
        checkedAt ??= peakRssMiB();
      },
    }).finally(() => clearInterval(sampler));
    if (checkedAt !== undefined) figure('upload', 'client_peak_rss_after_checking', checkedAt, 'MiB', { note: 'the first pass, every task checked' });
    figure('upload', 'client_heap_used_peak', heapPeak / 1024 / 1024, 'MiB');
    figure('upload', 'client_heap_total_peak', heapTotalPeak / 1024 / 1024, 'MiB');
    const wall = (Date.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    if (r.created !== TOTAL) throw new Error(`created ${r.created} of ${TOTAL}`);
    figure('upload', 'wall', wall, 's', { tasks: TOTAL });
    figure('upload', 'tasks_per_s', TOTAL / wall, '1/s');
    figure('upload', 'client_cpu', (cpu.user + cpu.system) / 1e6, 's', { target: 20 });
    const peak = peakRssMiB();
    if (peak !== undefined) figure('upload', 'client_peak_rss', peak, 'MiB', { target: 250 });
    const sandboxPeak = peakRssMiB(child.pid ?? 0);
    if (sandboxPeak !== undefined) figure('upload', 'sandbox_peak_rss', sandboxPeak, 'MiB');
  } finally {
    sandbox.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
