/** What the .vsix would carry, as vsce itself computes it from .vscodeignore. */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { packagedEntries } from '../runners/install';
import { repoRoot } from '../runners/provision';

describe('.vsix contents', () => {
  it('holds the bundle, the worker and sandbox scripts, the JSON Schemas, manifest, README, CHANGELOG, LICENSE and media only', () => {
    const vsce = path.join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
    const listed = execFileSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: repoRoot, encoding: 'utf8' })
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    const allowed = (f: string): boolean => ['dist/extension.js', 'dist/aggregationWorker.js', 'dist/sandbox.js', 'dist/statsWorker.js'].includes(f) || /^dist\/schemas\/[\w-]+\.schema\.json$/.test(f) || /^dist\/webviews\/[\w-]+\.(js|css)$/.test(f) || f.startsWith('media/') || ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE'].includes(f);
    const unexpected = listed.filter((f) => !allowed(f));
    assert.deepEqual(unexpected, [], `files that should not ship: ${unexpected.join(', ')}`);
    for (const must of ['package.json', 'README.md', 'LICENSE', 'dist/extension.js', 'dist/aggregationWorker.js', 'dist/sandbox.js', 'dist/statsWorker.js', 'dist/webviews/dashboard.js', 'dist/webviews/dashboard.css', 'dist/schemas/pool.schema.json', 'media/icon.png']) {
      assert.ok(listed.includes(must), `${must} ships`);
    }
    // The UI tests install the same set, so they test what users get.
    for (const entry of packagedEntries) {
      assert.ok(listed.some((f) => f === entry || f.startsWith(`${entry}/`)) || !fs.existsSync(path.join(repoRoot, entry)), `${entry} is packaged`);
    }
  });
});
