/**
 * `npm run package`: a production build and a .vsix made by vsce, then the list of what the
 * .vsix holds, so that anything that should not ship is seen at once.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../test/runners/provision';
import { zipEntries } from './zipEntries';

const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { name: string; version: string };
const out = path.join(repoRoot, `${manifest.name}-${manifest.version}.vsix`);
const vsce = path.join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');

// vsce runs `vscode:prepublish` (the production build) itself.
execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--out', out], { cwd: repoRoot, stdio: 'inherit' });
const entries = zipEntries(out);
for (const e of entries) console.log(`${String(e.size).padStart(10)}  ${e.name}`);
console.log(`${entries.length} files, ${(fs.statSync(out).size / 1024).toFixed(1)} KiB: ${path.relative(repoRoot, out)}`);
