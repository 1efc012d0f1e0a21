/** The explorer's model in plain Node: paging, filters and errors shown as rows. */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TolokaClient } from '../../src/toloka/client';
import { ExplorerModel, type Node } from '../../src/views/explorer/model';
import { classificationProject, harness, poolFor, type Harness } from './fixtures';

describe('ExplorerModel', () => {
  let h: Harness;
  let projectId = '';
  before(async () => {
    h = await harness({ tolokers: { assignmentsPerSecond: 0 } });
    projectId = (await h.client.projects.create(classificationProject)).id ?? '';
    for (let i = 0; i < 12; i++) await h.client.pools.create(poolFor(projectId, { private_name: `P${i}` }));
  });
  after(async () => h.stop());

  it('shows a failed page as an error row naming the reason, and a refresh retries it', async () => {
    const flaky = new TolokaClient({ baseUrl: h.sandbox.apiRoot, credential: 't', maxAttempts: 1 });
    const model = new ExplorerModel(async () => flaky, 5);
    const [project] = await model.children();
    assert.equal(project?.kind, 'project');
    h.sandbox.faults = { ...h.sandbox.faults, errorRate: 1 };
    const failed = await model.children(project);
    assert.equal(failed.length, 1);
    const row = failed[0] as Extract<Node, { kind: 'error' }>;
    assert.equal(row.kind, 'error');
    assert.match(row.message, /500 INTERNAL_ERROR/);
    assert.equal(model.parentOf(row), project);
    h.sandbox.faults = { ...h.sandbox.faults, errorRate: 0 };
    model.refresh(project?.key);
    const rows = await model.children(project);
    assert.deepEqual(rows.map((r) => r.kind), ['trainings', 'pool', 'pool', 'pool', 'pool', 'pool', 'loadMore']);
  });

  it('keeps an earlier page when a later one fails, with the error after the rows', async () => {
    const flaky = new TolokaClient({ baseUrl: h.sandbox.apiRoot, credential: 't', maxAttempts: 1 });
    const model = new ExplorerModel(async () => flaky, 5);
    const [project] = await model.children();
    await model.children(project);
    h.sandbox.faults = { ...h.sandbox.faults, errorRate: 1 };
    await model.loadMore(`project/${projectId}`);
    h.sandbox.faults = { ...h.sandbox.faults, errorRate: 0 };
    const rows = await model.children(project);
    assert.equal(rows.filter((r) => r.kind === 'pool').length, 5);
    assert.equal(rows.at(-1)?.kind, 'error');
  });

  it("shows a training pool's status and tasks, and an app project's batches with their counts", async () => {
    const model = new ExplorerModel(async () => h.client, 50);
    const training = await h.client.trainings.create({ project_id: projectId, private_name: 'T', inherited_instructions: true, training_tasks_in_task_suite_count: 1 });
    await h.client.tasks.createMany([0, 1].map((i) => ({ pool_id: training.id ?? '', input_values: { image: `https://example.com/${i}.jpg` }, known_solutions: [{ output_values: { result: 'cat' } }], ...(i === 0 ? { message_on_unknown_solution: 'A cat' } : {}) })));
    const project = (await model.children()).find((n) => n.kind === 'project' && n.project.id === projectId);
    const section = (await model.children(project)).find((n) => n.kind === 'trainings');
    const row = (await model.children(section)).find((n) => n.kind === 'training' && n.pool.id === training.id);
    assert.ok(row);
    assert.equal(model.parentOf(row), section);
    assert.deepEqual((await model.children(row)).map((d) => (d.kind === 'detail' ? `${d.label}=${d.value}` : d.kind)), ['Status=CLOSED', 'Tasks=2', 'With a hint=1']);

    const app = await h.client.apps.createProject({ app_id: 'text-classification', name: 'A', parameters: { categories: ['x', 'y'] } });
    const batch = await h.client.apps.createBatch(app.id ?? '', { name: 'B', items: [{ text: 'one' }, { text: 'two' }] });
    const apps = (await model.children()).find((n) => n.kind === 'appProjects');
    const appRow = (await model.children(apps)).find((n) => n.kind === 'appProject' && n.appProject.id === app.id);
    const batchesRow = (await model.children(appRow)).find((n) => n.kind === 'appBatches');
    assert.ok(batchesRow);
    assert.equal(model.parentOf(batchesRow), appRow);
    const batches = await model.children(batchesRow);
    assert.deepEqual(batches.map((b) => (b.kind === 'appBatch' ? [b.batch.id, b.batch.status, b.batch.item_count] : b.kind)), [[batch.id, 'NEW', 2]]);
  });

  it('tells the welcome views when the account is empty or unreachable', async () => {
    const empty = await harness();
    try {
      const model = new ExplorerModel(async () => empty.client, 5);
      assert.equal(model.rootState(), 'unloaded');
      assert.deepEqual(await model.children(), []);
      assert.equal(model.rootState(), 'empty');
    } finally {
      await empty.stop();
    }
    const dead = new TolokaClient({ baseUrl: 'http://127.0.0.1:9/api', credential: 't', maxAttempts: 1 });
    const model = new ExplorerModel(async () => dead, 5);
    await model.children();
    assert.equal(model.rootState(), 'error');
  });
});
