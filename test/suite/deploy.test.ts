import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Sandbox } from '../../src/sandbox/server';
import { TolokaClient } from '../../src/toloka/client';
import type { TolokaTestApi } from '../../src/testSeam';
import { eventually, EXTENSION_ID, withTestSandbox } from './extension';
import { answering } from './prompter';

interface ApplyOutcome { readonly applied: boolean; readonly created?: number; readonly updated?: number }
interface PlanOutcome { readonly changes: number; readonly items: ReadonlyArray<{ key: string; action: string; changes: string[] }> }

describe('Deploy from files: Plan, Apply, the CodeLens', function () {
  this.timeout(60_000);
  let sandbox: Sandbox;
  let api: TolokaTestApi;
  let dir = '';

  withTestSandbox({ quotas: false, tolokers: { assignmentsPerSecond: 0 } }, (t) => {
    ({ sandbox, api } = t);
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
    dir = path.join(root, 'pipeline');
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(path.join(dir, '.toloka'), { recursive: true });
    const example = path.join(vscode.extensions.getExtension(EXTENSION_ID)?.extensionPath ?? '', 'playground', 'pipeline');
    for (const f of fs.readdirSync(example)) if (/\.(skill|project|training|pool)\.json$/.test(f)) fs.copyFileSync(path.join(example, f), path.join(dir, f));
  });

  it('applies the example pipeline after one confirmation, linked by id; again it is nothing to do; a new reward is one update', async () => {
    const folder = vscode.Uri.file(dir);
    const first = await answering(api, [{ title: /^Apply to Toloka local\? 4 to create/, answer: { confirm: true } }], () => vscode.commands.executeCommand<ApplyOutcome>('toloka.deploy.apply', folder));
    assert.equal(first.created, 4);
    assert.equal(sandbox.state.skills.size, 1);
    assert.equal(sandbox.state.projects.size, 1);
    const pools = [...sandbox.state.pools.values()];
    const pool = pools.find((p) => p.kind === 'pool');
    const training = pools.find((p) => p.kind === 'training');
    const [projectId] = [...sandbox.state.projects.keys()];
    assert.equal(pools.length, 2);
    assert.equal(pool?.api.project_id, projectId);
    assert.equal(training?.api.project_id, projectId);
    assert.equal((pool?.api as { quality_control?: { training_requirement?: { training_pool_id?: string } } } | undefined)?.quality_control?.training_requirement?.training_pool_id, training?.api.id);

    const again = await answering(api, [], () => vscode.commands.executeCommand<ApplyOutcome>('toloka.deploy.apply', folder));
    assert.equal(again.created, 0, 'nothing to do, and nothing asked');

    const poolFile = path.join(dir, 'animals.pool.json');
    fs.writeFileSync(poolFile, fs.readFileSync(poolFile, 'utf8').replace('"reward_per_assignment": 0.02', '"reward_per_assignment": 0.05'));
    const plan = await answering(api, [], () => vscode.commands.executeCommand<PlanOutcome>('toloka.deploy.plan', vscode.Uri.file(poolFile)));
    assert.deepEqual(plan.items.filter((i) => i.action !== 'unchanged').map((i) => [i.key, i.action, i.changes]), [['animals.pool.json', 'update', ['reward_per_assignment']]]);
    const updated = await answering(api, [{ title: /^Apply to Toloka local\? 0 to create, 1 to update/, answer: { confirm: true } }], () => vscode.commands.executeCommand<ApplyOutcome>('toloka.deploy.apply', vscode.Uri.file(poolFile)));
    assert.equal(updated.updated, 1);
    assert.equal(sandbox.state.pools.get(pool?.api.id ?? '')?.api.reward_per_assignment, 0.05);
  });

  it('updates an open pool through one confirmation by closing it for update and opening it again', async () => {
    const record = [...sandbox.state.pools.values()].find((p) => p.kind === 'pool');
    const poolId = record?.api.id ?? '';
    const client = new TolokaClient({ baseUrl: sandbox.apiRoot, credential: 'seed' });
    await client.tasks.createMany([{ pool_id: poolId, input_values: { image: 'https://example.com/1.jpg' }, overlap: 1 }]);
    const opened = await client.pools.open(poolId);
    if (opened) await client.operations.wait(opened, { firstDelayMs: 10, intervalMs: 20 });
    assert.equal(sandbox.state.pools.get(poolId)?.api.status, 'OPEN');
    const poolFile = path.join(dir, 'animals.pool.json');
    fs.writeFileSync(poolFile, fs.readFileSync(poolFile, 'utf8').replace('"private_name": "Animals, batch 1"', '"private_name": "Animals, batch 1 (open)"'));
    const updated = await answering(api, [{ title: /^Apply to Toloka local\? 0 to create, 1 to update/, answer: { confirm: true } }], () => vscode.commands.executeCommand<ApplyOutcome>('toloka.deploy.apply', vscode.Uri.file(poolFile)));
    assert.equal(updated.updated, 1);
    const after = sandbox.state.pools.get(poolId)?.api;
    assert.equal(after?.private_name, 'Animals, batch 1 (open)');
    assert.equal(after?.status, 'OPEN', 'opened again after the update');
  });

  it('puts Plan · Apply · Diff on a pool file, and Dashboard with the pool id once it is applied here', async () => {
    const uri = vscode.Uri.file(path.join(dir, 'animals.pool.json'));
    await vscode.window.showTextDocument(uri);
    const poolId = [...sandbox.state.pools.values()].find((p) => p.kind === 'pool')?.api.id;
    const lenses = await eventually('the lenses with Dashboard', async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
      return l.some((x) => x.command?.title === 'Dashboard') ? l : undefined;
    });
    const ours = lenses.filter((l) => l.command?.command.startsWith('toloka.deploy.') || l.command?.command === 'toloka.pool.dashboard');
    assert.deepEqual(ours.map((l) => l.command?.title), ['Plan', 'Apply', 'Diff', 'Dashboard']);
    assert.deepEqual(ours[3]?.command?.arguments, [{ kind: 'pool', pool: { id: poolId } }]);
    const diff = await vscode.commands.executeCommand<{ id: string; changes: string[] }>('toloka.deploy.diff', uri);
    assert.deepEqual(diff, { id: poolId, changes: [] });
    const project = vscode.Uri.file(path.join(dir, 'animals.project.json'));
    await vscode.window.showTextDocument(project);
    const projectLenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', project);
    assert.ok(!projectLenses.some((l) => l.command?.title === 'Dashboard'));
  });

  it('saves an existing pool to the workspace with what it references; applying that folder is nothing to do', async () => {
    const poolId = [...sandbox.state.pools.values()].find((p) => p.kind === 'pool')?.api.id ?? '';
    const saved = await answering(api, [{ title: /^Save pool .* to which folder/, answer: { input: 'pulled' } }], () => vscode.commands.executeCommand<{ files: string[] }>('toloka.deploy.pull', { kind: 'pool', pool: { id: poolId } }));
    assert.equal(saved.files.length, 4);
    const folder = vscode.Uri.file(path.join(path.dirname(dir), 'pulled'));
    const applied = await answering(api, [], () => vscode.commands.executeCommand<ApplyOutcome>('toloka.deploy.apply', folder));
    assert.deepEqual([applied.applied, applied.created, applied.updated], [true, 0, 0]);
    assert.equal([...sandbox.state.pools.values()].length, 2, 'nothing new on Toloka');
  });

  it('follows a reference with Go to Definition and answers Find All References', async () => {
    const pool = vscode.Uri.file(path.join(dir, 'animals.pool.json'));
    const doc = await vscode.workspace.openTextDocument(pool);
    const at = doc.positionAt(doc.getText().indexOf('./animals.project.json') + 3);
    const defs = await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeDefinitionProvider', pool, at);
    assert.ok(defs.some((d) => d.uri.fsPath === path.join(dir, 'animals.project.json')), JSON.stringify(defs));
    const skillAt = doc.positionAt(doc.getText().indexOf('./accuracy.skill.json') + 3);
    const refs = await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', pool, skillAt);
    assert.equal(refs.filter((r) => r.uri.fsPath === pool.fsPath).length, 4, 'the skill is named four times in the pool file');
  });
});
