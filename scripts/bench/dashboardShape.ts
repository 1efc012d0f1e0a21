/** The dashboard benchmark's pool: BENCH_ASSIGNMENTS (1,000,000) one-task suites submitted over the last two days. */
import type { SandboxDataShape } from './download';

export const DASHBOARD_ASSIGNMENTS = Number(process.env['BENCH_ASSIGNMENTS'] ?? 1_000_000);

export function dashboardShape(now = Date.now()): SandboxDataShape {
  const start = now - 48 * 3600_000;
  const step = (48 * 3600_000) / DASHBOARD_ASSIGNMENTS;
  const iso = (t: number) => new Date(t).toISOString().slice(0, 19);
  return {
    assignments: DASHBOARD_ASSIGNMENTS,
    tasksPerSuite: 1,
    assignment: (k) => {
      const submitted = start + k * step;
      const status = k % 10 === 0 ? 'SUBMITTED' : k % 17 === 0 ? 'REJECTED' : 'ACCEPTED';
      return { status, created: iso(submitted - (5 + (k % 40)) * 1000), submitted: iso(submitted) };
    },
  };
}
