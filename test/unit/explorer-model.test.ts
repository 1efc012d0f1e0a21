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
