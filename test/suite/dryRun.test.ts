import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SandboxDryRunOutcome } from '../../src/files/dryRunFiles';
import { loadDryRun } from '../../src/files/dryRunFiles';
import { buildReport } from '../../src/sandbox/dryrun/report';
import { dryRun } from '../../src/sandbox/dryrun/simulate';
import type { TolokaTestApi } from '../../src/testSeam';
import type { DryRunReportPanel } from '../../src/views/dryrun/panel';
import { repoRoot } from '../runners/provision';
import { startSandbox } from '../../src/sandbox/server';
import { TolokaClient } from '../../src/toloka/client';
import { activateExtension, eventually, poolRow, resetEnvironment, useSandbox } from './extension';
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

  it('runs a pool file with its project, training and rules in the local sandbox, asks for the crowd and the seed, and writes the report beside it', async () => {
    const sandbox = await startSandbox({ tolokers: { assignmentsPerSecond: 0 } });
    try {
      await useSandbox(api, sandbox.origin);
      let prompter: ScriptedPrompter | undefined;
      const outcome = await answering(
        api,
        [
          { title: /^Dry-run dry-run\/birds\.pool\.json with which crowd\?$/, answer: { pick: 'Default crowd' } },
          { title: /^Seed of the simulated crowd$/, answer: { input: '3' } },
        ],
        async (p) => {
          prompter = p;
          return await vscode.commands.executeCommand<SandboxDryRunOutcome>('toloka.dryRunPool', pool);
        },
        // The summary's button: the copied pool's dashboard, from the local sandbox the extension looks at.
        (m) => (m.text.startsWith('Dry-run of dry-run/birds.pool.json') ? 'Open Pool Dashboard' : undefined),
      );
      assert.equal(outcome.reportFile, pool.fsPath.replace(/\.pool\.json$/, '.dry-run.md'));
      const md = fs.readFileSync(outcome.reportFile, 'utf8');
      const json = JSON.parse(fs.readFileSync(outcome.jsonFile, 'utf8')) as ReturnType<typeof buildReport>;
      // The same run through the vscode-free modules gives the same figures.
      const loaded = await loadDryRun({ poolFile: pool.fsPath, seed: 3 });
      assert.deepEqual(json, JSON.parse(JSON.stringify(buildReport(await dryRun(loaded.input), 3))));
      // And the sandbox's own records of the run are the report's figures.
      const client = new TolokaClient({ baseUrl: sandbox.apiRoot, credential: 'x' });
      const ids = outcome.sandbox;
      const copied = await client.pools.get(ids.pool_id);
      assert.equal(copied.status, 'CLOSED');
      assert.equal(copied.private_name, 'Dry-run: Birds, dry-run (seed 3)');
      const byStatus: Record<string, number> = {};
      for await (const a of client.assignments.all({ pool_id: ids.pool_id })) byStatus[a.status] = (byStatus[a.status] ?? 0) + 1;
      assert.deepEqual(byStatus, json.assignments);
      const banned = new Set<string>();
      for await (const r of client.userRestrictions.all({})) if (r.private_comment?.startsWith('Dry-run: Birds, dry-run (seed 3): ')) banned.add(r.user_id);
      assert.equal(banned.size, json.bans.tolokers);
      let skilled = 0;
      for await (const _ of client.userSkills.all({ skill_id: ids.skill_ids['2626'] ?? '' })) skilled++;
      assert.equal(skilled, json.skills.find((x) => x.skillId === '2626')?.tolokers);
      assert.ok(json.bans.tolokers > 0 && json.recompletions.suites > 0, 'the golden-set rule banned, USERS_ASSESSMENT recompleted');
      assert.match(md, new RegExp(`\\| Tolokers banned \\| ${json.bans.tolokers} \\|`));
      assert.match(md, new RegExp(`\\| Recompleted suites \\| ${json.recompletions.suites} `));
      assert.match(md, /\| Training \| \d+ passed, \d+ failed \|/);
      assert.match(md, new RegExp(`In the local sandbox: project ${ids.project_id}, pool ${ids.pool_id}, training ${ids.training_id ?? ''}`));
      const shown = await eventually('the summary notification', () => prompter?.shown.find((m) => m.text.startsWith('Dry-run of dry-run/birds.pool.json: completed')));
      assert.match(shown.text, new RegExp(`${json.bans.tolokers} Toloker\\(s\\) banned, ${json.recompletions.suites} suite\\(s\\) recompleted, \\d+ finding\\(s\\)\\. In the local sandbox as pool ${ids.pool_id}\\.$`));
      assert.deepEqual(shown.actions, ['Open Markdown Report', 'Open Pool Dashboard']);
      const dashboard = await eventually('the dashboard of the copied pool', () => api.dashboard(ids.pool_id), 30_000);
      assert.ok(dashboard);
      assert.deepEqual(prompter?.problems, []);
    } finally {
      await resetEnvironment();
      await sandbox.stop();
    }
  });

  it("dry-runs the playground's pipeline (playground/pipeline/) in the local sandbox: its skill file is one sandbox skill, its records the report's", async () => {
    const sandbox = await startSandbox({ tolokers: { assignmentsPerSecond: 0 } });
    try {
      await useSandbox(api, sandbox.origin);
      const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
      const dir = path.join(root, 'pipeline');
      fs.mkdirSync(dir, { recursive: true });
      for (const f of fs.readdirSync(path.join(repoRoot, 'playground/pipeline'))) fs.copyFileSync(path.join(repoRoot, 'playground/pipeline', f), path.join(dir, f));
      const outcome = await answering(
        api,
        [
          { title: /^Dry-run pipeline\/animals\.pool\.json with which crowd\?$/, answer: { pick: 'Default crowd' } },
          { title: /^Seed of the simulated crowd$/, answer: { input: '2' } },
        ],
        () => vscode.commands.executeCommand<SandboxDryRunOutcome>('toloka.dryRunPool', vscode.Uri.file(path.join(dir, 'animals.pool.json'))),
      );
      const ids = outcome.sandbox;
      const skill = ids.skill_ids['file:accuracy.skill.json'];
      assert.ok(skill, JSON.stringify(ids.skill_ids));
      assert.equal(sandbox.state.skills.get(skill)?.name, 'Animals: accuracy on control tasks', "the copy takes the skill file's name");
      const copied = sandbox.state.pools.get(ids.pool_id);
      assert.equal(copied?.data.tasks.length, outcome.report.pool.tasks + outcome.report.pool.controlTasks);
      assert.match(JSON.stringify(copied?.api.filter), new RegExp(`"key":"${skill}"`), 'the filter names the sandbox skill');
      const byStatus: Record<string, number> = {};
      for (const a of copied?.data.assignments ?? []) byStatus[a.status] = (byStatus[a.status] ?? 0) + 1;
      assert.deepEqual(byStatus, outcome.report.assignments);
      const trainingRuns = sandbox.state.pools.get(ids.training_id ?? '')?.data.assignments.length ?? 0;
      assert.equal(trainingRuns, Object.values(outcome.report.training?.assignments ?? {}).reduce((a, b) => a + b, 0));
      assert.ok((outcome.report.training?.passed ?? 0) > 0);
    } finally {
      await resetEnvironment();
      await sandbox.stop();
    }
  });

  it('shows the report in a webview whose data is the JSON report, opened after the run and from the JSON file', async () => {
    const json = pool.fsPath.replace(/\.pool\.json$/, '.dry-run.json');
    assert.ok(fs.existsSync(json), 'the first test wrote the report');
    const reportTabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('toloka.dryRunReport'));
    // The dry-run above opened it.
    await eventually('the report panel the dry-run opened', () => reportTabs().find((t) => t.label === 'Dry-run: birds'));
    const panel = await vscode.commands.executeCommand<DryRunReportPanel>('toloka.openDryRunReport', vscode.Uri.file(json));
    const sent = await eventually('the report sent to the webview once it is ready', () => (panel.lastMessage?.type === 'report' ? panel.lastMessage : undefined), 30_000);
    assert.deepEqual(sent.report, JSON.parse(fs.readFileSync(json, 'utf8')));
    assert.equal(sent.file, 'birds.dry-run.json');
    assert.equal(reportTabs().filter((t) => t.label === 'Dry-run: birds').length, 1, 'one panel per report: opening it again shows the same panel');
    panel.panel.dispose();
  });

  it('says which field of a JSON file is not a dry-run report', async () => {
    const bad = pool.fsPath.replace(/birds\.pool\.json$/, 'broken.dry-run.json');
    const good = JSON.parse(fs.readFileSync(pool.fsPath.replace(/\.pool\.json$/, '.dry-run.json'), 'utf8')) as { cost: Record<string, unknown> };
    good.cost['total'] = 'a lot';
    fs.writeFileSync(bad, JSON.stringify(good));
    const panel = await vscode.commands.executeCommand<DryRunReportPanel>('toloka.openDryRunReport', vscode.Uri.file(bad));
    const sent = await eventually('the error sent to the webview', () => (panel.lastMessage?.type === 'error' ? panel.lastMessage : undefined), 30_000);
    assert.match(sent.message, /^broken\.dry-run\.json is not a dry-run report: cost\.total: /);
    panel.panel.dispose();
  });

  it('runs a pool in the tree: its settings and tasks read from the sandbox, the report in dry-runs/', async () => {
    const sandbox = await startSandbox({ tolokers: { assignmentsPerSecond: 0 } });
    try {
      await useSandbox(api, sandbox.origin);
      const client = new TolokaClient({ baseUrl: sandbox.apiRoot, credential: 'x' });
      const project = await client.projects.create({
        public_name: 'Birds', public_description: 'Birds',
        task_spec: { input_spec: { image: { type: 'url', required: true } }, output_spec: { result: { type: 'string', required: true, allowed_values: ['bird', 'no_bird'] } }, view_spec: { type: 'classic', markup: '<p></p>' } },
      });
      const pool = await client.pools.create({
        project_id: project.id ?? '', private_name: 'Birds in the tree', may_contain_adult_content: false, will_expire: '2030-01-01T00:00:00', reward_per_assignment: 0.02, assignment_max_duration_seconds: 600,
        defaults: { default_overlap_for_new_task_suites: 3, default_overlap_for_new_tasks: 3 }, mixer_config: { real_tasks_count: 2, golden_tasks_count: 1, training_tasks_count: 0 },
        quality_control: { configs: [{ collector_config: { type: 'GOLDEN_SET', parameters: { history_size: 5 } }, rules: [{ conditions: [{ key: 'total_answers_count', operator: 'GTE', value: 2 }, { key: 'correct_answers_rate', operator: 'LT', value: 50 }], action: { type: 'RESTRICTION_V2', parameters: { scope: 'PROJECT', duration_unit: 'PERMANENT' } } }] }] },
      });
      const tasks = [
        ...Array.from({ length: 60 }, (_, i) => ({ pool_id: pool.id ?? '', input_values: { image: `https://example.com/${i}.jpg` }, overlap: 3 })),
        ...Array.from({ length: 40 }, (_, i) => ({ pool_id: pool.id ?? '', input_values: { image: `https://example.com/g${i}.jpg` }, known_solutions: [{ output_values: { result: i % 2 ? 'bird' : 'no_bird' } }] })),
      ];
      await client.tasks.createMany(tasks, { allowDefaults: true });
      const outcome = await answering(
        api,
        [
          { title: new RegExp(`^Dry-run pool ${pool.id ?? ''} with which crowd\\?$`), answer: { pick: 'Default crowd' } },
          { title: /^Seed of the simulated crowd$/, answer: { input: '1' } },
        ],
        () => vscode.commands.executeCommand<SandboxDryRunOutcome>('toloka.dryRunPool', poolRow(pool)),
      );
      assert.match(outcome.reportFile, new RegExp(`dry-runs[\\\\/]pool-${pool.id ?? ''}\\.dry-run\\.md$`));
      assert.equal(outcome.report.pool.tasks, 60);
      assert.equal(outcome.report.pool.controlTasks, 40);
      assert.equal(outcome.report.rules.length, 1);
      assert.match(fs.readFileSync(outcome.reportFile, 'utf8'), /# Dry-run of Birds in the tree/);
      assert.equal(sandbox.state.pools.get(pool.id ?? '')?.data.assignments.length, 0, 'the pool itself is untouched: the dry-run ran on a copy');
      const copy = sandbox.state.pools.get(outcome.sandbox.pool_id);
      assert.equal(copy?.data.tasks.length, 100);
      assert.equal(copy?.data.assignments.length, Object.values(outcome.report.assignments).reduce((a, b) => a + b, 0));
    } finally {
      await resetEnvironment();
      await sandbox.stop();
    }
  });
});
