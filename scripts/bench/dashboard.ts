/**
 * `npm run bench -- dashboard`: the pool dashboard's data for a pool of 1,000,000 submitted
 * assignments, on a sandbox in its own process, gathered as the extension host gathers it
 * (DashboardData: analytics and a few calls, then every assignment page through the stats
 * worker). Figures: first paint (the summary, which the dashboard shows before any assignment
 * is read), the first partial details, the full first read, a refresh (only what is new), the
 * extension-host thread's busy time for each (event-loop utilisation: the worker's parsing is
 * not the host's), and the host's event-loop delay p99 while it all runs.
 * Targets: first paint ≤ 2 s, a refresh ≤ 1 s of host CPU.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { DashboardData } from '../../src/insights/dashboardData';
import { TolokaClient } from '../../src/toloka/client';
import { repoRoot } from '../../test/runners/provision';
import { DASHBOARD_ASSIGNMENTS } from './dashboardShape';
import { POOL_ID } from './download';
import { figure, round } from './report';
import { startSandboxProcess } from './sandboxProcess';

/** Runs `work` and says how long it took and how long the main thread was busy meanwhile. */
async function measured<T>(work: () => Promise<T>): Promise<{ value: T; wall: number; hostBusy: number; processCpu: number }> {
  const elu0 = performance.eventLoopUtilization();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await work();
  const wall = (performance.now() - t0) / 1000;
  const elu = performance.eventLoopUtilization(elu0);
  const cpu = process.cpuUsage(cpu0);
  return { value, wall, hostBusy: elu.active / 1000, processCpu: (cpu.user + cpu.system) / 1e6 };
}

export async function benchDashboard(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tlk-bench-dashboard-'));
  try {
    const data = path.join(dir, 'sandbox.jsonl');
    const writer = spawnSync(process.execPath, [path.join(repoRoot, 'out', 'scripts', 'bench', 'writeDashboardData.js'), data], { stdio: 'inherit' });
    if (writer.status !== 0) throw new Error('writing the sandbox data failed');
    const sandbox = await startSandboxProcess(['--no-quotas', '--speed', '0', '--data', data]);
    const RESOLUTION_MS = 10;
    const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    try {
      const client = new TolokaClient({ baseUrl: sandbox.apiRoot, credential: 'bench' });
      const dashboard = new DashboardData(client, POOL_ID, path.join(repoRoot, 'dist', 'statsWorker.js'));
      try {
        delay.enable();
        const t0 = performance.now();
        const first = await measured(() => dashboard.summary());
        figure('dashboard', 'first_paint', first.wall, 's', { target: 2, host_busy_s: round(first.hostBusy), note: 'the summary: analytics, pool, balance, bans' });
        let firstPartial: number | undefined;
        const full = await measured(() => dashboard.details({ everyMs: 500, onPartial: () => void (firstPartial ??= (performance.now() - t0) / 1000) }));
        if (full.value.assignments !== DASHBOARD_ASSIGNMENTS) throw new Error(`the details counted ${full.value.assignments} assignments, expected ${DASHBOARD_ASSIGNMENTS}`);
        if (firstPartial !== undefined) figure('dashboard', 'first_partial_details', firstPartial, 's', { note: 'first Tolokers/answers figures painted while the rest is read' });
        figure('dashboard', 'first_read', full.wall, 's', { assignments: DASHBOARD_ASSIGNMENTS, host_busy_s: round(full.hostBusy), process_cpu_s: round(full.processCpu), note: 'process CPU includes the stats worker' });
        const refresh = await measured(async () => {
          await dashboard.summary();
          return dashboard.details();
        });
        if (refresh.value.assignments !== DASHBOARD_ASSIGNMENTS) throw new Error(`a refresh changed the count to ${refresh.value.assignments}`);
        figure('dashboard', 'refresh_host_cpu', refresh.hostBusy, 's', { target: 1, wall_s: round(refresh.wall), process_cpu_s: round(refresh.processCpu), note: 'summary + details with nothing new submitted' });
        delay.disable();
        // The histogram holds each timer's whole interval; what the host was late by is the rest.
        const late = (ns: number) => Math.max(0, ns / 1e6 - RESOLUTION_MS);
        figure('dashboard', 'event_loop_delay_p99', late(delay.percentile(99)), 'ms', { max_ms: round(late(delay.max)), mean_ms: round(late(delay.mean)), note: `beyond a ${RESOLUTION_MS} ms timer, over the whole run` });
      } finally {
        dashboard.dispose();
      }
    } finally {
      sandbox.stop();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
