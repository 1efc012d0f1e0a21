/** A requester's whole pipeline against the local sandbox, through the client only, over HTTP. */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { collect } from '../../src/toloka/paging';
import { classificationProject, harness, poolFor, tasks, until, type Harness } from './fixtures';

describe('Full scenario: project → pool → tasks → Tolokers → results → aggregation', () => {
  let h: Harness;
  before(async () => {
    h = await harness({ tolokers: { assignmentsPerSecond: 5000, thinkMs: [1, 3], count: 10, accuracy: [0.7, 0.95] } });
  });
  after(async () => h.stop());

  it('runs end to end and the pool closes COMPLETED', async () => {
    const { client } = h;
    const project = await client.projects.create(classificationProject);
    assert.ok(project.id);
    assert.equal(project.status, 'ACTIVE');

    const pool = await client.pools.create(poolFor(project.id ?? ''));
    assert.equal(pool.status, 'CLOSED');
    const poolId = pool.id ?? '';

    // Sync upload: 20 tasks.
    const sync = await client.tasks.createMany(tasks(poolId, 20));
    assert.equal(Object.keys(sync.items).length, 20);

    // Async upload: 80 more, with a client-chosen operation id.
    const op = await client.tasks.createAsync(tasks(poolId, 80, 20), { operationId: '6a4c0e1e-4d3b-4d8a-9d6e-5f1a2b3c4d5e' });
    assert.equal(op.type, 'TASK.BATCH_CREATE');
    const done = await client.operations.wait(op, { firstDelayMs: 10, intervalMs: 20 });
    assert.equal(done.status, 'SUCCESS');
    assert.equal(done.details?.['success_count'], 80);
    const log = await client.operations.log(op.id);
    assert.equal(log.length, 80);
    assert.ok(log.every((l) => l.success && typeof l.output?.['task_id'] === 'string'));

    const all = await collect(client.tasks.all({ pool_id: poolId }, { limit: 30 }));
    assert.equal(all.length, 100);

    const opened = await client.pools.open(poolId);
    assert.ok(opened, 'opening a closed pool starts an operation');
    await client.operations.wait(opened, { firstDelayMs: 10, intervalMs: 20 });

    const closed = await until('the pool to close', async () => {
      const p = await client.pools.get(poolId);
      return p.status === 'CLOSED' ? p : undefined;
    });
    assert.equal(closed.last_close_reason, 'COMPLETED');

    const assignments = await collect(client.assignments.all({ pool_id: poolId, status: ['ACCEPTED'] }, { limit: 7 }));
    // 100 tasks × overlap 3 in suites of up to 5 tasks: every task answered exactly 3 times.
    const answers = new Map<string, number>();
    for (const a of assignments) {
      assert.equal(a.solutions?.length, a.tasks.length);
      for (const t of a.tasks) answers.set(t.id ?? '', (answers.get(t.id ?? '') ?? 0) + 1);
    }
    assert.equal(answers.size, 100);
    assert.ok([...answers.values()].every((n) => n === 3), 'each task has exactly its overlap of answers');
    const workersPerTask = new Map<string, Set<string>>();
    for (const a of assignments) for (const t of a.tasks) (workersPerTask.get(t.id ?? '') ?? workersPerTask.set(t.id ?? '', new Set()).get(t.id ?? ''))?.add(a.user_id);
    assert.ok([...workersPerTask.values()].every((s) => s.size === 3), 'no Toloker answered a task twice');

    const agg = await client.aggregatedSolutions.aggregateByPool({ type: 'DAWID_SKENE', pool_id: poolId, fields: [{ name: 'result' }] });
    const aggDone = await client.operations.wait(agg, { firstDelayMs: 10, intervalMs: 20 });
    assert.equal(aggDone.status, 'SUCCESS');
    const results = await collect(client.aggregatedSolutions.all(agg.id, { limit: 40 }));
    assert.equal(results.length, 100);
    for (const r of results) {
      assert.ok(['cat', 'dog', 'other'].includes(String(r.output_values['result'])));
      assert.ok(r.confidence > 0 && r.confidence <= 1);
    }
  });
});
