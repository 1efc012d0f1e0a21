/** `toloka upload <file> --pool <id>`: the extension's Upload Tasks, journal and checks included. */
import { z } from 'zod';
import { formatOf } from '../../files/records';
import { ChangedFileError, UploadLocked, uploadTasks, resultsFileFor, type ChangedFileChoice } from '../../files/upload';
import { isCancellation } from '../../toloka/errors';
import { loadPoolWithSpec } from '../../toloka/poolSpec';
import { parseArgs, UsageError, type SubcommandSpec } from '../args';
import { askChoice } from '../ask';
import { connect, ConnectionArgs, connectionFlags } from '../connection';
import { Exit } from '../exit';
import type { RunContext } from '../main';

export const spec: SubcommandSpec = {
  name: 'upload',
  summary: 'Upload tasks from a JSON, JSONL or TSV file into a pool, each exactly once, resumable.',
  usage: 'toloka upload <file> --pool <id> [--open-pool] [--allow-defaults] [--skip-invalid] [--only-new | --start-over] [--env …] [--api-url …]',
  flags: [
    { name: 'pool', kind: 'string', value: '<id>', help: 'the pool the tasks go into' },
    { name: 'open-pool', kind: 'boolean', help: 'open the pool when the tasks are in' },
    { name: 'allow-defaults', kind: 'boolean', help: "take a task's overlap from the pool's defaults when it has none" },
    { name: 'skip-invalid', kind: 'boolean', help: 'upload the valid tasks when some are invalid (they are listed either way)' },
    { name: 'only-new', kind: 'boolean', help: 'if the file changed since an earlier upload into the pool: upload only the records not in the pool yet' },
    { name: 'start-over', kind: 'boolean', help: 'if the file changed: upload every record again (duplicates the tasks already created)' },
    ...connectionFlags,
  ],
  notes: [
    'A journal beside the file (<file>.toloka-upload-<pool>-<server>.jsonl) makes a rerun resume without creating any task twice.',
    "Toloka's quotas are waited out. Exit codes: 0 done; 1 bad input (each problem as file:line: field: message; nothing sent) or another upload holds the file; 3 stopped part way (run it again to resume); 130 Ctrl+C (run it again to resume).",
  ],
};

const Args = ConnectionArgs.extend({
  pool: z.string({ error: 'is required' }).regex(/^\d+$/, 'a pool id is a number'),
  openPool: z.boolean().default(false),
  allowDefaults: z.boolean().default(false),
  skipInvalid: z.boolean().default(false),
  onlyNew: z.boolean().default(false),
  startOver: z.boolean().default(false),
  positionals: z.array(z.string()).length(1, 'name one task file'),
});

export async function run(argv: readonly string[], ctx: RunContext): Promise<number> {
  const a = parseArgs(spec, Args, argv);
  if (a.onlyNew && a.startOver) throw new UsageError('--only-new and --start-over exclude each other');
  const file = a.positionals[0] ?? '';
  const format = formatOf(file);
  if (!format) throw new UsageError(`${file}: upload a .json (array), .jsonl or .tsv file`);
  const { client } = connect(a, ctx.io.env, ctx.reporter.logger(a.verbose));
  const target = await loadPoolWithSpec(client, a.pool, { signal: ctx.signal });
  const onChangedFile = async (info: { created: number; unknownBatches: number; since: string }): Promise<ChangedFileChoice> => {
    if (a.onlyNew) return 'only-new';
    if (a.startOver) return 'start-over';
    const asked = await askChoice(`${file} changed since an upload into pool ${a.pool} (started ${info.since}) that created ${info.created} task(s). What now?`, [
      { key: 'n', label: 'upload only the records not in the pool yet' },
      { key: 's', label: `start over: upload every record again (the ${info.created} task(s) will be there twice)` },
    ], ctx.signal);
    if (asked === 'n') return 'only-new';
    if (asked === 's') return 'start-over';
    throw new ChangedFileError({ poolId: a.pool, ...info });
  };
  let lastProgress = 0;
  try {
    const r = await uploadTasks({
      client, file, format, poolId: a.pool, spec: target.spec, openPool: a.openPool, allowDefaults: a.allowDefaults, skipInvalid: a.skipInvalid, signal: ctx.signal, logger: ctx.reporter.logger(a.verbose), onChangedFile,
      onProgress: (p) => {
        const now = Date.now();
        if (now - lastProgress < (ctx.reporter.interactive ? 200 : 2000) && !p.waiting) return;
        lastProgress = now;
        const waiting = p.waiting ? ` · waiting ${Math.ceil((p.waiting.until - now) / 1000)} s for Toloka's ${p.waiting.quota ?? 'rate'} limit` : '';
        ctx.reporter.progress({ total: p.total, confirmed: p.confirmed, inFlight: p.sent, failed: p.failed, ...(p.waiting ? { waitingUntil: new Date(p.waiting.until).toISOString(), quota: p.waiting.quota ?? null } : {}) }, `${p.confirmed.toLocaleString()} of ${p.total.toLocaleString()} confirmed · ${p.sent.toLocaleString()} in flight${waiting}`);
      },
    });
    if (!r.uploaded) {
      for (const p of r.problems) for (const problem of p.problems) ctx.reporter.error(`${file}:${p.line}: ${problem}`);
      if (r.invalid > r.problems.length) ctx.reporter.error(`… and ${r.invalid - r.problems.length} more invalid record(s)`);
      ctx.reporter.error(`${r.invalid} invalid record(s) in ${file}: nothing was sent${r.total > 0 ? ' (--skip-invalid uploads the valid ones)' : ''}`);
      return Exit.error;
    }
    const summary = { file, pool: a.pool, created: r.created, resumed: r.resumed, alreadyInPool: r.alreadyInPool, refused: r.failed, invalidSkipped: r.invalid, results: resultsFileFor(file, a.pool, client.core.baseUrl) };
    ctx.io.stdout.write(`${JSON.stringify(summary)}\n`);
    ctx.reporter.event('done', summary, `uploaded ${r.created.toLocaleString()} task(s) to pool ${target.title}${r.resumed ? `, ${r.resumed.toLocaleString()} were in from an earlier run` : ''}${r.alreadyInPool ? `, ${r.alreadyInPool.toLocaleString()} left out as already in the pool` : ''}${r.failed ? `, ${r.failed.toLocaleString()} refused by Toloka` : ''}`);
    return Exit.ok;
  } catch (err) {
    if (isCancellation(err) || ctx.signal.aborted) {
      ctx.reporter.error('stopped: run the same command again to resume; nothing will be created twice');
      return Exit.sigint;
    }
    if (err instanceof UploadLocked || err instanceof ChangedFileError) {
      ctx.reporter.error(`toloka upload: ${err.message}${err instanceof ChangedFileError ? ' (--only-new or --start-over)' : ''}`);
      return Exit.error;
    }
    ctx.reporter.error(`toloka upload: ${err instanceof Error ? err.message : String(err)}. Run it again to resume: confirmed tasks are not sent twice`);
    return Exit.interrupted;
  }
}
