/**
 * The command line's argument parsing, one shape for every subcommand: `--flag value`,
 * `--flag=value`, boolean `--flag` and `--no-flag`, repeatable flags, positionals; an
 * unknown flag or a missing value is a UsageError (exit 1 with the usage line). The raw
 * result is then checked with the subcommand's zod schema. No vscode import.
 */
import type { z } from 'zod';

export type FlagKind = 'string' | 'boolean' | 'repeatable';

export interface FlagSpec {
  readonly name: string;
  readonly kind: FlagKind;
  /** Placeholder in the help, e.g. `<file>`. */
  readonly value?: string;
  readonly help: string;
}

export interface SubcommandSpec {
  readonly name: string;
  readonly summary: string;
  /** `toloka aggregate --method <id> --input <file> --output <file>` */
  readonly usage: string;
  readonly flags: readonly FlagSpec[];
  /** Lines after the flags: examples, exit codes. */
  readonly notes?: readonly string[];
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface RawArgs {
  readonly flags: Record<string, string | boolean | string[]>;
  readonly positionals: string[];
}

const camel = (name: string): string => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** Flags by their camelCase name (`--exclude-control` → `excludeControl`), and positionals. */
export function parseRaw(spec: SubcommandSpec, argv: readonly string[]): RawArgs {
  const flags: Record<string, string | boolean | string[]> = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('--') || a === '--') {
      positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    const negated = name.startsWith('no-') ? spec.flags.find((f) => f.name === name.slice(3) && f.kind === 'boolean') : undefined;
    const flag = negated ?? spec.flags.find((f) => f.name === name);
    if (!flag) throw new UsageError(`unknown option --${name}`);
    const key = camel(flag.name);
    if (flag.kind === 'boolean') {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      flags[key] = !negated;
      continue;
    }
    const value = eq >= 0 ? a.slice(eq + 1) : argv[++i];
    if (value === undefined || (eq < 0 && value.startsWith('--'))) throw new UsageError(`--${flag.name} needs a value${flag.value ? ` (${flag.value})` : ''}`);
    if (flag.kind === 'repeatable') flags[key] = [...((flags[key] as string[] | undefined) ?? []), value];
    else if (key in flags) throw new UsageError(`--${flag.name} is given twice`);
    else flags[key] = value;
  }
  return { flags, positionals };
}

/** Parses and checks the arguments; a misfit is a UsageError naming the flag. */
export function parseArgs<S extends z.ZodType>(spec: SubcommandSpec, schema: S, argv: readonly string[]): z.infer<S> {
  const raw = parseRaw(spec, argv);
  const parsed = schema.safeParse({ ...raw.flags, positionals: raw.positionals });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue?.path[0];
    const name = typeof at === 'string' && at !== 'positionals' ? `--${at.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}` : 'arguments';
    throw new UsageError(`${name}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data as z.infer<S>;
}

export function helpText(spec: SubcommandSpec): string {
  const width = Math.max(...spec.flags.map((f) => `--${f.name}${f.value ? ` ${f.value}` : ''}`.length), 10);
  const lines = [`${spec.summary}`, '', `usage: ${spec.usage}`, ''];
  if (spec.flags.length > 0) {
    lines.push('options:');
    for (const f of spec.flags) lines.push(`  ${`--${f.name}${f.value ? ` ${f.value}` : ''}`.padEnd(width)}  ${f.help}${f.kind === 'repeatable' ? ' (repeatable)' : ''}`);
    lines.push(`  ${'--help'.padEnd(width)}  this text`);
  }
  if (spec.notes?.length) lines.push('', ...spec.notes);
  return `${lines.join('\n')}\n`;
}
