/**
 * The explorer on a big account: 10,000 pools in one project of a sandbox running in its own
 * process. Figures: time from expanding the project to its first page of rows (median of 20
 * cold loads), and the explorer model's heap while paging through all 10,000 with Load more,
 * and after a refresh lets go of them.
 */
import { TolokaClient } from '../../src/toloka/client';
import { ExplorerModel, type Node } from '../../src/views/explorer/model';
import { figure } from './report';
import { startSandboxProcess } from './sandboxProcess';

const POOLS = Number(process.env['BENCH_POOLS'] ?? 10_000);

function heapMiB(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

export async function benchExplorer(): Promise<void> {
  const sandbox = await startSandboxProcess(['--no-quotas', '--speed', '0']);
  const { apiRoot } = sandbox;
  try {
    const client = new TolokaClient({ baseUrl: apiRoot, credential: 'bench' });
    const project = await client.projects.create({ public_name: 'Big account', task_spec: { input_spec: { t: { type: 'string' } }, output_spec: { l: { type: 'string' } } } });
    const projectId = project.id ?? '';
    let made = 0;
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (made < POOLS) {
        const i = made++;
        await client.pools.create({ project_id: projectId, private_name: `Pool ${i}`, will_expire: '2099-01-01T00:00:00', reward_per_assignment: 0.01, assignment_max_duration_seconds: 60, defaults: { default_overlap_for_new_task_suites: 1 } });
      }
    }));

    const model = new ExplorerModel(async () => client, 50);
    const projectNode = async (): Promise<Node> => {
      const root = await model.children();
      const node = root.find((n) => n.kind === 'project');
      if (!node) throw new Error('no project row');
      return node;
    };
    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      model.refresh();
      const node = await projectNode();
      const t0 = performance.now();
      const rows = await model.children(node);
      times.push(performance.now() - t0);
      if (rows.filter((r) => r.kind === 'pool').length !== 50) throw new Error('the first page is not 50 pools');
    }
    times.sort((a, b) => a - b);
    figure('explorer', 'first_page_ms_median', times[10] ?? 0, 'ms', { pools: POOLS, page: 50 });
    figure('explorer', 'first_page_ms_max', times[times.length - 1] ?? 0, 'ms');

    model.refresh();
    const base = heapMiB();
    const node = await projectNode();
    let rows = await model.children(node);
    const samples: Array<{ rows: number; heap: number }> = [];
    const pageTimes: number[] = [];
    while (rows.at(-1)?.kind === 'loadMore') {
      const t0 = performance.now();
      await model.loadMore(node.key);
      pageTimes.push(performance.now() - t0);
      rows = await model.children(node);
      const n = rows.filter((r) => r.kind === 'pool').length;
      if (n % 2000 === 0) samples.push({ rows: n, heap: heapMiB() - base });
    }
    pageTimes.sort((a, b) => a - b);
    figure('explorer', 'load_more_ms_median', pageTimes[Math.floor(pageTimes.length / 2)] ?? 0, 'ms');
    for (const s of samples) figure('explorer', 'heap_growth', s.heap, 'MiB', { rows_loaded: s.rows, kib_per_row: Math.round((s.heap * 1024 * 10) / s.rows) / 10 });
    model.refresh();
    figure('explorer', 'heap_after_refresh_vs_start', heapMiB() - base, 'MiB', { cycle: 1 });
    // A second full load and refresh: memory that stays put is warm-up, memory that grows again is a leak.
    const again = await projectNode();
    for (rows = await model.children(again); rows.at(-1)?.kind === 'loadMore'; rows = await model.children(again)) await model.loadMore(again.key);
    model.refresh();
    figure('explorer', 'heap_after_refresh_vs_start', heapMiB() - base, 'MiB', { cycle: 2 });
  } finally {
    sandbox.stop();
  }
}
