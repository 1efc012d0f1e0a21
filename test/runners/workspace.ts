/** A throw-away copy of the test workspace, so tests may write into it freely. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from './provision';

export function freshWorkspace(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tlk-${prefix}-`));
  const fixture = path.join(repoRoot, 'test', 'fixtures', 'workspace');
  if (fs.existsSync(fixture)) fs.cpSync(fixture, dir, { recursive: true });
  return dir;
}

export function artifactsDir(...parts: string[]): string {
  const dir = path.join(repoRoot, 'artifacts', ...parts);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}
