/**
 * The static checks, as a layer of `npm test`: `tsc --noEmit` over the sources and the tests,
 * and ESLint with type information over src/, test/ and scripts/ (eslint.config.mjs). Each is
 * one check; a failure lists its problems as `file:line:column rule: message`.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { ESLint } from 'eslint';
import { repoRoot } from './provision';
import type { LayerReport } from './report';

interface Check {
  readonly title: string;
  readonly problems: string[];
}

function typeCheck(project: string): Check {
  const tsc = path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '--noEmit', '--pretty', 'false', '-p', project], { cwd: repoRoot, encoding: 'utf8' });
  const problems = `${r.stdout}${r.stderr}`.split('\n').filter((l) => l.trim());
  if (r.status !== 0 && problems.length === 0) problems.push(`tsc exited with ${String(r.status)}`);
  return { title: `tsc --noEmit -p ${project}`, problems: r.status === 0 ? [] : problems };
}

async function lint(): Promise<Check> {
  const eslint = new ESLint({ cwd: repoRoot });
  const results = await eslint.lintFiles(['src', 'test', 'scripts']);
  const problems = results.flatMap((r) => r.messages.map((m) => `${path.relative(repoRoot, r.filePath)}:${m.line}:${m.column} ${m.ruleId ?? 'parse'}: ${m.message}`));
  return { title: `eslint (${results.length} files)`, problems };
}

export async function runLint(say: (line: string) => void): Promise<LayerReport> {
  const checks = [typeCheck('.'), typeCheck('test'), typeCheck('src/webviews'), await lint()];
  for (const c of checks) {
    say(`  ${c.problems.length === 0 ? '✓' : '✗'} ${c.title}${c.problems.length ? `: ${c.problems.length} problem(s)` : ''}`);
    for (const p of c.problems.slice(0, 100)) say(`      ${p}`);
  }
  const failed = checks.filter((c) => c.problems.length > 0);
  return { layer: 'static', passed: checks.length - failed.length, failed: failed.length, failures: failed.map((c) => ({ title: c.title, message: c.problems.slice(0, 50).join('\n') })) };
}
