/**
 * `npm run bench -- download`: 1,000,000 result rows (200,000 accepted assignments of 5 tasks
 * each, a common suite size) from a sandbox in its own process, written as Toloka's results
 * TSV by downloadResults. Figures: wall time, rows per second, and this client process's peak
 * memory and CPU. Targets: over 100,000 rows per second, under 200 MB.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { downloadResults } from '../../src/files/results';
import { TolokaClient } from '../../src/toloka/client';
import type { TaskSpec } from '../../src/toloka/models';
import { repoRoot } from '../../test/runners/provision';
import { figure, peakRssMiB, round } from './report';
import { startSandboxProcess } from './sandboxProcess';

const ASSIGNMENTS = Number(process.env['BENCH_ASSIGNMENTS'] ?? 200_000);
const TASKS_PER_SUITE = 5;
/** Assignments per request; the download's default (1,000) unless set. */
const PAGE_SIZE = Number(process.env['BENCH_PAGE_SIZE'] ?? 0);
export const POOL_ID = '1000001';
const spec: TaskSpec = {
  input_spec: { image: { type: 'url' }, caption: { type: 'string', required: false } },
  output_spec: { result: { type: 'string', allowed_values: ['cat', 'dog', 'other'] }, comment: { type: 'string', required: false } },
};

export interface SandboxDataShape {
  readonly assignments: number;
  readonly tasksPerSuite: number;
  /** The k-th assignment's status and its creation and submission times (Toloka's UTC format). */
  readonly assignment?: (k: number) => { status: 'ACCEPTED' | 'SUBMITTED' | 'REJECTED'; created: string; submitted: string };
}

const downloadShape: SandboxDataShape = { assignments: ASSIGNMENTS, tasksPerSuite: TASKS_PER_SUITE };

/** A sandbox data file holding one closed pool with `assignments` assignments (by default accepted, all at once). */
export function writeSandboxData(file: string, shape: SandboxDataShape = downloadShape): void {
  const { assignments: ASSIGNMENTS, tasksPerSuite: TASKS_PER_SUITE } = shape;
  const fd = fs.openSync(file, 'w');
  const hex = Number(POOL_ID).toString(16).padStart(10, '0');
  const id = (n: number): string => `${hex}--${n.toString(16).padStart(24, '0')}`;
  const write = (lines: unknown[]): void => void fs.writeSync(fd, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  write([
    { k: 'meta', v: { version: 1, counters: { project: 1, pool: 1, item: ASSIGNMENTS * (TASKS_PER_SUITE + 2), skill: 0, apps: 0, restriction: 0 } } },
    { k: 'project', v: { id: '100001', public_name: 'Bench', task_spec: spec, status: 'ACTIVE', created: '2026-11-01T00:00:00' } },
    {
      k: 'pool', kind: 'pool',
      v: { id: POOL_ID, project_id: '100001', private_name: 'Bench', status: 'CLOSED', may_contain_adult_content: false, will_expire: '2099-01-01T00:00:00', reward_per_assignment: 0.01, assignment_max_duration_seconds: 600, defaults: { default_overlap_for_new_task_suites: 3 }, created: '2026-11-01T00:00:00' },
    },
  ]);
  const labels = ['cat', 'dog', 'other'];
  const timing = (k: number) => {
    const a = shape.assignment?.(k) ?? { status: 'ACCEPTED' as const, created: '2026-11-02T10:00:00', submitted: '2026-11-02T10:01:00' };
    return { ...a, ...(a.status === 'ACCEPTED' ? { accepted: a.submitted } : a.status === 'REJECTED' ? { rejected: a.submitted } : {}) };
  };
  let next = 1;
  for (let a = 0; a < ASSIGNMENTS; a += 1000) {
    const lines = [];
    for (let k = a; k < Math.min(ASSIGNMENTS, a + 1000); k++) {
      const suite = id(next++);
      const tasks = Array.from({ length: TASKS_PER_SUITE }, (_, j) => ({ id: id(next++), pool_id: POOL_ID, input_values: { image: `https://example.com/images/${k}-${j}.jpg`, caption: `a "photo"\tnumber ${k}` }, overlap: 3 }));
      lines.push({
        k: 'assignment',
        v: {
          id: id(next++), task_suite_id: suite, pool_id: POOL_ID, user_id: `worker-${k % 5000}`, reward: 0.01, tasks,
          solutions: tasks.map((_, j) => ({ output_values: { result: labels[(k + j) % 3], comment: j === 0 ? 'looks fine' : null } })),
          ...timing(k),
        },
      });
    }
    write(lines);
  }
  fs.closeSync(fd);
}

export async function benchDownload(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tlk-bench-download-'));
  try {
    const data = path.join(dir, 'sandbox.jsonl');
    const writer = spawnSync(process.execPath, [path.join(repoRoot, 'out', 'scripts', 'bench', 'writeDownloadData.js'), data], { stdio: 'inherit', env: { ...process.env, BENCH_ASSIGNMENTS: String(ASSIGNMENTS) } });
    if (writer.status !== 0) throw new Error('writing the sandbox data failed');
    const sandbox = await startSandboxProcess(['--no-quotas', '--speed', '0', '--data', data]);
    try {
      const client = new TolokaClient({ baseUrl: sandbox.apiRoot, credential: 'bench' });
      const file = path.join(dir, 'results.tsv');
      const rssBefore = peakRssMiB();
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const r = await downloadResults({ client, poolId: POOL_ID, spec, file, format: 'tsv', statuses: ['ACCEPTED', 'SUBMITTED'], columns: ['assignment_id', 'task_id', 'worker_id', 'status', 'started'], ...(PAGE_SIZE ? { pageSize: PAGE_SIZE } : {}) });
      const wall = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      const rows = ASSIGNMENTS * TASKS_PER_SUITE;
      if (r.rows !== rows) throw new Error(`wrote ${r.rows} rows, expected ${rows}`);
      figure('download', 'wall', wall, 's', { rows, assignments: ASSIGNMENTS, file_mib: Math.round(fs.statSync(file).size / 1048576) });
      figure('download', 'rows_per_s', rows / wall, '1/s', { target: 100_000 });
      figure('download', 'client_cpu', (cpu.user + cpu.system) / 1e6, 's');
      figure('download', 'client_peak_rss', peakRssMiB() ?? NaN, 'MiB', { target: 200, before_download: rssBefore });

      // Baseline in the same process: the same pages fetched and JSON-parsed with fetch(), nothing
      // validated or written. The gap to it is what validation, formatting and the file cost.
      const b0 = performance.now();
      let after: string | undefined;
      let fetched = 0;
      for (;;) {
        const res = await fetch(`${sandbox.apiRoot}/v1/assignments?pool_id=${POOL_ID}&status=ACCEPTED,SUBMITTED&sort=id&limit=1000${after ? `&id_gt=${after}` : ''}`, { headers: { Authorization: 'OAuth bench' } });
        const body = (await res.json()) as { items: Array<{ id: string; tasks: unknown[] }>; has_more: boolean };
        for (const a of body.items) fetched += a.tasks.length;
        after = body.items[body.items.length - 1]?.id;
        if (!body.has_more) break;
      }
      const baseline = (performance.now() - b0) / 1000;
      if (fetched !== rows) throw new Error(`the baseline saw ${fetched} rows`);
      figure('download', 'baseline_fetch_parse_rows_per_s', rows / baseline, '1/s', { wall_s: round(baseline), ratio: Math.round((wall / baseline) * 100) / 100, note: 'fetch + JSON.parse only; ratio = our wall / baseline wall' });
    } finally {
      sandbox.stop();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
