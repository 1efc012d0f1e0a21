/**
 * After a task file changed: which of its records are in the pool already. The earlier
 * upload's results file names the tasks it created; batches it sent without learning their
 * outcome are looked up by operation id; the pool's tasks with those ids give the input values
 * to match the new file's records against. No vscode import.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as readline from 'node:readline';
import type { TolokaClient } from '../toloka/client';
import { isTolokaError } from '../toloka/errors';
import type { CallOptions } from '../toloka/http';
import type { JournalState } from './uploadJournal';

/** JSON with keys in order, so that equal values are equal text whatever order they were written in. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** A digest of a task's input values, whatever the order of their keys. */
export function inputDigest(values: unknown): string {
  return createHash('sha1').update(canonical(values)).digest('base64');
}

/** Task ids an earlier upload wrote to its results file. */
async function idsInResults(resultsFile: string): Promise<Set<string>> {
  const ids = new Set<string>();
  if (!fs.existsSync(resultsFile)) return ids;
  const rl = readline.createInterface({ input: fs.createReadStream(resultsFile, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const line of rl) {
    if (!line) continue;
    try {
      const r = JSON.parse(line) as { taskId?: unknown };
      if (typeof r.taskId === 'string') ids.add(r.taskId);
    } catch {
      // a line cut by a crash: its batch is among those looked up below
    }
  }
  return ids;
}

/** How many of each input (by digest) the earlier upload created in the pool. */
export async function createdDigests(client: TolokaClient, poolId: string, previous: JournalState, resultsFile: string, call: CallOptions): Promise<Map<string, number>> {
  const ids = await idsInResults(resultsFile);
  for (const operationId of previous.sent.values()) {
    const op = await client.operations.get(operationId, call).catch((err: unknown) => {
      if (isTolokaError(err, 'not-found')) return undefined; // never reached Toloka: created nothing
      throw err;
    });
    if (!op) continue;
    const final = await client.operations.wait(op, { ...call, firstDelayMs: 200, intervalMs: 500 });
    for (const e of await client.operations.outcomes(final.id, call)) {
      if (e.success && typeof e.output?.['task_id'] === 'string') ids.add(e.output['task_id']);
    }
  }
  const digests = new Map<string, number>();
  if (ids.size === 0) return digests;
  for await (const task of client.tasks.all({ pool_id: poolId }, { ...call, limit: 100_000 })) {
    if (!task.id || !ids.has(task.id)) continue;
    const d = inputDigest(task.input_values);
    digests.set(d, (digests.get(d) ?? 0) + 1);
  }
  return digests;
}
