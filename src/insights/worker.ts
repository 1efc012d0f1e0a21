/**
 * The dashboard's stats worker (dist/statsWorker.js): parses listing pages of assignments and
 * accumulates them, off the extension host's thread. An assignment is counted once, however
 * many refreshes list it: the pages of a refresh overlap the last one's by a few seconds.
 */
import { parentPort } from 'node:worker_threads';
import { z } from 'zod';
import { AssignmentResult } from '../toloka/models';
import { dateTimeMs } from '../toloka/models/common';
import { splitListing } from '../toloka/jsonListing';
import { ToStatsWorker, type FromStatsWorker } from './messages';
import { PoolStats } from './poolStats';

/** Ids of assignments submitted in the last seconds before the latest seen: a later window may list them again. */
const OVERLAP_MS = 10_000;

let stats: PoolStats | undefined;
const recent = new Map<string, number>();
let latest = 0;

function reply(m: FromStatsWorker): void {
  parentPort?.postMessage(m);
}

function page(bytes: Buffer): void {
  if (!stats) throw new Error('the worker was not initialised');
  const split = splitListing(bytes, 'items');
  const items: unknown[] = split ? [] : z.object({ items: z.array(z.unknown()) }).parse(JSON.parse(bytes.toString('utf8'))).items;
  const hasMore = split ? split.fields['has_more'] === true : Boolean((JSON.parse(bytes.toString('utf8')) as { has_more?: unknown }).has_more);
  const count = split ? split.bounds.length / 2 : items.length;
  let added = 0;
  let maxSubmitted: string | null = null;
  let lastId: string | null = null;
  for (let k = 0; k < count; k++) {
    const raw = split ? (JSON.parse(bytes.toString('utf8', split.bounds[2 * k], split.bounds[2 * k + 1])) as unknown) : items[k];
    const a = AssignmentResult.parse(raw);
    lastId = a.id;
    if (!a.submitted) continue;
    const t = dateTimeMs(a.submitted);
    if (maxSubmitted === null || a.submitted > maxSubmitted) maxSubmitted = a.submitted;
    if (recent.has(a.id)) continue;
    if (t >= latest - OVERLAP_MS) recent.set(a.id, t);
    latest = Math.max(latest, t);
    stats.add(a);
    added++;
  }
  for (const [id, t] of recent) if (t < latest - OVERLAP_MS) recent.delete(id);
  reply({ type: 'page-done', items: count, added, maxSubmitted, lastId, hasMore });
}

parentPort?.on('message', (raw: unknown) => {
  try {
    const m = ToStatsWorker.parse(raw);
    if (m.type === 'init') stats = new PoolStats(m.output);
    else if (m.type === 'page') page(Buffer.from(m.bytes));
    else if (stats) reply({ type: 'snapshot', snapshot: stats.snapshot() });
  } catch (err) {
    reply({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
});
