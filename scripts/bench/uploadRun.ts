/**
 * One upload, in a process of its own so that its CPU and peak memory are its own:
 * `node out/scripts/bench/uploadRun.js <apiRoot> <file> <poolId> <spec json>` prints one JSON line.
 */
import { uploadTasks } from '../../src/files/upload';
import { TolokaClient } from '../../src/toloka/client';
import type { TaskSpec } from '../../src/toloka/models';
import { peakRssMiB } from './report';

async function main(): Promise<void> {
  const [apiRoot = '', file = '', poolId = '', specJson = '{}'] = process.argv.slice(2);
  // Enough attempts that a call survives a 20% fault rate (0.2^12 is one in 244 million).
  const client = new TolokaClient({ baseUrl: apiRoot, credential: 'bench', maxAttempts: 12, baseDelayMs: 50, maxDelayMs: 2000 });
  const cpu0 = process.cpuUsage();
  const t0 = Date.now();
  let waits = 0;
  const r = await uploadTasks({ client, file, format: 'jsonl', poolId, spec: JSON.parse(specJson) as TaskSpec, tasksPerMinute: 0, onProgress: (p) => p.waiting && waits++ });
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(`${JSON.stringify({ created: r.created, wallS: (Date.now() - t0) / 1000, cpuS: (cpu.user + cpu.system) / 1e6, peakRssMiB: peakRssMiB() ?? null, rateLimitWaits: waits })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
