/** `toloka download <pool id> --out <file>`: the results TSV (or JSONL), resumable, as Download Results writes it. */
import { z } from 'zod';
import { assignmentColumns, defaultAssignmentColumns, downloadResults, interruptedDownload, parseTimeRange } from '../../files/results';
import { webOrigins } from '../../toloka/client';
import { isCancellation } from '../../toloka/errors';
import { AssignmentStatus } from '../../toloka/models';
import { loadPoolWithSpec } from '../../toloka/poolSpec';
import { parseArgs, UsageError, type SubcommandSpec } from '../args';
import { connect, ConnectionArgs, connectionFlags } from '../connection';
import { Exit } from '../exit';
import type { RunContext } from '../main';

export const spec: SubcommandSpec = {
  name: 'download',
  summary: "Download a pool's results as Toloka's results TSV (or JSON Lines), resumable without a row twice.",
  usage: 'toloka download <pool id> --out <file.tsv|file.jsonl> [--status SUBMITTED,ACCEPTED] [--started FROM..TO] [--columns link,assignment_id,…] [--exclude-banned] [--restart] [--env …] [--api-url …]',
  flags: [
    { name: 'out', kind: 'string', value: '<file>', help: 'where the results go; .jsonl for one assignment per line' },
    { name: 'status', kind: 'string', value: '<list>', help: `assignment statuses, comma-separated (default SUBMITTED,ACCEPTED; ${AssignmentStatus.options.join(', ')})` },
    { name: 'started', kind: 'string', value: '<FROM..TO>', help: 'only assignments started in this range (UTC), e.g. 2026-11-01..2026-11-20T12:00' },
    { name: 'columns', kind: 'string', value: '<list>', help: `ASSIGNMENT: columns, comma-separated (default ${defaultAssignmentColumns.join(',')}; any of ${assignmentColumns.join(', ')})` },
    { name: 'exclude-banned', kind: 'boolean', help: 'leave out assignments of Tolokers banned now' },
    { name: 'restart', kind: 'boolean', help: 'start an interrupted download over instead of continuing it' },
    ...connectionFlags,
  ],
  notes: ['Exit codes: 0 done; 1 bad arguments or an error before any row; 3 stopped part way (run it again to continue); 130 Ctrl+C (run it again to continue).'],
};

const list = <T extends string>(values: readonly T[], what: string) =>
  z.string().transform((text, c) => {
    const items = text.split(',').map((s) => s.trim()).filter(Boolean);
    const bad = items.filter((s) => !values.includes(s as T));
    if (bad.length > 0 || items.length === 0) {
      c.addIssue({ code: 'custom', message: `${bad.length ? `unknown ${what} ${bad.join(', ')}` : `no ${what}`}; choose from ${values.join(', ')}` });
      return z.NEVER;
    }
    return items as T[];
  });

const Args = ConnectionArgs.extend({
  out: z.string({ error: 'is required' }).regex(/\.(tsv|jsonl)$/i, 'the file must end in .tsv or .jsonl'),
  status: list(AssignmentStatus.options, 'status').default(['SUBMITTED', 'ACCEPTED']),
  started: z.string().optional(),
  columns: list(assignmentColumns, 'column').optional(),
  excludeBanned: z.boolean().default(false),
  restart: z.boolean().default(false),
  positionals: z.array(z.string().regex(/^\d+$/, 'a pool id is a number')).length(1, 'name one pool id'),
});

export async function run(argv: readonly string[], ctx: RunContext): Promise<number> {
  const a = parseArgs(spec, Args, argv);
  const poolId = a.positionals[0] ?? '';
  const range = parseTimeRange(a.started ?? '');
  if (typeof range === 'string') throw new UsageError(`--started: ${range}`);
  const format = /\.jsonl$/i.test(a.out) ? 'jsonl' : 'tsv';
  const columns = a.columns ?? [...defaultAssignmentColumns];
  const { client, environment } = connect(a, ctx.io.env, ctx.reporter.logger(a.verbose));
  const target = await loadPoolWithSpec(client, poolId, { signal: ctx.signal });
  const choice = { file: a.out, poolId, format, statuses: a.status, startedFrom: range.from, startedTo: range.to, excludeBanned: a.excludeBanned, columns } as const;
  const earlier = interruptedDownload(choice);
  if (earlier && !a.restart) ctx.reporter.event('resume', { rows: earlier.rows }, `continuing an interrupted download: ${earlier.rows.toLocaleString()} rows are already in ${a.out}`);
  let lastProgress = 0;
  try {
    const r = await downloadResults({
      client, spec: target.spec, ...choice, resume: !a.restart, signal: ctx.signal,
      webOrigin: environment === 'production' || environment === 'sandbox' ? webOrigins[environment] : undefined,
      onProgress: (p) => {
        const now = Date.now();
        if (now - lastProgress < (ctx.reporter.interactive ? 200 : 2000)) return;
        lastProgress = now;
        ctx.reporter.progress({ rows: p.rows, assignments: p.assignments, resumedRows: p.resumedRows }, `${p.rows.toLocaleString()} rows written${p.resumedRows ? ` (${p.resumedRows.toLocaleString()} before)` : ''}`);
      },
    });
    if (r.cancelled) {
      ctx.reporter.error(`stopped after ${r.rows.toLocaleString()} rows: run the same command again to continue; no row will be written twice`);
      return Exit.sigint;
    }
    const summary = { pool: poolId, file: a.out, rows: r.rows, assignments: r.assignments, resumedRows: r.resumedRows, skippedBanned: r.skippedBanned };
    ctx.io.stdout.write(`${JSON.stringify(summary)}\n`);
    ctx.reporter.event('done', summary, `downloaded ${r.rows.toLocaleString()} ${format === 'tsv' ? 'rows' : 'assignments'} of pool ${target.title} to ${a.out}`);
    return Exit.ok;
  } catch (err) {
    if (isCancellation(err) || ctx.signal.aborted) return Exit.sigint;
    ctx.reporter.error(`toloka download: ${err instanceof Error ? err.message : String(err)}. Run it again to continue from the last page written`);
    return Exit.interrupted;
  }
}
