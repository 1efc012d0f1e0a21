import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { poolMetrics } from '../../src/sandbox/analytics';
import { liveQc } from '../../src/sandbox/qc/live';
import type { Sandbox } from '../../src/sandbox/server';
import { TolokaClient } from '../../src/toloka/client';
import { feeFor } from '../../src/toloka/pricing';
import type { TolokaTestApi } from '../../src/testSeam';
import { eventually, poolRow, withTestSandbox } from './extension';
import { answering } from './prompter';

const spec = { input_spec: { text: { type: 'string' as const } }, output_spec: { label: { type: 'string' as const, allowed_values: ['a', 'b'] } } };
const pool = (projectId: string, name: string) => ({
  project_id: projectId, private_name: name, will_expire: '2099-01-01T00:00:00', reward_per_assignment: 0.02, assignment_max_duration_seconds: 60,
  defaults: { default_overlap_for_new_task_suites: 3, default_overlap_for_new_tasks: 3 }, mixer_config: { real_tasks_count: 2, golden_tasks_count: 0, training_tasks_count: 0 },
});

describe('Pool dashboard', function () {
  this.timeout(90_000);
  let sandbox: Sandbox;
  let client: TolokaClient;
  let api: TolokaTestApi;
  let projectId = '';

  withTestSandbox({ quotas: false, tolokers: { assignmentsPerSecond: 2000, thinkMs: [1, 3], count: 8 } }, async (t) => {
    ({ sandbox, api } = t);
    client = t.client;
    projectId = (await client.projects.create({ public_name: 'Dashboards', task_spec: spec })).id ?? '';
  });

  it("shows a finished pool's figures as the sandbox's own records give them, and does not refresh it", async () => {
    const p = await client.pools.create(pool(projectId, 'Finished'));
    const id = p.id ?? '';
    await client.tasks.createMany(Array.from({ length: 30 }, (_, i) => ({ pool_id: id, input_values: { text: `t${i}` }, overlap: 3 })), { openPool: true });
    await eventually('the pool to complete', async () => (await client.pools.get(id)).status === 'CLOSED', 30_000);
    await vscode.commands.executeCommand('toloka.pool.dashboard', poolRow(await client.pools.get(id)));
    const d = await eventually('the dashboard', () => api.dashboard(id));
    const details = await eventually('the details', () => (d.details && !d.details.partial ? d.details : undefined), 30_000);
    const summary = d.summary;
    assert.ok(summary);
    const rec = sandbox.state.pools.get(id);
    assert.ok(rec);
    const expected = poolMetrics(rec, Date.now());
    for (const [name, value] of Object.entries(summary.metrics)) assert.equal(value, expected[name as keyof typeof expected], name);
    const approved = rec.data.assignments.filter((a) => a.status === 'ACCEPTED').length;
    assert.equal(summary.spent.toFixed(6), (approved * (0.02 + feeFor(0.02))).toFixed(6));
    assert.equal(summary.status, 'CLOSED');
    assert.equal(summary.live, false);
    assert.equal(details.assignments, rec.data.assignments.filter((a) => a.submitted).length);
    assert.equal(details.tolokers.reduce((n, t) => n + t.assignments, 0), details.assignments);
    assert.deepEqual(new Set(details.tolokers.map((t) => t.workerId)), new Set(rec.data.assignments.map((a) => a.user_id)));
    assert.equal(details.fields[0]?.counts.reduce((n, [, c]) => n + c, 0), 90, 'every answer counted once');
    assert.equal(d.scheduled, false, 'a closed pool is not refreshed');
    await vscode.commands.executeCommand('toloka.pool.dashboard', poolRow(await client.pools.get(id)));
    assert.equal(api.dashboard(id)?.summary, summary, 'one panel per pool: opening it again shows the same dashboard');
  });

  it('refreshes an open pool while the dashboard is visible, and stops when it is hidden or closed', async () => {
    sandbox.tolokers.options = { ...sandbox.tolokers.options, assignmentsPerSecond: 0 };
    const p = await client.pools.create(pool(projectId, 'Running'));
    const id = p.id ?? '';
    await client.tasks.createMany(Array.from({ length: 10 }, (_, i) => ({ pool_id: id, input_values: { text: `r${i}` }, overlap: 3 })), { openPool: true });
    await eventually('the pool to be open', async () => (await client.pools.get(id)).status === 'OPEN');
    await vscode.commands.executeCommand('toloka.pool.dashboard', poolRow(await client.pools.get(id)));
    const d = await eventually('the dashboard', () => api.dashboard(id));
    await eventually('the first refresh of an open pool to schedule the next', () => d.summary?.live === true && d.scheduled);
    const rec = sandbox.state.pools.get(id);
    assert.ok(rec && d.summary);
    const expected = poolMetrics(rec, Date.now());
    for (const [name, value] of Object.entries(d.summary.metrics)) assert.equal(value, expected[name as keyof typeof expected], name);
    assert.equal(d.summary.status, 'OPEN');
    // Another editor in front of it: hidden, no more refreshes.
    const doc = await vscode.workspace.openTextDocument({ content: 'in front' });
    await vscode.window.showTextDocument(doc, vscode.ViewColumn.Active);
    await eventually('the hidden dashboard to stop refreshing', () => !d.visible && !d.scheduled);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await eventually('the closed dashboard to be gone', () => api.dashboard(id) === undefined);
    sandbox.tolokers.options = { ...sandbox.tolokers.options, assignmentsPerSecond: 2000 };
  });

  it("shows the Tolokers' values of the skills the pool's filter and rules name", async () => {
    const skill = await client.skills.create({ name: 'Animals accuracy', hidden: false });
    const skillId = skill.id ?? '';
    const workers = sandbox.tolokers.workers.slice(0, 3).map((w) => w.id);
    for (const [i, w] of workers.entries()) await client.userSkills.set({ skill_id: skillId, user_id: w, value: 60 + i * 10 });
    const p = await client.pools.create({
      ...pool(projectId, 'Skilled'),
      filter: { and: [{ or: [{ category: 'skill', key: skillId, operator: 'GTE', value: 50 }] }] },
      quality_control: { configs: [{ collector_config: { type: 'GOLDEN_SET', parameters: { history_size: 10 } }, rules: [{ conditions: [{ key: 'total_answers_count', operator: 'GTE', value: 3 }], action: { type: 'SET_SKILL_FROM_OUTPUT_FIELD', parameters: { skill_id: skillId, from_field: 'correct_answers_rate' } } }] }] },
    });
    const id = p.id ?? '';
    await vscode.commands.executeCommand('toloka.pool.dashboard', poolRow(await client.pools.get(id)));
    const d = await eventually('the dashboard', () => api.dashboard(id));
    const summary = await eventually('the summary', () => d.summary, 30_000);
    assert.deepEqual(summary.skills, [{ id: skillId, name: 'Animals accuracy' }], 'named once, though the filter and a rule both use it');
    const expected = Object.fromEntries([...liveQc(sandbox.state).userSkills.values()].filter((u) => u.skill_id === skillId).map((u) => [u.user_id, { [skillId]: u.exact_value ?? u.value }]));
    assert.deepEqual(Object.fromEntries(Object.entries(summary.skillValues).filter(([, v]) => skillId in v)), expected);
    assert.deepEqual(workers.map((w) => summary.skillValues[w]?.[skillId]), [60, 70, 80]);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('bans and unbans a Toloker from the dashboard, always asking first', async () => {
    const p = await client.pools.create(pool(projectId, 'Bans'));
    const id = p.id ?? '';
    const worker = sandbox.tolokers.workers[0]?.id ?? '';
    const banned = () => [...sandbox.state.restrictions.values()].filter((r) => r.user_id === worker && r.pool_id === id);
    await answering(api, [{ title: /^Ban Toloker/, answer: { pick: 'For a week' } }, { title: /private comment/, answer: { input: 'fast and wrong' } }, { title: /^Ban Toloker .* for 7 day/, answer: { confirm: false } }], () =>
      vscode.commands.executeCommand('toloka.dashboard.ban', { poolId: id, workerId: worker }),
    );
    assert.equal(banned().length, 0, 'declined: no ban');
    await answering(api, [{ title: /^Ban Toloker/, answer: { pick: 'For a week' } }, { title: /private comment/, answer: { input: 'fast and wrong' } }, { title: /^Ban Toloker/, answer: { confirm: true } }], () =>
      vscode.commands.executeCommand('toloka.dashboard.ban', { poolId: id, workerId: worker }),
    );
    assert.deepEqual(banned().map((r) => [r.scope, r.private_comment]), [['POOL', 'fast and wrong']]);
    await answering(api, [{ title: /^Lift the ban of Toloker/, answer: { confirm: true } }], () => vscode.commands.executeCommand('toloka.dashboard.unban', { poolId: id, workerId: worker }));
    assert.equal(banned().length, 0);
  });
});
