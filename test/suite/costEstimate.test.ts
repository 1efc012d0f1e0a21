import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { median } from '../../src/aggregation/median';
import { suiteSeconds } from '../../src/insights/poolCost';
import type { Sandbox } from '../../src/sandbox/server';
import { TolokaClient } from '../../src/toloka/client';
import { eventually, literally, poolRow, withTestSandbox, workspaceFile } from './extension';

const spec = { input_spec: { text: { type: 'string' as const } }, output_spec: { label: { type: 'string' as const, allowed_values: ['a', 'b'] } } };
const poolFile = { private_name: 'Cost', reward_per_assignment: 0.05, defaults: { default_overlap_for_new_tasks: 3, default_overlap_for_new_task_suites: 3 }, mixer_config: { real_tasks_count: 4, golden_tasks_count: 1, training_tasks_count: 0 } };
const task = (i: number, extra: object = {}) => JSON.stringify({ input_values: { text: `t${i}` }, ...extra });

async function lenses(uri: vscode.Uri): Promise<string[]> {
  const found = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 10);
  return found.map((l) => l.command?.title ?? '');
}

describe('Cost estimate while editing a pool file', function () {
  this.timeout(90_000);
  let sandbox: Sandbox;

  withTestSandbox({ quotas: false, tolokers: { assignmentsPerSecond: 2000, thinkMs: [1, 3], count: 8 } }, (t) => {
    ({ sandbox } = t);
  });

  after(async () => {
    await vscode.workspace.getConfiguration('toloka').update('costEstimate.minHourlyReward', undefined, vscode.ConfigurationTarget.Global);
  });

  it('shows "≈ $X for N tasks" from the tasks file beside it, explains it on hover, and follows the file as it changes', async () => {
    const tasks = workspaceFile('cost.tasks.jsonl', [task(1, { overlap: 5 }), ...[2, 3, 4, 5, 6, 7, 8, 9, 10].map((i) => task(i)), task(11, { known_solutions: [{ output_values: { label: 'a' } }] })].join('\n') + '\n');
    const uri = workspaceFile('cost.pool.json', JSON.stringify(poolFile, null, 2));
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    // 5 + 9 × 3 = 32 answers in suites of 4 real tasks: 8 suites × ($0.05 + 30% fee) = $0.52.
    await eventually('the cost lens', async () => (await lenses(uri)).includes('≈ $0.52 for 10 tasks'), 20_000);

    const at = doc.positionAt(doc.getText().indexOf('"reward_per_assignment"') + 3);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, at);
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, literally('10 real tasks and 1 control task, from cost.tasks.jsonl'));
    assert.match(text, literally('$0.40 in rewards ($0.05 a suite) + $0.12 Toloka\'s fee = $0.52'));

    fs.appendFileSync(tasks.fsPath, [12, 13, 14, 15].map((i) => task(i)).join('\n') + '\n');
    // 32 + 4 × 3 = 44 answers: 11 suites × $0.065 = $0.715.
    await eventually('the lens to follow the tasks file', async () => (await lenses(uri)).some((t) => t.startsWith('≈ $0.7') && t.endsWith('for 14 tasks')), 20_000);
  });

  it("uses an open pool's own task count and median time, and warns when the reward pays under the minimum an hour", async () => {
    const client = new TolokaClient({ baseUrl: sandbox.apiRoot, credential: 't' });
    const projectId = (await client.projects.create({ public_name: 'Cost', task_spec: spec })).id ?? '';
    const p = await client.pools.create({ ...poolFile, project_id: projectId, will_expire: '2099-01-01T00:00:00', assignment_max_duration_seconds: 60, mixer_config: { real_tasks_count: 1, golden_tasks_count: 0, training_tasks_count: 0 } });
    const id = p.id ?? '';
    await client.tasks.createMany(Array.from({ length: 12 }, (_, i) => ({ pool_id: id, input_values: { text: `t${i}` }, overlap: 3 })), { openPool: true });
    await eventually('the pool to complete', async () => (await client.pools.get(id)).status === 'CLOSED', 30_000);
    const rec = sandbox.state.pools.get(id);
    assert.ok(rec);
    const seconds = median(suiteSeconds(rec.data.assignments.filter((a) => a.submitted)));
    assert.ok(seconds !== undefined && seconds > 0, 'the sandbox timed its assignments');
    const hourly = (0.05 * 3600) / seconds;
    await vscode.workspace.getConfiguration('toloka').update('costEstimate.minHourlyReward', Math.ceil(hourly * 2), vscode.ConfigurationTarget.Global);

    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('toloka.pool.openAsJson', poolRow(await client.pools.get(id)));
    const uri = editor.document.uri;
    // 12 tasks × overlap 3, one a suite: 36 suites × $0.065.
    await eventually('the lens from the pool on the sandbox', async () => (await lenses(uri)).some((t) => t.startsWith('≈ $2.34 for 12 tasks')), 20_000);
    const warning = await eventually('the hourly warning', () => vscode.languages.getDiagnostics(uri).find((d) => d.source === 'Toloka cost'), 20_000);
    assert.equal(warning.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(warning.message, literally(`pays $${hourly.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} an hour`));
    assert.match(warning.message, /under your minimum/);
    assert.equal(editor.document.getText(warning.range).trim(), '0.05', 'the warning is on the reward');

    await vscode.workspace.getConfiguration('toloka').update('costEstimate.minHourlyReward', 0, vscode.ConfigurationTarget.Global);
    await eventually('the warning to go with a minimum of 0', async () => {
      await lenses(uri);
      return !vscode.languages.getDiagnostics(uri).some((d) => d.source === 'Toloka cost');
    }, 20_000);
  });
});
