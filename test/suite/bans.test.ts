import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Sandbox } from '../../src/sandbox/server';
import type { TolokaTestApi } from '../../src/testSeam';
import { literally, withTestSandbox, workspaceFile } from './extension';
import { answering } from './prompter';

describe('Bans', function () {
  this.timeout(60_000);
  let sandbox: Sandbox;
  let api: TolokaTestApi;
  let poolId = '';
  let workers: string[] = [];

  withTestSandbox({ quotas: false, tolokers: { assignmentsPerSecond: 0, count: 5 } }, async (t) => {
    ({ sandbox, api } = t);
    workers = sandbox.tolokers.workers.map((w) => w.id);
    const { client } = t;
    const project = await client.projects.create({ public_name: 'Bans', task_spec: { input_spec: { t: { type: 'string' } }, output_spec: { l: { type: 'string' } } } });
    poolId = (await client.pools.create({ project_id: project.id ?? '', private_name: 'Ban target', will_expire: '2099-01-01T00:00:00', reward_per_assignment: 0.01, assignment_max_duration_seconds: 60, defaults: { default_overlap_for_new_task_suites: 1 } })).id ?? '';
  });

  it('bans the Tolokers of the rows selected in a results TSV from a pool, with a duration and a private comment, and lifts a ban', async () => {
    const file = workspaceFile('results-for-bans.tsv', `assignment_id\tworker_id\tstatus\na1\t${workers[0] ?? ''}\tSUBMITTED\na2\t${workers[1] ?? ''}\tSUBMITTED\na3\t${workers[2] ?? ''}\tSUBMITTED\n`);
    const editor = await vscode.window.showTextDocument(file);
    editor.selection = new vscode.Selection(2, 0, 3, 3); // the rows of workers 1 and 2
    const ids = await answering(
      api,
      [
        { title: /^Ban 2 Tolokers: from where\?$/, answer: { pick: 'From one pool' } },
        { title: /from which pool/, answer: { pick: literally(`· ${poolId}`) } },
        { title: /for how long/, answer: { pick: 'For a week' } },
        { title: /private comment/, answer: { input: 'Too fast' } },
        { title: new RegExp(`^Ban 2 Tolokers from pool ${poolId} for 7 day\\(s\\)\\?$`), answer: { confirm: true } },
      ],
      () => vscode.commands.executeCommand<string[]>('toloka.bans.add', file),
    );
    assert.equal(ids.length, 2);
    const bans = [...sandbox.state.restrictions.values()];
    assert.deepEqual(bans.map((b) => b.user_id).sort(), [workers[1], workers[2]].sort());
    assert.ok(bans.every((b) => b.scope === 'POOL' && b.pool_id === poolId && b.private_comment === 'Too fast' && b.will_expire !== undefined));
    const first = bans[0];
    assert.ok(first);
    await answering(api, [{ title: /^Lift the ban of Toloker/, answer: { confirm: true } }], () => vscode.commands.executeCommand('toloka.bans.lift', first));
    assert.equal(sandbox.state.restrictions.has(first.id), false);
    assert.equal(sandbox.state.restrictions.size, 1);
  });
});
