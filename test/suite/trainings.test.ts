import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { UploadResult } from '../../src/files/upload';
import type { Sandbox } from '../../src/sandbox/server';
import { TolokaClient } from '../../src/toloka/client';
import type { TolokaTestApi } from '../../src/testSeam';
import type { Node } from '../../src/views/explorer/model';
import { withTestSandbox, workspaceFile } from './extension';
import { answering } from './prompter';

const spec = { input_spec: { text: { type: 'string' as const } }, output_spec: { label: { type: 'string' as const, allowed_values: ['a', 'b'] } } };
type TrainingRow = Extract<Node, { kind: 'training' }>;

describe('Training pools in the explorer: lifecycle and tasks', function () {
  this.timeout(60_000);
  let sandbox: Sandbox;
  let client: TolokaClient;
  let api: TolokaTestApi;
  let projectId = '';
  let trainingId = '';

  withTestSandbox({ quotas: false, tolokers: { assignmentsPerSecond: 0 } }, async (t) => {
    ({ sandbox, api } = t);
    client = t.client;
    projectId = (await client.projects.create({ public_name: 'Trainings project', task_spec: spec })).id ?? '';
    trainingId = (await client.trainings.create({ project_id: projectId, private_name: 'Warm-up', inherited_instructions: true, training_tasks_in_task_suite_count: 1, assignment_max_duration_seconds: 60 })).id ?? '';
  });

  const trainings = async (): Promise<TrainingRow[]> => {
    const project = (await api.explorer.provider.getChildren()).find((n) => n.kind === 'project' && n.project.id === projectId);
    assert.ok(project, 'the project is listed');
    const section = (await api.explorer.provider.getChildren(project)).find((n) => n.kind === 'trainings');
    assert.ok(section, 'a Training pools node');
    return (await api.explorer.provider.getChildren(section)).filter((n): n is TrainingRow => n.kind === 'training');
  };
  const row = async (id = trainingId): Promise<TrainingRow> => {
    const found = (await trainings()).find((t) => t.pool.id === id);
    assert.ok(found, `training ${id} is listed`);
    return found;
  };
  const recorded = (id = trainingId) => sandbox.state.pools.get(id);

  it('uploads training tasks with their known solutions and hints from the row, then shows them as child rows', async () => {
    api.explorer.model.refresh();
    workspaceFile('warm-up.training-tasks.jsonl', ['a', 'b', 'a'].map((label, i) => JSON.stringify({ input_values: { text: `t ${i}` }, known_solutions: [{ output_values: { label } }], message_on_unknown_solution: `It is ${label}` })).join('\n'));
    const node = await row();
    const r = await answering(
      api,
      [
        { title: /^Upload tasks from which file/, answer: { pick: /warm-up\.training-tasks\.jsonl$/ } },
        { title: /^Upload .* to training pool "Warm-up"/, answer: { pickMany: [] } },
      ],
      () => vscode.commands.executeCommand<UploadResult>('toloka.uploadTasks', node),
    );
    assert.equal(r.created, 3);
    const tasks = recorded()?.data.tasks ?? [];
    assert.deepEqual(tasks.map((t) => [t.api.input_values['text'], t.api.known_solutions?.[0]?.output_values['label'], t.api.message_on_unknown_solution]), [['t 0', 'a', 'It is a'], ['t 1', 'b', 'It is b'], ['t 2', 'a', 'It is a']]);
    const details = (await api.explorer.provider.getChildren(await row())).map((d) => (d.kind === 'detail' ? `${d.label}=${d.value}` : d.kind));
    assert.deepEqual(details, ['Status=CLOSED', 'Tasks=3', 'With a hint=3']);
  });

  it('opens, closes, clones and archives a training pool from its row (archive declined, then accepted)', async () => {
    api.explorer.model.refresh();
    assert.equal(api.explorer.provider.getTreeItem(await row()).contextValue, 'toloka.training.closed');
    await vscode.commands.executeCommand('toloka.pool.open', await row());
    assert.equal(recorded()?.api.status, 'OPEN');
    assert.equal((await row()).pool.status, 'OPEN', 'the row follows');
    assert.equal(api.explorer.provider.getTreeItem(await row()).contextValue, 'toloka.training.open');
    await vscode.commands.executeCommand('toloka.pool.close', await row());
    assert.equal(recorded()?.api.status, 'CLOSED');
    assert.equal(recorded()?.api.last_close_reason, 'MANUAL');

    await vscode.commands.executeCommand('toloka.pool.clone', await row());
    const copies = [...sandbox.state.pools.values()].filter((p) => p.kind === 'training' && p.api.project_id === projectId && p.api.id !== trainingId);
    assert.equal(copies.length, 1, 'one copy');
    assert.equal(copies[0]?.api.private_name, 'Warm-up');
    assert.ok((await trainings()).some((t) => t.pool.id === copies[0]?.api.id), 'the copy is listed');

    const closed = await row();
    await answering(api, [{ title: /^Archive training pool "Warm-up"/, answer: { confirm: false } }], () => vscode.commands.executeCommand('toloka.pool.archive', closed));
    assert.equal(recorded()?.api.status, 'CLOSED', 'declined: nothing changed');
    await answering(api, [{ title: /^Archive training pool "Warm-up"/, answer: { confirm: true } }], () => vscode.commands.executeCommand('toloka.pool.archive', closed));
    assert.equal(recorded()?.api.status, 'ARCHIVED');
    assert.equal((await row()).pool.status, 'ARCHIVED');
  });

  it('uploads a training\'s tasks from the command palette: the pool picker lists training pools, labelled as such, beside pools', async () => {
    const second = (await client.trainings.create({ project_id: projectId, private_name: 'Second warm-up', inherited_instructions: true, training_tasks_in_task_suite_count: 1, assignment_max_duration_seconds: 60 })).id ?? '';
    const poolId = (await client.pools.create({ project_id: projectId, private_name: 'Real work', will_expire: '2099-01-01T00:00:00', reward_per_assignment: 0.01, assignment_max_duration_seconds: 60, defaults: { default_overlap_for_new_task_suites: 1 } })).id ?? '';
    workspaceFile('second.training-tasks.jsonl', ['b', 'a'].map((label, i) => JSON.stringify({ input_values: { text: `s ${i}` }, known_solutions: [{ output_values: { label } }], message_on_unknown_solution: `It is ${label}` })).join('\n'));
    const upload = (pick: RegExp) =>
      answering(
        api,
        [
          { title: /^Upload tasks from which file/, answer: { pick: /second\.training-tasks\.jsonl$/ } },
          { title: /^Upload tasks into which pool or training pool\?$/, answer: { pick } },
          { title: /^Upload .* to training pool "Second warm-up"/, answer: { pickMany: [] } },
        ],
        () => vscode.commands.executeCommand<UploadResult>('toloka.uploadTasks'),
      );
    // Pools are on offer too, without the training label: no training-labelled choice has the pool's id.
    await assert.rejects(upload(new RegExp(`^training pool · [a-z]+ · ${poolId}$`)), (err: Error) => /no choice of "Upload tasks into which pool or training pool\?" matches/.test(err.message) && /the choices are .*"Real work".*"Second warm-up"/.test(err.message));
    const r = await upload(new RegExp(`^training pool · closed · ${second}$`));
    assert.equal(r.created, 2);
    assert.deepEqual((recorded(second)?.data.tasks ?? []).map((t) => [t.api.input_values['text'], t.api.known_solutions?.[0]?.output_values['label']]), [['s 0', 'b'], ['s 1', 'a']]);
    assert.equal(sandbox.state.pools.get(poolId)?.data.tasks.length, 0, 'nothing went into the pool');
  });
});
