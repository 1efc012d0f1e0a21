/**
 * `toloka`: the extension's work from a command line, for CI. Each subcommand is a thin shell
 * over the same vscode-free modules the extension uses, loaded only when it runs. The shape
 * every subcommand shares (flags, output, exit codes) is in the README.
 */
import { helpText, UsageError, type SubcommandSpec } from './args';
import { Exit } from './exit';
import { processIo, Reporter, type Io } from './output';

export interface RunContext {
  readonly io: Io;
  readonly reporter: Reporter;
  /** Aborted on Ctrl+C (SIGINT) and SIGTERM: stop cleanly, keep what is done. */
  readonly signal: AbortSignal;
}

interface Subcommand {
  readonly summary: string;
  readonly load: () => Promise<{ spec: SubcommandSpec; run: (argv: readonly string[], ctx: RunContext) => Promise<number> }>;
}

const subcommands: Record<string, Subcommand> = {
  upload: { summary: 'upload tasks from a JSON, JSONL or TSV file into a pool, exactly once', load: () => import('./commands/upload') },
  download: { summary: "download a pool's results as Toloka's results TSV or JSONL, resumable", load: () => import('./commands/download') },
  aggregate: { summary: 'aggregate overlapping answers into one label per task (or a ranking, a text, a set)', load: () => import('./commands/aggregate') },
  metrics: { summary: "the answers' agreement, and with golden answers Tolokers' and methods' accuracy", load: () => import('./commands/metrics') },
  sandbox: { summary: 'run the local Toloka-compatible sandbox until Ctrl+C', load: () => import('./commands/sandbox') },
  plan: { summary: 'what apply would change on Toloka to match the skill, project, training and pool files', load: async () => (await import('./commands/deploy')).plan },
  apply: { summary: 'create and update what the files describe, each exactly once, after a plan and a confirmation', load: async () => (await import('./commands/deploy')).apply },
  'dry-run': { summary: 'run a pool file with its quality control against a simulated crowd, and report', load: () => import('./commands/dryRun') },
};

declare const TOLOKA_VERSION: string;

function mainHelp(): string {
  const width = Math.max(...Object.keys(subcommands).map((k) => k.length));
  return [
    'toloka: Toloka for VS Code on the command line',
    '',
    'usage: toloka <command> [options]   (toloka <command> --help for its options)',
    '',
    'commands:',
    ...Object.entries(subcommands).map(([name, s]) => `  ${name.padEnd(width)}  ${s.summary}`),
    '',
    'Where: --env local|sandbox|production|custom and --api-url <url>; the token from TOLOKA_API_TOKEN.',
    'Output: results on stdout; progress and logs on stderr (one JSON object per line off a terminal).',
    'Exit codes: 0 done, 1 error or bad input, 2 plan has changes, 3 interrupted (safe to rerun), 130 Ctrl+C.',
    '',
  ].join('\n');
}

export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name) {
    io.stderr.write(mainHelp());
    return Exit.error;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(mainHelp());
    return Exit.ok;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${typeof TOLOKA_VERSION === 'string' ? TOLOKA_VERSION : 'development'}\n`);
    return Exit.ok;
  }
  const sub = subcommands[name];
  if (!sub) {
    io.stderr.write(`toloka: unknown command "${name}"\n\n${mainHelp()}`);
    return Exit.error;
  }
  const mod = await sub.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(helpText(mod.spec));
    return Exit.ok;
  }
  const reporter = new Reporter(io, name);
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    return await mod.run(rest, { io, reporter, signal: controller.signal });
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`toloka ${name}: ${err.message}\nusage: ${mod.spec.usage}\n`);
      return Exit.error;
    }
    if (controller.signal.aborted) return Exit.sigint;
    reporter.error(`toloka ${name}: ${err instanceof Error ? err.message : String(err)}`);
    return Exit.error;
  } finally {
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
  }
}
