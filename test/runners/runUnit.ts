/** Runs the unit tests (test/unit, plain Node, node's test runner) and counts them. */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './provision';
import type { LayerReport } from './report';
import { artifactsDir } from './workspace';

export function listFiles(dir: string, suffix: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full, suffix));
    else if (entry.name.endsWith(suffix)) out.push(full);
  }
  return out.sort();
}

export async function runUnit(say: (line: string) => void): Promise<LayerReport> {
  const files = listFiles(path.join(repoRoot, 'out', 'test', 'unit'), '.test.js');
  const tap = path.join(artifactsDir('unit'), 'unit.tap');
  const grep = process.env['TOLOKA_TEST_GREP'];
  const args = [
    '--enable-source-maps',
    '--expose-gc',
    '--test',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`,
    ...(grep ? [`--test-name-pattern=${grep}`] : []),
    ...files,
  ];
  const code = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    const relay = (chunk: Buffer): void => {
      for (const line of chunk.toString('utf8').trimEnd().split('\n')) say(line);
    };
    child.stdout.on('data', relay);
    child.stderr.on('data', relay);
    child.on('close', (c) => resolve(c ?? 1));
  });
  const text = fs.existsSync(tap) ? fs.readFileSync(tap, 'utf8') : '';
  const count = (name: string): number => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
  const passed = count('pass');
  const failed = count('fail') + count('cancelled');
  const failures = [...text.matchAll(/^not ok \d+ - (.*)$/gm)].map((m) => ({ title: m[1] ?? '', message: 'see the unit output above' }));
  if (code !== 0 && failed === 0) {
    return { layer: 'unit', passed, failed: 1, failures: [{ title: 'unit runner', message: `node --test exited with ${code}` }] };
  }
  return { layer: 'unit', passed, failed, failures };
}
