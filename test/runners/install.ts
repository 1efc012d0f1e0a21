/**
 * Installs this extension into a code-server extensions folder the way a .vsix install lays
 * it out: `<publisher>.<name>-<version>/` holding exactly the packaged files.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './provision';

/** What the .vsix carries; .vscodeignore keeps everything else out (checked by a unit test). */
export const packagedEntries = ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'dist', 'media'] as const;

interface Manifest {
  readonly publisher: string;
  readonly name: string;
  readonly version: string;
}

export function extensionFolderName(): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as Manifest;
  return `${manifest.publisher}.${manifest.name}-${manifest.version}`;
}

export function installExtensionInto(extensionsDir: string): string {
  const target = path.join(extensionsDir, extensionFolderName());
  fs.rmSync(target, { recursive: true, force: true });
  fs.mkdirSync(target, { recursive: true });
  for (const entry of packagedEntries) {
    const from = path.join(repoRoot, entry);
    if (!fs.existsSync(from)) {
      if (entry === 'dist') throw new Error('dist/ is missing: build the extension first (node esbuild.js)');
      continue;
    }
    fs.cpSync(from, path.join(target, entry), { recursive: true });
  }
  return target;
}
