/**
 * The sandbox holds a million tasks: 1,000,000 tasks uploaded asynchronously in batches of
 * 10,000 (quota off), then read back by paging. The sandbox runs in its own process so that
 * its peak memory is its own.
 */
import { TolokaClient } from '../../src/toloka/client';
import { figure, peakRssMiB } from './report';
import { startSandboxProcess } from './sandboxProcess';

const TOTAL = Number(process.env['BENCH_TASKS'] ?? 1_000_000);
const BATCH = 10_000;
const IN_FLIGHT = 4;

export async function benchSandbox(): Promise<void> {
  const sandbox = await startSandboxProcess(['--no-quotas', '--speed', '0']);
  const { apiRoot, child } = sandbox;
  try {
    const client = new TolokaClient({ baseUrl: apiRoot, credential: 'bench' });
    const project = await client.projects.create({
      public_name: 'Bench',
      task_spec: { input_spec: { text: { type: 'string' } }, output_spec: { label: { type: 'string', allowed_values: ['a', 'b'] } } },
    });
    const pool = await client.pools.create({
      project_id: project.id ?? '', private_name: 'Bench', will_expire: '2099-01-01T00:00:00', reward_per_assignment: 0.01,
      assignment_max_duration_seconds: 60, defaults: { default_overlap_for_new_task_suites: 1, default_overlap_for_new_tasks: 1 },
    });
    const poolId = pool.id ?? '';
    const started = Date.now();
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < TOTAL) {
        const from = next;
        next += BATCH;
        const batch = Array.from({ length: Math.min(BATCH, TOTAL - from) }, (_, i) => ({ pool_id: poolId, input_values: { text: `task number ${from + i}` }, overlap: 1 }));
        const op = await client.tasks.createAsync(batch);
        const done = await client.operations.wait(op, { firstDelayMs: 20, intervalMs: 50 });
        if (done.status !== 'SUCCESS') throw new Error(`batch at ${from} ended ${done.status}`);
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    const uploadS = (Date.now() - started) / 1000;
    figure('sandbox', 'upload_wall', uploadS, 's', { tasks: TOTAL });
    figure('sandbox', 'upload_tasks_per_s', TOTAL / uploadS, '1/s');

    const readStarted = Date.now();
    let count = 0;
    for await (const _ of client.tasks.all({ pool_id: poolId }, { limit: 100_000 })) count++;
    const readS = (Date.now() - readStarted) / 1000;
    if (count !== TOTAL) throw new Error(`paged back ${count} tasks, expected ${TOTAL}`);
    figure('sandbox', 'page_back_wall', readS, 's', { tasks: count });
    figure('sandbox', 'page_back_tasks_per_s', count / readS, '1/s');
    const peak = peakRssMiB(child.pid ?? 0);
    if (peak !== undefined) figure('sandbox', 'sandbox_peak_rss', peak, 'MiB');
  } finally {
    sandbox.stop();
  }
}
