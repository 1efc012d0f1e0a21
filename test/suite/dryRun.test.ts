import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DryRunOutcome } from '../../src/files/dryRunFiles';
import { loadDryRun } from '../../src/files/dryRunFiles';
import { buildReport } from '../../src/sandbox/dryrun/report';
import { dryRun } from '../../src/sandbox/dryrun/simulate';
import type { TolokaTestApi } from '../../src/testSeam';
import { repoRoot } from '../runners/provision';
import { activateExtension, eventually } from './extension';
import { answering, type ScriptedPrompter } from './prompter';

describe('Dry-Run Pool', function () {
  this.timeout(120_000);
  let api: TolokaTestApi;
  let pool: vscode.Uri;

  before(async () => {
    api = await activateExtension();
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(root, 'the tests run in a workspace');
    const dir = path.join(root, 'dry-run');
    fs.mkdirSync(dir, { recursive: true });
    for (const f of fs.readdirSync(path.join(repoRoot, 'test/fixtures/dryrun'))) fs.copyFileSync(path.join(repoRoot, 'test/fixtures/dryrun', f), path.join(dir, f));
    pool = vscode.Uri.file(path.join(dir, 'birds.pool.json'));
  });

  it('runs a pool file with its project, training and rules, asks for the crowd and the seed, and writes the report beside it', async () => {
    let prompter: ScriptedPrompter | undefined;
    const outcome = await answering(
      api,
      [
        { title: /^Dry-run dry-run\/birds\.pool\.json with which crowd\?$/, answer: { pick: 'Default crowd' } },
        { title: /^Seed of the simulated crowd$/, answer: { input: '3' } },
      ],
      async (p) => {
        prompter = p;
        return await vscode.commands.executeCommand<DryRunOutcome>('toloka.dryRunPool', pool);
      },
    );
    assert.equal(outcome.reportFile, pool.fsPath.replace(/\.pool\.json$/, '.dry-run.md'));
    const md = fs.readFileSync(outcome.reportFile, 'utf8');
    const json = JSON.parse(fs.readFileSync(outcome.jsonFile, 'utf8')) as ReturnType<typeof buildReport>;
    // The same run through the vscode-free modules, from its records: the command's figures are the run's.
    const loaded = await loadDryRun({ poolFile: pool.fsPath, seed: 3 });
    const records = await dryRun(loaded.input);
    const expected = buildReport(records, 3);
    assert.deepEqual(json, JSON.parse(JSON.stringify(expected)));
    const accepted = records.assignments.filter((a) => a.pool === 'pool' && a.status === 'ACCEPTED').length;
    assert.equal(json.assignments['ACCEPTED'], accepted);
    assert.equal(json.bans.tolokers, new Set(records.bans.map((b) => b.member)).size);
    assert.ok(json.bans.tolokers > 0 && json.recompletions.suites > 0, 'the golden-set rule banned, USERS_ASSESSMENT recompleted');
    assert.match(md, new RegExp(`\\| Tolokers banned \\| ${json.bans.tolokers} \\|`));
    assert.match(md, new RegExp(`\\| Recompleted suites \\| ${json.recompletions.suites} `));
    assert.match(md, /\| Training \| \d+ passed, \d+ failed \|/);
    const shown = await eventually('the summary notification', () => prompter?.shown.find((m) => m.text.startsWith('Dry-run of dry-run/birds.pool.json: completed')));
    assert.match(shown.text, new RegExp(`${json.bans.tolokers} Toloker\\(s\\) banned, ${json.recompletions.suites} suite\\(s\\) recompleted`));
    assert.deepEqual(shown.actions, ['Open Report']);
    assert.deepEqual(prompter?.problems, []);
  });
});
