/** Every endpoint of the client against the local sandbox, over real HTTP. */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isTolokaError, type TolokaError } from '../../src/toloka/errors';
import type { Project } from '../../src/toloka/models';
import { collect } from '../../src/toloka/paging';
import { classificationProject, harness, poolFor, tasks, until, type Harness } from './fixtures';

async function rejects(promise: Promise<unknown>, kind: TolokaError['kind'], code?: string): Promise<TolokaError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(isTolokaError(err), String(err));
    assert.equal(err.kind, kind, err.message);
    if (code) assert.equal(err.code, code, err.message);
    return err;
  }
  assert.fail(`expected ${kind}${code ? ` ${code}` : ''}`);
}

const wait = { firstDelayMs: 5, intervalMs: 10 };

describe('Client against the sandbox', () => {
  let h: Harness;
  let projectId: string;
  before(async () => {
    h = await harness({ tolokers: { assignmentsPerSecond: 0 } });
    projectId = (await h.client.projects.create(classificationProject)).id ?? '';
  });
  after(async () => h.stop());

  it('requester: names the account', async () => {
    const r = await h.client.requester.get();
    assert.match(r.id, /^[0-9a-f]{32}$/);
    assert.equal(typeof r.balance, 'number');
  });

  it('projects: list pages across several requests, get, update, and archive after its pools', async () => {
    const { client } = h;
    for (let i = 0; i < 6; i++) await client.projects.create({ ...classificationProject, public_name: `Project ${i}` });
    const first = await client.projects.page({}, { limit: 3 });
    assert.equal(first.items.length, 3);
    assert.equal(first.hasMore, true);
    const everything = await collect(client.projects.all({}, { limit: 2 }));
    assert.equal(everything.length, 7);
    assert.equal(new Set(everything.map((p) => p.id)).size, 7, 'no project twice across pages');

    const p = await client.projects.get(projectId);
    const updated = await client.projects.update(projectId, { ...(p as Project), public_description: 'Changed' });
    assert.equal(updated.public_description, 'Changed');
    await rejects(client.projects.get('999999999'), 'not-found', 'DOES_NOT_EXIST');

    const lonely = await client.projects.create({ ...classificationProject, public_name: 'To archive' });
    const pool = await client.pools.create(poolFor(lonely.id ?? ''));
    await rejects(client.projects.archive(lonely.id ?? ''), 'conflict', 'UNARCHIVED_POOLS_CONFLICT');
    const op = await client.pools.archive(pool.id ?? '');
    assert.ok(op);
    await client.operations.wait(op, wait);
    const archiving = await client.projects.archive(lonely.id ?? '');
    assert.ok(archiving);
    await client.operations.wait(archiving, wait);
    assert.equal((await client.projects.get(lonely.id ?? '')).status, 'ARCHIVED');
    assert.equal(await client.projects.archive(lonely.id ?? ''), undefined, 'archiving again is a no-op (204)');
  });

  it('pools: validation names the field; the lifecycle refuses what Toloka refuses', async () => {
    const { client } = h;
    const bad = await rejects(client.pools.create({ ...poolFor(projectId), defaults: { default_overlap_for_new_task_suites: 0 } }), 'validation', 'VALIDATION_ERROR');
    assert.deepEqual(bad.fieldErrors.map((f) => f.field), ['defaults.default_overlap_for_new_task_suites']);
    assert.equal(bad.fieldErrors[0]?.code, 'VALUE_LESS_THAN_MIN');
    const missing = await rejects(client.pools.create({ ...poolFor('424242') }), 'validation');
    assert.equal(missing.fieldErrors[0]?.code, 'ENTITY_DOES_NOT_EXIST');

    const pool = await client.pools.create(poolFor(projectId, { private_name: 'Lifecycle' }));
    const id = pool.id ?? '';
    await rejects(client.pools.open(id), 'conflict', 'EMPTY_POOL');
    await client.tasks.createMany(tasks(id, 3));
    const opening = await client.pools.open(id);
    assert.equal(opening?.type, 'POOL.OPEN');
    assert.equal((await client.operations.wait(opening ?? '', wait)).status, 'SUCCESS');
    assert.equal((await client.pools.get(id)).status, 'OPEN');
    assert.equal(await client.pools.open(id), undefined, 'opening an open pool is a no-op (204)');
    await rejects(client.pools.update(id, { ...poolFor(projectId), private_name: 'x' }), 'conflict', 'INAPPROPRIATE_STATUS');
    assert.equal((await client.pools.setPriority(id, 42)).priority, 42);

    const closing = await client.pools.close(id);
    await client.operations.wait(closing ?? '', wait);
    const closed = await client.pools.get(id);
    assert.equal(closed.status, 'CLOSED');
    assert.equal(closed.last_close_reason, 'MANUAL');
    assert.equal((await client.pools.update(id, { ...poolFor(projectId), private_name: 'Renamed' })).private_name, 'Renamed');

    const cloning = await client.pools.clone(id);
    const cloned = await client.operations.wait(cloning, wait);
    const copyId = String(cloned.details?.['pool_id']);
    const copy = await client.pools.get(copyId);
    assert.equal(copy.private_name, 'Renamed');
    assert.equal(copy.status, 'CLOSED');

    const archiving = await client.pools.archive(id);
    await client.operations.wait(archiving ?? '', wait);
    await rejects(client.pools.open(id), 'conflict', 'INAPPROPRIATE_STATUS');
    const patch = await rejects(client.pools.setPriority(id, 1), 'conflict');
    assert.equal(patch.code, 'HTTP_409', 'an archived pool answers PATCH with an empty 409');

    const listed = await collect(client.pools.all({ project_id: projectId, status: 'ARCHIVED' }));
    assert.ok(listed.some((p) => p.id === id));
    assert.ok(listed.every((p) => p.status === 'ARCHIVED'));
  });

  it('operations: list, and a second operation on a locked pool is refused', async () => {
    const { client } = h;
    const ops = await collect(client.operations.all({ type: 'POOL.OPEN' }));
    assert.ok(ops.length >= 1);
    assert.ok(ops.every((o) => o.type === 'POOL.OPEN'));
    // Operations that wait a second before they start: the clone must meet the pool still
    // locked however slowly this machine answers (with the usual 10 ms it once did not).
    const slow = await harness({ tolokers: { assignmentsPerSecond: 0 }, operationDelayMs: 1000 });
    try {
      const project = await slow.client.projects.create(classificationProject);
      const pool = await slow.client.pools.create(poolFor(project.id ?? ''));
      await slow.client.tasks.createMany(tasks(pool.id ?? '', 1));
      const first = await slow.client.pools.open(pool.id ?? '');
      await rejects(slow.client.pools.clone(pool.id ?? ''), 'conflict', 'POOL_LOCKED_BY_ANOTHER_OPERATION');
      await slow.client.operations.wait(first ?? '', wait);
    } finally {
      await slow.stop();
    }
  });

  it('trainings: create, get, list, open', async () => {
    const { client } = h;
    const t = await client.trainings.create({ project_id: projectId, private_name: 'Training', inherited_instructions: true, training_tasks_in_task_suite_count: 2 });
    assert.equal(t.status, 'CLOSED');
    assert.equal((await client.trainings.get(t.id ?? '')).private_name, 'Training');
    assert.ok((await collect(client.trainings.all({ project_id: projectId }))).some((x) => x.id === t.id));
    await rejects(client.trainings.open(t.id ?? ''), 'conflict', 'EMPTY_POOL');
  });

  it('trainings: the pool lifecycle (open, close, clone, archive) with training tasks and their hints', async () => {
    const { client, sandbox } = h;
    const id = (await client.trainings.create({ project_id: projectId, private_name: 'Lifecycle training', inherited_instructions: true, training_tasks_in_task_suite_count: 1 })).id ?? '';
    await client.tasks.createMany([{ pool_id: id, input_values: { image: 'https://example.com/cat.jpg' }, known_solutions: [{ output_values: { result: 'cat' } }], message_on_unknown_solution: 'It is a cat' }]);
    assert.equal(sandbox.state.pools.get(id)?.data.tasks[0]?.api.message_on_unknown_solution, 'It is a cat');
    const opening = await client.trainings.open(id);
    assert.equal(opening?.type, 'TRAINING.OPEN');
    assert.equal(opening?.parameters?.['training_id'], id);
    await client.operations.wait(opening ?? '', wait);
    assert.equal((await client.trainings.get(id)).status, 'OPEN');
    assert.equal(await client.trainings.open(id), undefined, 'opening an open training is a no-op (204)');
    await rejects(client.trainings.archive(id), 'conflict', 'INAPPROPRIATE_STATUS');

    const closing = await client.trainings.close(id);
    assert.equal(closing?.type, 'TRAINING.CLOSE');
    await client.operations.wait(closing ?? '', wait);
    const closed = await client.trainings.get(id);
    assert.equal(closed.status, 'CLOSED');
    assert.equal(closed.last_close_reason, 'MANUAL');
    assert.equal(await client.trainings.close(id), undefined, 'closing a closed training is a no-op (204)');

    const cloning = await client.trainings.clone(id);
    assert.equal(cloning.type, 'TRAINING.CLONE');
    const cloned = await client.operations.wait(cloning, wait);
    const copy = await client.trainings.get(String(cloned.details?.['training_id']));
    assert.equal(copy.private_name, 'Lifecycle training');
    assert.equal(copy.status, 'CLOSED');
    assert.equal(copy.training_tasks_in_task_suite_count, 1);
    await rejects(client.pools.get(copy.id ?? ''), 'not-found');

    const archiving = await client.trainings.archive(id);
    assert.equal(archiving?.type, 'TRAINING.ARCHIVE');
    await client.operations.wait(archiving ?? '', wait);
    assert.equal((await client.trainings.get(id)).status, 'ARCHIVED');
    await rejects(client.trainings.open(id), 'conflict', 'INAPPROPRIATE_STATUS');
    const archived = await collect(client.trainings.all({ project_id: projectId, status: 'ARCHIVED' }));
    assert.deepEqual(archived.map((t) => t.id), [id]);
  });

  it('tasks: one, many, invalid items skipped or refused, async idempotency, get, patch, overlap', async () => {
    const { client } = h;
    const pool = await client.pools.create(poolFor(projectId));
    const poolId = pool.id ?? '';
    const one = await client.tasks.create({ pool_id: poolId, input_values: { image: 'https://example.com/1.jpg' }, overlap: 2 });
    assert.match(one.id ?? '', /^[0-9a-f]{10}--[0-9a-f]{24}$/);

    const mixed = [
      { pool_id: poolId, input_values: { image: 'https://example.com/2.jpg' }, overlap: 1 },
      { pool_id: poolId, input_values: { image: 'not a url' }, overlap: 1 },
      { pool_id: poolId, input_values: { image: 'https://example.com/3.jpg', extra: 1 }, overlap: 1 },
    ];
    const refused = await rejects(client.tasks.createMany(mixed), 'validation');
    assert.ok(refused.fieldErrors.some((f) => f.field === '1.input_values.image' && f.code === 'INVALID_URL_SYNTAX'), refused.message);
    const skipped = await client.tasks.createMany(mixed, { skipInvalidItems: true });
    assert.deepEqual(Object.keys(skipped.items), ['0']);
    assert.deepEqual(Object.keys(skipped.validation_errors ?? {}).sort(), ['1', '2']);
    assert.ok('input_values.extra' in (skipped.validation_errors?.['2'] ?? {}));

    // Overlap may come from the pool's defaults only when asked.
    const noOverlap = [{ pool_id: poolId, input_values: { image: 'https://example.com/4.jpg' } }];
    const withDefaults = await client.tasks.createMany(noOverlap, { allowDefaults: true });
    assert.equal(withDefaults.items['0']?.overlap, 3);

    const operationId = '0b7c2f7e-1c1a-4f0e-8f4e-2d9a3e2b1c00';
    const op = await client.tasks.createAsync([...mixed, { pool_id: poolId, input_values: { image: 'https://example.com/5.jpg' }, overlap: 1, __item_idx: 3 }], { operationId, skipInvalidItems: true });
    assert.equal(op.id, operationId);
    await rejects(client.tasks.createAsync(mixed, { operationId }), 'conflict', 'OPERATION_ALREADY_EXISTS');
    const done = await client.operations.wait(op, wait);
    assert.deepEqual({ ...done.details }, { total_count: 4, valid_count: 2, not_valid_count: 2, success_count: 2, failed_count: 2 });
    const log = await client.operations.log(operationId);
    assert.equal(log.filter((l) => l.type === 'TASK_VALIDATE').length, 2);
    assert.equal(log.find((l) => l.input?.['__item_idx'] === 3)?.type, 'TASK_CREATE', 'unknown input keys are echoed in the log');

    const failing = await client.tasks.createAsync(mixed);
    const failed = await client.operations.wait(failing, wait);
    assert.equal(failed.status, 'FAIL', 'without skip_invalid_items an invalid item fails the whole batch');

    const fetched = await client.tasks.get(one.id ?? '');
    assert.deepEqual(fetched.input_values, { image: 'https://example.com/1.jpg' });
    assert.equal((await client.tasks.patch(one.id ?? '', { overlap: 5 })).overlap, 5);
    assert.equal((await client.tasks.setOverlapOrMin(one.id ?? '', 0)).remaining_overlap, 0);
    await rejects(client.tasks.get('00000f4241--000000000000000000000999'), 'not-found');
    assert.throws(() => client.tasks.createMany(tasks(poolId, 5001)), RangeError);
    // 1 single + 1 kept by skip_invalid_items + 1 with default overlap + 2 valid async; the refused
    // batch and the failed async batch created nothing.
    const all = await collect(client.tasks.all({ pool_id: poolId }, { limit: 2 }));
    assert.equal(all.length, 5);
  });

  it('task suites: create and list', async () => {
    const { client } = h;
    const pool = await client.pools.create(poolFor(projectId, { mixer_config: undefined }));
    const suite = await client.taskSuites.create({ pool_id: pool.id ?? '', overlap: 2, tasks: [{ input_values: { image: 'https://example.com/a.jpg' } }, { input_values: { image: 'https://example.com/b.jpg' } }] });
    assert.equal(suite.tasks.length, 2);
    assert.ok(suite.tasks.every((t) => t.id));
    const listed = await collect(client.taskSuites.all({ pool_id: pool.id ?? '' }));
    assert.deepEqual(listed.map((s) => s.id), [suite.id]);
  });

  it('assignments and attachments: review submitted work, download uploaded files', async () => {
    const { client, sandbox } = h;
    const project = await client.projects.create({
      ...classificationProject,
      task_spec: { ...classificationProject.task_spec, output_spec: { result: { type: 'string', allowed_values: ['cat', 'dog'] }, photo: { type: 'file', required: false } } },
    });
    const pool = await client.pools.create(poolFor(project.id ?? '', { auto_accept_solutions: false, defaults: { default_overlap_for_new_task_suites: 2 }, mixer_config: { real_tasks_count: 2, golden_tasks_count: 0, training_tasks_count: 0 } }));
    const poolId = pool.id ?? '';
    await client.tasks.createMany(tasks(poolId, 4).map((t) => ({ ...t, overlap: 2 })), { openPool: true });
    sandbox.tolokers.options = { ...sandbox.tolokers.options, assignmentsPerSecond: 2000, thinkMs: [1, 3] };
    sandbox.tolokers.start();
    await until('the pool to complete', async () => (await client.pools.get(poolId)).status === 'CLOSED');
    sandbox.tolokers.options = { ...sandbox.tolokers.options, assignmentsPerSecond: 0 };

    const submitted = await collect(client.assignments.all({ pool_id: poolId, status: ['SUBMITTED'] }, { limit: 1 }));
    assert.equal(submitted.length, 4, '4 tasks × overlap 2 in suites of 2');
    const [a, b] = submitted;
    assert.ok(a && b);
    assert.equal((await client.assignments.accept(a.id, 'Well done')).status, 'ACCEPTED');
    assert.equal((await client.assignments.reject(b.id, 'Wrong')).status, 'REJECTED');
    assert.equal((await client.assignments.accept(b.id, 'Changed my mind')).status, 'ACCEPTED');
    await rejects(client.assignments.reject(a.id, 'too late'), 'conflict', 'INAPPROPRIATE_STATUS');
    assert.equal((await client.assignments.get(a.id)).public_comment, 'Well done');
    const byTask = await collect(client.assignments.all({ task_id: a.tasks[0]?.id ?? '' }));
    assert.ok(byTask.some((x) => x.id === a.id));

    const files = await collect(client.attachments.all({ pool_id: poolId }));
    assert.equal(files.length, 8, 'one uploaded file per task answer');
    const first = files[0];
    assert.ok(first);
    assert.equal((await client.attachments.get(first.id)).name, first.name);
    const { stream, contentType } = await client.attachments.download(first.id);
    let text = '';
    for await (const chunk of stream) text += String(chunk);
    assert.match(text, /^file uploaded by [0-9a-f]{32}/);
    assert.match(contentType ?? '', /text\/plain/);
    const answer = submitted.flatMap((x) => x.solutions ?? []).find((s) => s.output_values['photo'] === first.id);
    assert.ok(answer, 'the file output field holds the attachment id');
  });

  it('skills: create, get, list, and update with a PUT that keeps what Toloka set', async () => {
    const { client } = h;
    const s = await client.skills.create({ name: 'Accuracy on control tasks' });
    assert.equal(s.hidden, true);
    assert.equal((await client.skills.get(s.id ?? '')).name, 'Accuracy on control tasks');
    assert.ok((await collect(client.skills.all())).some((x) => x.id === s.id));
    const updated = await client.skills.update(s.id ?? '', { name: 'Accuracy', hidden: false, skill_ttl_hours: 48, id: 'not-this', created: '2001-01-01T00:00:00' });
    assert.deepEqual([updated.id, updated.name, updated.hidden, updated.skill_ttl_hours, updated.created], [s.id, 'Accuracy', false, 48, s.created]);
    await assert.rejects(client.skills.update('999999', { name: 'x' }), (e: unknown) => isTolokaError(e, 'not-found'));
  });

  it('apps: projects, bulk items, and streaming finished items with after_id', async () => {
    const { client, sandbox } = h;
    const apps = await collect(client.apps.apps());
    assert.ok(apps.some((a) => a.id === 'text-classification'));
    const project = await client.apps.createProject({ app_id: 'text-classification', name: 'Reviews', parameters: { categories: ['positive', 'negative'] } });
    assert.equal(project.status, 'READY');
    const bad = await rejects(client.apps.createItems(project.id ?? '', [{ text: 'ok' }, { nope: 1 }]), 'validation');
    assert.equal(bad.fieldErrors[0]?.field, 'input_data.1.text');
    const ids = await client.apps.createItems(project.id ?? '', Array.from({ length: 25 }, (_, i) => ({ text: `review ${i}` })));
    assert.equal(ids.length, 25);
    sandbox.tolokers.options = { ...sandbox.tolokers.options, appItemMs: 1 };
    sandbox.tolokers.start();
    const finished = await until('all items to finish', async () => {
      const items = await collect(client.apps.items(project.id ?? '', { sort: 'finished' }, { limit: 7 }));
      return items.length === 25 ? items : undefined;
    });
    assert.ok(finished.every((i) => i.status === 'COMPLETED' && typeof i.output_data?.['result'] === 'string'));
    // Resuming after the 10th item fetches only the rest.
    const tenth = finished[9];
    const rest = await collect(client.apps.items(project.id ?? '', { sort: 'finished' }, { after: tenth?.id }));
    assert.equal(rest.length, 15);
    assert.equal((await client.apps.item(project.id ?? '', ids[0] ?? '')).input_data['text'], 'review 0');
    assert.ok((await collect(client.apps.projects())).some((p) => p.id === project.id));
  });

  it('apps: batches hold their items until started (create with items, add items, list, get, start)', async () => {
    const { client, sandbox } = h;
    const project = await client.apps.createProject({ app_id: 'text-classification', name: 'Batched', parameters: { categories: ['yes', 'no'] } });
    const pid = project.id ?? '';
    const batch = await client.apps.createBatch(pid, { name: 'First batch', items: [{ text: 'one' }, { text: 'two' }], priority_order: 'TWO' });
    assert.equal(batch.status, 'NEW');
    assert.equal(batch.item_count, 2);
    assert.equal(batch.priority_order, 'TWO');
    const bad = await rejects(client.apps.createBatch(pid, { items: [{ text: 'ok' }, { nope: 1 }] }), 'validation');
    assert.equal(bad.fieldErrors[0]?.field, 'input_data.1.text');
    assert.equal((await collect(client.apps.batches(pid))).length, 1, 'a refused batch is not created');

    const added = await client.apps.addBatchItems(pid, batch.id, Array.from({ length: 3 }, (_, i) => ({ text: `more ${i}` })));
    assert.equal(added.length, 3);
    const missing = await rejects(client.apps.addBatchItems(pid, 'no-such-batch', [{ text: 'x' }]), 'validation');
    assert.equal(missing.fieldErrors[0]?.field, 'batch_id');
    const got = await client.apps.batch(pid, batch.id);
    assert.equal(got.item_count, 5);
    assert.deepEqual(got.items_per_state, { NEW: 5 });
    assert.equal(got.read_only, false);

    // Until it starts, the simulated Tolokers leave the batch alone; streaming items go on meanwhile.
    const [streamed] = await client.apps.createItems(pid, [{ text: 'streamed' }]);
    sandbox.tolokers.options = { ...sandbox.tolokers.options, appItemMs: 1 };
    sandbox.tolokers.start();
    await until('the streaming item to finish', async () => ((await client.apps.item(pid, streamed ?? '')).status === 'COMPLETED' ? true : undefined));
    assert.equal((await client.apps.batch(pid, batch.id)).status, 'NEW');
    assert.deepEqual((await collect(client.apps.batches(pid, { status: 'NEW' }))).map((b) => b.id), [batch.id]);

    const empty = await client.apps.createBatch(pid, { name: 'Empty' });
    await rejects(client.apps.startBatch(pid, empty.id), 'conflict', 'EMPTY_BATCH');
    await client.apps.startBatch(pid, batch.id);
    await client.apps.startBatch(pid, batch.id);
    await rejects(client.apps.addBatchItems(pid, batch.id, [{ text: 'late' }]), 'conflict', 'BATCH_READ_ONLY');
    const finished = await until('the batch to complete', async () => {
      const b = await client.apps.batch(pid, batch.id);
      return b.status === 'COMPLETED' ? b : undefined;
    });
    assert.equal(finished.items_processed_count, 5);
    assert.equal(finished.read_only, true);
    const items = await collect(client.apps.items(pid, { batch_id: batch.id }));
    assert.equal(items.length, 5);
    assert.ok(items.every((i) => i.status === 'COMPLETED'));
    await rejects(client.apps.batch(pid, 'nope'), 'not-found');
  });

  it('apps: a batch stops (its items wait, none labeled) and resumes, archives only when not labeling, and takes a new name and priority', async () => {
    const { client, sandbox } = h;
    const pid = (await client.apps.createProject({ app_id: 'text-classification', name: 'Stoppable', parameters: { categories: ['yes', 'no'] } })).id ?? '';
    const batch = await client.apps.createBatch(pid, { name: 'Long', items: Array.from({ length: 4 }, (_, i) => ({ text: `slow ${i}` })) });
    const status = async () => (await client.apps.batch(pid, batch.id)).status;
    // Nothing finishes while the batch is stopped: labeling takes an hour.
    sandbox.tolokers.options = { ...sandbox.tolokers.options, appItemMs: 3_600_000 };
    await rejects(client.apps.stopBatch(pid, batch.id), 'conflict', 'INAPPROPRIATE_STATUS');
    await rejects(client.apps.resumeBatch(pid, batch.id), 'conflict', 'INAPPROPRIATE_STATUS');
    await client.apps.startBatch(pid, batch.id);
    await until('the items to be labeled', async () => ((await client.apps.batch(pid, batch.id)).items_per_state?.['PROCESSING'] === 4 ? true : undefined));
    assert.equal(await status(), 'PROCESSING');
    const refused = await rejects(client.apps.archiveBatch(pid, batch.id), 'conflict', 'INAPPROPRIATE_STATUS');
    assert.match(refused.message, /PROCESSING/);

    await client.apps.stopBatch(pid, batch.id);
    await client.apps.stopBatch(pid, batch.id); // a retry of a stop that went through changes nothing
    const stopped = await client.apps.batch(pid, batch.id);
    assert.equal(stopped.status, 'STOPPED');
    assert.deepEqual(stopped.items_per_state, { STOPPED: 4 });
    assert.ok((await collect(client.apps.items(pid, { batch_id: batch.id }))).every((i) => i.status === 'STOPPED'));
    // A stopped batch gives the crowd nothing to do: labeling fast now, still nothing is processed.
    sandbox.tolokers.options = { ...sandbox.tolokers.options, appItemMs: 0 };
    for (let k = 0; k < 3; k++) sandbox.tolokers.tick();
    assert.deepEqual((await client.apps.batch(pid, batch.id)).items_per_state, { STOPPED: 4 });
    assert.deepEqual((await collect(client.apps.batches(pid, { status: 'STOPPED' }))).map((b) => b.id), [batch.id]);

    const renamed = await client.apps.updateBatch(pid, batch.id, { name: 'Long, renamed', priority_order: 'ONE' });
    assert.deepEqual([renamed.name, renamed.priority_order, renamed.status], ['Long, renamed', 'ONE', 'STOPPED']);
    assert.equal((await client.apps.updateBatch(pid, batch.id, { priority_order: 'THREE' })).name, 'Long, renamed', 'what is left out stays');
    const badPriority = await rejects(client.apps.updateBatch(pid, batch.id, { priority_order: 'SIX' } as never), 'validation');
    assert.equal(badPriority.fieldErrors[0]?.field, 'priority_order');

    await client.apps.resumeBatch(pid, batch.id);
    await client.apps.resumeBatch(pid, batch.id);
    const done = await until('the resumed batch to complete', async () => {
      const b = await client.apps.batch(pid, batch.id);
      return b.status === 'COMPLETED' ? b : undefined;
    });
    assert.equal(done.items_processed_count, 4);
    await rejects(client.apps.stopBatch(pid, batch.id), 'conflict', 'INAPPROPRIATE_STATUS');

    await client.apps.archiveBatch(pid, batch.id);
    assert.equal(await status(), 'ARCHIVE');
    const fresh = await client.apps.createBatch(pid, { name: 'Never started', items: [{ text: 'x' }] });
    await client.apps.archiveBatch(pid, fresh.id);
    await rejects(client.apps.startBatch(pid, fresh.id), 'conflict', 'INAPPROPRIATE_STATUS');
    await rejects(client.apps.addBatchItems(pid, fresh.id, [{ text: 'y' }]), 'conflict', 'BATCH_READ_ONLY');
    await client.apps.unarchiveBatch(pid, fresh.id);
    await client.apps.unarchiveBatch(pid, batch.id);
    assert.deepEqual([await status(), (await client.apps.batch(pid, fresh.id)).status], ['COMPLETED', 'NEW'], 'each gets back the status it had');
    await rejects(client.apps.resumeBatch(pid, 'nope'), 'not-found');
  });
});
