/**
 * The lint rules that state the layers of src/ and the promise rules, run for real: the
 * project's own eslint.config.mjs and tsconfig.json in a scratch folder (node_modules linked),
 * over files that break a rule on purpose. A rule that does not fire fails here, whatever the
 * config says.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ESLint } from 'eslint';
import { repoRoot } from '../runners/provision';

const probes: Record<string, string> = {
  'src/files/usesVscode.ts': "import * as vscode from 'vscode';\nexport const probe: unknown = vscode;\n",
  'src/files/usesVscodeTypes.ts': "import type * as vscode from 'vscode';\nexport type Probe = vscode.Uri;\n",
  'src/aggregation/usesVscode.ts': "import { window } from 'vscode';\nexport const probe: unknown = window;\n",
  'src/toloka/usesViews.ts': "import { registerExplorer } from '../views/explorer';\nexport const probe: unknown = registerExplorer;\n",
  'src/sandbox/usesCommands.ts': "import { registerCommand } from '../commands/registerCommand';\nexport const probe: unknown = registerCommand;\n",
  'src/views/usesCommands.ts': "import { pickPool } from '../commands/pick';\nexport const probe: unknown = pickPool;\n",
  'src/commands/usesVscode.ts': "import * as vscode from 'vscode';\nexport const probe: unknown = vscode;\n",
  'src/files/floating.ts': 'async function work(): Promise<number> {\n  return 1;\n}\nexport function start(): void {\n  work();\n}\n',
  'src/files/generated.ts': "export const f = new Function('return 1');\n",
};

describe('lint rules (eslint.config.mjs)', () => {
  let dir = '';
  let byFile = new Map<string, string[]>();

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tlk-lint-'));
    for (const f of ['eslint.config.mjs', 'tsconfig.json']) fs.copyFileSync(path.join(repoRoot, f), path.join(dir, f));
    fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    for (const [file, text] of Object.entries(probes)) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    }
    // The imported modules exist, as they do in the real tree.
    for (const stub of ['src/views/explorer.ts', 'src/commands/registerCommand.ts', 'src/commands/pick.ts']) {
      const name = stub.endsWith('explorer.ts') ? 'registerExplorer' : stub.endsWith('pick.ts') ? 'pickPool' : 'registerCommand';
      fs.writeFileSync(path.join(dir, stub), `export function ${name}(): void {}\n`);
    }
    const results = await new ESLint({ cwd: dir }).lintFiles(Object.keys(probes));
    byFile = new Map(results.map((r) => [path.relative(dir, r.filePath), r.messages.map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`)]));
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const rulesOf = (file: string): string[] => byFile.get(file) ?? assert.fail(`${file} was not linted`);

  it('refuses vscode in the library folders, type imports included', () => {
    for (const f of ['src/files/usesVscode.ts', 'src/files/usesVscodeTypes.ts', 'src/aggregation/usesVscode.ts']) {
      assert.ok(rulesOf(f).some((m) => m.startsWith('no-restricted-imports:') && m.includes('must not import vscode')), `${f}: ${rulesOf(f).join('; ')}`);
    }
  });

  it('refuses imports of the editor layers from the library folders, and of commands from views', () => {
    assert.ok(rulesOf('src/toloka/usesViews.ts').some((m) => /no-restricted-imports: .*must not import from src\/views/.test(m)), rulesOf('src/toloka/usesViews.ts').join('; '));
    assert.ok(rulesOf('src/sandbox/usesCommands.ts').some((m) => /no-restricted-imports: .*must not import from src\/commands/.test(m)), rulesOf('src/sandbox/usesCommands.ts').join('; '));
    assert.ok(rulesOf('src/views/usesCommands.ts').some((m) => /no-restricted-imports: .*Views must not import from src\/commands/.test(m)), rulesOf('src/views/usesCommands.ts').join('; '));
  });

  it('lets the editor layers use vscode', () => {
    assert.deepEqual(rulesOf('src/commands/usesVscode.ts'), []);
  });

  it('catches a floating promise and runtime code generation', () => {
    assert.ok(rulesOf('src/files/floating.ts').some((m) => m.startsWith('@typescript-eslint/no-floating-promises:')), rulesOf('src/files/floating.ts').join('; '));
    assert.ok(rulesOf('src/files/generated.ts').some((m) => m.startsWith('no-new-func:')), rulesOf('src/files/generated.ts').join('; '));
  });
});
