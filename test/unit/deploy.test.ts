/** Deploy from files against the local sandbox: plan, apply, state, references, a lost create's answer. */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Ajv from 'ajv';
import { applyPlan, DailyQuotaReached } from '../../src/deploy/apply';
import { changesCount, formatPlan, makePlan, type Plan } from '../../src/deploy/plan';
import { pull } from '../../src/deploy/pull';
import { StateStore, stateFileOf, stateRootFor } from '../../src/deploy/state';
import { analyzeFile, loadWorkspace } from '../../src/deploy/workspace';
import { TolokaClient } from '../../src/toloka/client';
import { collect } from '../../src/toloka/paging';
import { jsonSchemaFor, validatePayload } from '../../src/toloka/schemas';
import { repoRoot } from '../runners/provision';
import { harness, until, type Harness } from './fixtures';

const example = path.join(repoRoot, 'playground', 'pipeline');

function copyExample(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'toloka-deploy-'));
  fs.mkdirSync(path.join(dir, '.toloka'));
  for (const f of fs.readdirSync(example)) if (/\.(skill|project|training|pool)\.json$/.test(f)) fs.copyFileSync(path.join(example, f), path.join(dir, f));
  return dir;
}

function edit(file: string, change: (o: Record<string, unknown>) => void): void {
  const o = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  change(o);
  fs.writeFileSync(file, `${JSON.stringify(o, null, 2)}\n`);
}

const actions = (plan: Plan) => plan.items.map((i) => `${i.action} ${i.key}`);

describe('Deploy from files', () => {
  let h: Harness;
  before(async () => {
    h = await harness({ quotas: false, tolokers: { assignmentsPerSecond: 0 } });
  });
  after(async () => h.stop());

  async function plan(dir: string, target: string = dir) {
    const store = await StateStore.open(await stateRootFor(dir), 'local');
    const ws = await loadWorkspace([target]);
    return { store, plan: await makePlan(h.client, ws, store, 'local') };
  }

  it('plans the example in dependency order, applies it with the objects linked by id, and a rerun does nothing', async () => {
    const dir = copyExample();
    const first = await plan(dir);
    assert.deepEqual(first.plan.problems.filter((p) => p.severity === 'error'), []);
    assert.deepEqual(actions(first.plan), ['create accuracy.skill.json', 'create animals.project.json', 'create animals.training.json', 'create animals.pool.json']);
    assert.deepEqual(first.plan.quotaCreates, { skill: 1, project: 1, training: 1, pool: 1 });
    assert.match(formatPlan(first.plan), /3 to create|4 to create/);

    const result = await applyPlan(h.client, first.plan, first.store);
    assert.equal(result.created, 4);
    const state = JSON.parse(fs.readFileSync(stateFileOf(dir, 'local'), 'utf8')) as { objects: Record<string, { id: string; hash: string }>; pending: object };
    assert.deepEqual(Object.keys(state.objects).sort(), ['accuracy.skill.json', 'animals.pool.json', 'animals.project.json', 'animals.training.json']);
    assert.deepEqual(state.pending, {});
    const id = (k: string) => state.objects[k]?.id ?? '';
    const pool = await h.client.pools.get(id('animals.pool.json'));
    assert.equal(pool.project_id, id('animals.project.json'));
    assert.equal(pool.quality_control?.training_requirement?.training_pool_id, id('animals.training.json'));
    assert.match(JSON.stringify(pool.filter), new RegExp(`"key":"${id('accuracy.skill.json')}"`));
    assert.match(JSON.stringify(pool.quality_control?.configs), new RegExp(`"skill_id":"${id('accuracy.skill.json')}"`));
    assert.equal((await h.client.trainings.get(id('animals.training.json'))).project_id, id('animals.project.json'));
    const project = await h.client.projects.get(id('animals.project.json'));
    const view = project.task_spec.view_spec;
    assert.equal(view?.type, 'tb');
    assert.equal(typeof (view as { config: unknown }).config, 'string', 'the Template Builder config is sent as a JSON string');
    assert.equal((JSON.parse((view as { config: string }).config) as { view: { type: string } }).view.type, 'view.list');

    const again = await plan(dir);
    assert.deepEqual(actions(again.plan), ['unchanged accuracy.skill.json', 'unchanged animals.project.json', 'unchanged animals.training.json', 'unchanged animals.pool.json']);
    assert.equal(changesCount(again.plan), 0);
    const before = fs.readFileSync(stateFileOf(dir, 'local'), 'utf8');
    const none = await applyPlan(h.client, again.plan, again.store);
    assert.equal(none.created + none.updated, 0);
    assert.equal(fs.readFileSync(stateFileOf(dir, 'local'), 'utf8'), before, 'a no-op apply leaves the state as it was');

    // A change of the reward: exactly one update, with the field's diff.
    edit(path.join(dir, 'animals.pool.json'), (o) => (o['reward_per_assignment'] = 0.03));
    const changed = await plan(dir);
    assert.deepEqual(changed.plan.items.filter((i) => i.action !== 'unchanged').map((i) => [i.action, i.key, i.changes.map((c) => `${c.path}: ${JSON.stringify(c.before)} → ${JSON.stringify(c.after)}`)]), [['update', 'animals.pool.json', ['reward_per_assignment: 0.02 → 0.03']]]);
    const updated = await applyPlan(h.client, changed.plan, changed.store);
    assert.equal(updated.updated, 1);
    assert.equal((await h.client.pools.get(id('animals.pool.json'))).reward_per_assignment, 0.03);
    assert.equal(changesCount((await plan(dir)).plan), 0);

    // Removing a file deletes nothing: the plan names it and leaves its object alone.
    fs.rmSync(path.join(dir, 'animals.training.json'));
    edit(path.join(dir, 'animals.pool.json'), (o) => {
      (o['quality_control'] as Record<string, unknown>)['training_requirement'] = undefined;
    });
    const removed = await plan(dir);
    assert.deepEqual(removed.plan.orphans, ['animals.training.json']);
    await applyPlan(h.client, removed.plan, removed.store);
    assert.equal((await h.client.trainings.get(id('animals.training.json'))).status, 'CLOSED');
  });

  it('plans one file with what it references, and updates an open pool by closing it for update and reopening it', async () => {
    const dir = copyExample();
    const poolFile = path.join(dir, 'animals.pool.json');
    const first = await plan(dir, poolFile);
    assert.equal(first.plan.items.length, 4, 'the pool file brings the skill, project and training it references');
    await applyPlan(h.client, first.plan, first.store);
    const poolId = first.store.entry(poolFile)?.id ?? '';
    await h.client.tasks.createMany([{ pool_id: poolId, input_values: { image: 'https://example.com/1.jpg' }, overlap: 1 }]);
    const opened = await h.client.pools.open(poolId);
    if (opened) await h.client.operations.wait(opened, { firstDelayMs: 10, intervalMs: 20 });
    assert.equal((await h.client.pools.get(poolId)).status, 'OPEN');

    edit(poolFile, (o) => (o['private_name'] = 'Animals, batch 1 (renamed)'));
    const changed = await plan(dir, poolFile);
    const item = changed.plan.items.find((i) => i.key === 'animals.pool.json');
    assert.equal(item?.action, 'update');
    assert.equal(item.reopen, true);
    assert.match(formatPlan(changed.plan), /is open: it is closed for update, updated and opened again/);
    await applyPlan(h.client, changed.plan, changed.store);
    const after = await h.client.pools.get(poolId);
    assert.equal(after.private_name, 'Animals, batch 1 (renamed)');
    assert.equal(after.status, 'OPEN');
  });

  it('plans replace where Toloka cannot change an object, blocked where it cannot now, and warns of a project change that breaks pools', async () => {
    const dir = copyExample();
    const first = await plan(dir);
    await applyPlan(h.client, first.plan, first.store);
    const poolFile = path.join(dir, 'animals.pool.json');
    const poolId = first.store.entry(poolFile)?.id ?? '';
    // Another project for the pool: Toloka does not move a pool, so a new one is planned.
    fs.copyFileSync(path.join(dir, 'animals.project.json'), path.join(dir, 'other.project.json'));
    edit(path.join(dir, 'other.project.json'), (o) => (o['public_name'] = 'Another project'));
    edit(poolFile, (o) => (o['project_id'] = { $file: './other.project.json' }));
    const moved = await plan(dir);
    const item = moved.plan.items.find((i) => i.key === 'animals.pool.json');
    assert.equal(item?.action, 'replace');
    assert.match(item.notes.join(' '), new RegExp(`cannot move to another project: a new one is created in it; pool ${poolId} is left as it is`));
    assert.deepEqual(item.changes.map((c) => c.path), ['project_id']);
    await applyPlan(h.client, moved.plan, moved.store);
    const newId = moved.store.entry(poolFile)?.id ?? '';
    assert.notEqual(newId, poolId);
    assert.equal((await h.client.pools.get(newId)).project_id, moved.store.entry(path.join(dir, 'other.project.json'))?.id);
    assert.equal((await h.client.pools.get(poolId)).private_name, 'Animals, batch 1', 'the old pool is left as it was');

    // A locked pool cannot change now: blocked, with the reason, and apply leaves it alone.
    await h.client.tasks.createMany([{ pool_id: newId, input_values: { image: 'https://example.com/1.jpg' }, overlap: 1 }]);
    const record = h.sandbox.state.pools.get(newId);
    assert.ok(record);
    record.api = { ...record.api, status: 'LOCKED' };
    edit(poolFile, (o) => (o['reward_per_assignment'] = 0.04));
    // A changed output field of the project: flagged for the pools that have tasks.
    edit(path.join(dir, 'other.project.json'), (o) => {
      ((o['task_spec'] as Record<string, Record<string, unknown>>)['output_spec'] ?? {})['comment'] = { type: 'string', required: false };
    });
    const locked = await plan(dir);
    const blocked = locked.plan.items.find((i) => i.key === 'animals.pool.json');
    assert.equal(blocked?.action, 'blocked');
    assert.match(blocked.notes.join(' '), /locked by Toloka: no change is possible now/);
    const project = locked.plan.items.find((i) => i.key === 'other.project.json');
    assert.equal(project?.action, 'update');
    assert.match(project.notes.join(' '), new RegExp(`input or output fields change, and pool ${newId} already has tasks`));
    const r = await applyPlan(h.client, locked.plan, locked.store);
    assert.deepEqual([r.updated, r.blocked], [1, 1]);
    assert.equal((await h.client.pools.get(newId)).reward_per_assignment, 0.02);
  });

  it('finds a create whose answer was lost by its marker instead of creating a second pool', async () => {
    const dir = copyExample();
    const poolFile = path.join(dir, 'animals.pool.json');
    const first = await plan(dir);
    // The pool's create reaches Toloka, and its answer is lost on the way back.
    const lossy = new TolokaClient({ baseUrl: h.sandbox.apiRoot, credential: 'test-token', baseDelayMs: 5 });
    const sendCreate = lossy.pools.create.bind(lossy.pools);
    lossy.pools.create = async (...args) => {
      await sendCreate(...args);
      throw new Error('socket hang up');
    };
    await assert.rejects(applyPlan(lossy, first.plan, first.store), /animals\.pool\.json: socket hang up/);
    assert.ok(first.store.pending(poolFile), 'the create is still pending in the state');
    const projectId = first.store.entry(path.join(dir, 'animals.project.json'))?.id ?? '';
    assert.equal((await collect(h.client.pools.all({ project_id: projectId }))).length, 1);

    const rerun = await plan(dir);
    const adopted = rerun.plan.items.find((i) => i.kind === 'pool');
    assert.equal(adopted?.adopted, true);
    assert.notEqual(adopted.action, 'create');
    assert.deepEqual(rerun.plan.items.filter((i) => i.kind !== 'pool').map((i) => i.action), ['unchanged', 'unchanged', 'unchanged']);
    await applyPlan(h.client, rerun.plan, rerun.store);
    const pools = await collect(h.client.pools.all({ project_id: projectId }));
    assert.equal(pools.length, 1, 'one pool, not two');
    assert.equal(rerun.store.entry(poolFile)?.id, pools[0]?.id);
    assert.equal(rerun.store.pending(poolFile), undefined);
    assert.equal(changesCount((await plan(dir)).plan), 0);
  });

  it('pulls an existing pool with its project, training and skill into an empty folder, and applying that is nothing to do', async () => {
    const source = copyExample();
    const first = await plan(source);
    await applyPlan(h.client, first.plan, first.store);
    const poolId = first.store.entry(path.join(source, 'animals.pool.json'))?.id ?? '';
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'toloka-pull-'));
    fs.mkdirSync(path.join(dir, '.toloka'));
    const store = await StateStore.open(dir, 'local');
    const pulled = await pull(h.client, 'pool', poolId, path.join(dir, 'pipeline'), store);
    assert.deepEqual(pulled.map((p) => path.basename(p.file)).sort(), ['animals-accuracy-on-control-tasks.skill.json', 'animals-batch-1.pool.json', 'animals-training.training.json', 'which-animal-is-it.project.json']);
    const poolFile = JSON.parse(fs.readFileSync(path.join(dir, 'pipeline', 'animals-batch-1.pool.json'), 'utf8')) as Record<string, unknown>;
    assert.deepEqual(poolFile['project_id'], { $file: './which-animal-is-it.project.json' });
    assert.match(JSON.stringify(poolFile['filter']), /"key":\{"\$file":"\.\/animals-accuracy-on-control-tasks\.skill\.json"\}/);
    assert.equal(poolFile['id'], undefined, 'no server-owned fields');
    const project = JSON.parse(fs.readFileSync(path.join(dir, 'pipeline', 'which-animal-is-it.project.json'), 'utf8')) as { task_spec: { view_spec: { config: unknown } } };
    assert.equal(typeof project.task_spec.view_spec.config, 'object', 'the Template Builder config is written as an object');
    const again = await plan(dir);
    assert.deepEqual(again.plan.problems.filter((p) => p.severity === 'error'), []);
    assert.deepEqual(actions(again.plan).map((a) => a.split(' ')[0]), ['unchanged', 'unchanged', 'unchanged', 'unchanged']);
  });

  it("with Toloka's quotas on, paces its creates under the per-minute limit and stops cleanly at the daily one, then goes on", async () => {
    const q = await harness({ quotas: true, quotaWindows: { MIN: 300, DAY: 2500 }, objectQuota: { perMinute: 3, perDay: 5 }, tolokers: { assignmentsPerSecond: 0 } });
    try {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'toloka-quota-'));
      fs.mkdirSync(path.join(dir, '.toloka'));
      fs.copyFileSync(path.join(example, 'animals.project.json'), path.join(dir, 'animals.project.json'));
      const pool = { project_id: { $file: './animals.project.json' }, private_name: 'P', may_contain_adult_content: false, will_expire: '2030-01-01T00:00:00', reward_per_assignment: 0.02, assignment_max_duration_seconds: 600, defaults: { default_overlap_for_new_task_suites: 1 } };
      for (let i = 0; i < 6; i++) fs.writeFileSync(path.join(dir, `p${i}.pool.json`), JSON.stringify({ ...pool, private_name: `P${i}` }));
      const pacing = { project: { creates: 3, windowMs: 300 }, pool: { creates: 3, windowMs: 300 } };
      const run = async () => {
        const store = await StateStore.open(dir, 'local');
        const p = await makePlan(q.client, await loadWorkspace([dir]), store, 'local');
        const waits: number[] = [];
        return { store, waits, result: applyPlan(q.client, p, store, { pacing, onWait: (ms) => waits.push(ms) }) };
      };
      const first = await run();
      await assert.rejects(first.result, (err: unknown) => err instanceof DailyQuotaReached && /p5\.pool\.json: Toloka's daily quota of pool creates is used up/.test(err.message));
      assert.ok(first.waits.length >= 1, 'it waited for the minute instead of meeting the per-minute quota');
      assert.equal(first.store.entries().filter(([, e]) => e.kind === 'pool').length, 5, 'the state has the five pools created');
      assert.equal([...q.sandbox.state.pools.values()].length, 5);
      // The next day (a short one here), the next apply goes on with what is left.
      await until('the day to pass', async () => {
        const next = await run();
        return next.result.then((r) => r, () => undefined);
      }, 10_000).then((r) => assert.equal(r.created, 1));
      assert.equal([...q.sandbox.state.pools.values()].length, 6, 'each pool once');
    } finally {
      await q.stop();
    }
  });

  it('refuses bad input with a problem on the exact node: a missing file, the wrong kind, a cycle, an invalid field', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'toloka-deploy-bad-'));
    fs.copyFileSync(path.join(example, 'animals.project.json'), path.join(dir, 'a.project.json'));
    edit(path.join(dir, 'a.project.json'), (o) => (o['quality_control'] = { training_requirement: { training_pool_id: { $file: './t.training.json' }, training_passing_skill_value: 70 } }));
    fs.writeFileSync(path.join(dir, 't.training.json'), JSON.stringify({ project_id: { $file: './a.project.json' }, private_name: 'T', inherited_instructions: true, training_tasks_in_task_suite_count: 2 }, null, 2));
    fs.writeFileSync(path.join(dir, 'p.pool.json'), '{\n  "project_id": { "$file": "./missing.project.json" },\n  "private_name": "P",\n  "reward_per_assignment": "cheap",\n  "filter": { "category": "skill", "key": { "$file": "./a.project.json" }, "operator": "GT", "value": 1 }\n}\n');
    const ws = await loadWorkspace([dir]);
    const texts = ws.problems.map((p) => `${path.basename(p.file)}:${p.line}: ${p.field}: ${p.message}`);
    assert.ok(texts.some((t) => /^p\.pool\.json:2: project_id\.\$file: \.\/missing\.project\.json: no such file/.test(t)), texts.join('\n'));
    assert.ok(texts.some((t) => /^p\.pool\.json:5: filter\.key\.\$file: key names a skill/.test(t)), texts.join('\n'));
    assert.ok(texts.some((t) => /^p\.pool\.json:4: reward_per_assignment: /.test(t)), texts.join('\n'));
    assert.ok(texts.some((t) => /a cycle of references/.test(t)), texts.join('\n'));
    const store = await StateStore.open(dir, 'local');
    const p = await makePlan(h.client, ws, store, 'local');
    assert.equal(p.items.length, 0);
    await assert.rejects(applyPlan(h.client, p, store), /nothing was sent/);
    assert.equal(fs.existsSync(stateFileOf(dir, 'local')), false);
  });

  it('keeps the state as a small file per environment that reads back as written, and refuses another server\'s state', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'toloka-state-'));
    const store = await StateStore.open(dir, 'sandbox', 'https://sandbox.toloka.dev/api');
    await store.beginCreate(path.join(dir, 'x', 'a.pool.json'), 'pool');
    await store.record(path.join(dir, 'b.project.json'), 'project', '42', 'abc');
    const again = await StateStore.open(dir, 'sandbox', 'https://sandbox.toloka.dev/api');
    assert.deepEqual(again.snapshot(), store.snapshot());
    assert.equal(again.entry(path.join(dir, 'b.project.json'))?.id, '42');
    assert.ok(again.pending(path.join(dir, 'x', 'a.pool.json'))?.marker);
    assert.deepEqual(Object.keys(again.snapshot().pending), ['x/a.pool.json']);
    await assert.rejects(StateStore.open(dir, 'sandbox', 'https://toloka.dev/api'), /is the state of https:\/\/sandbox\.toloka\.dev\/api/);
    fs.writeFileSync(stateFileOf(dir, 'local'), '{"version": 1, "objects": {}}');
    await assert.rejects(StateStore.open(dir, 'local'), /local\.state\.json: environment/);
  });

  it('toloka plan and toloka apply: exit 2 with changes, 0 when there are none, 1 on bad input or when nobody can confirm', async () => {
    const dir = copyExample();
    const bin = path.join(repoRoot, 'dist', 'cli', 'toloka.mjs');
    // Asynchronously: the sandbox answers from this very process.
    const run = (...args: string[]) =>
      new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [bin, ...args, '--env', 'custom', '--api-url', h.sandbox.origin], { env: { ...process.env, TOLOKA_API_TOKEN: 'x', CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('close', (status) => resolve({ status, stdout, stderr }));
      });
    const first = await run('plan', dir);
    assert.equal(first.status, 2, first.stderr);
    assert.match(first.stdout, /\+ create pool animals\.pool\.json/);
    const refused = await run('apply', dir);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /stdin is not a terminal.*--yes/);
    assert.equal(fs.existsSync(stateFileOf(dir, 'custom')), false, 'nothing applied without a confirmation');
    const applied = await run('apply', dir, '--yes');
    assert.equal(applied.status, 0, applied.stderr);
    assert.equal((JSON.parse(applied.stdout.trim().split('\n').pop() ?? '{}') as { created: number }).created, 4);
    assert.ok(applied.stderr.split('\n').filter(Boolean).every((l) => JSON.parse(l) !== null), 'off a terminal, stderr is JSON lines');
    const none = await run('plan', dir);
    assert.equal(none.status, 0, none.stderr);
    assert.match(none.stdout, /0 to create, 0 to update, 0 to replace, 4 unchanged/);
    const again = await run('apply', dir);
    assert.equal(again.status, 0, 'nothing to do needs no confirmation');
    fs.writeFileSync(path.join(dir, 'broken.pool.json'), '{ "project_id": { "$file": "./nowhere.project.json" } }');
    const bad = await run('plan', dir);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /broken\.pool\.json:1:\d+: project_id\.\$file: \.\/nowhere\.project\.json: no such file/);
  });

  it('describes references and server-owned fields in the schemas; literal ids keep working', () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    const pool = JSON.parse(fs.readFileSync(path.join(example, 'animals.pool.json'), 'utf8')) as Record<string, unknown>;
    assert.ok(ajv.validate(jsonSchemaFor('pool'), pool), ajv.errorsText());
    assert.deepEqual(validatePayload('pool', pool), []);
    assert.ok(ajv.validate(jsonSchemaFor('pool'), { ...pool, project_id: '12' }), 'a literal id');
    assert.equal(ajv.validate(jsonSchemaFor('pool'), { ...pool, project_id: { $file: './x.pool.json' } }), false, 'a project_id names a project file');
    const project = JSON.parse(fs.readFileSync(path.join(example, 'animals.project.json'), 'utf8')) as unknown;
    assert.ok(ajv.validate(jsonSchemaFor('project'), project), ajv.errorsText());
    assert.ok(ajv.validate(jsonSchemaFor('skill'), { name: 'x' }));
    const text = JSON.stringify(jsonSchemaFor('pool'));
    assert.match(text, /"deprecationMessage":"\\"status\\" is set by Toloka/);
    const analyzed = analyzeFile('/w/x.pool.json', JSON.stringify({ ...pool, id: '5', status: 'OPEN' }, null, 2));
    assert.deepEqual(analyzed?.problems.map((p) => [p.field, p.severity]), [['id', 'warning'], ['status', 'warning']]);
  });
});
