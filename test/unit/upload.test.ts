/** Uploading task files: validation first, then exactly once, whatever happens on the way. */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { journalFileFor, resultsFileFor, uploadTasks } from '../../src/files/upload';
import { TolokaClient } from '../../src/toloka/client';
import type { TaskSpec } from '../../src/toloka/models';
import { repoRoot } from '../runners/provision';
import { harness, poolFor, until, type Harness } from './fixtures';

const spec: TaskSpec = { input_spec: { text: { type: 'string' } }, output_spec: { label: { type: 'string', allowed_values: ['a', 'b'] } } };
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tlk-upload-'));

function jsonl(name: string, n: number, bad: number[] = []): string {
  const f = path.join(dir, name);
  const lines = Array.from({ length: n }, (_, i) => (bad.includes(i) ? JSON.stringify({ input_values: { text: 5 } }) : JSON.stringify({ input_values: { text: `task ${i}` }, overlap: 1 })));
  fs.writeFileSync(f, `${lines.join('\n')}\n`);
  return f;
}

/** Every input text in the pool, from the sandbox's own state: what Toloka would hold. */
function texts(h: Harness, poolId: string): string[] {
  return (h.sandbox.state.pools.get(poolId)?.data.tasks ?? []).map((t) => String(t.api.input_values['text']));
}

function assertExactlyOnce(h: Harness, poolId: string, n: number): void {
  const all = texts(h, poolId);
  const unique = new Set(all);
  assert.equal(unique.size, n, `${n} distinct tasks`);
  assert.equal(all.length, n, `no task twice (${all.length - unique.size} duplicates)`);
}

describe('uploadTasks', () => {
  let h: Harness;
  let projectId = '';
  before(async () => {
    h = await harness({ quotas: false, tolokers: { assignmentsPerSecond: 0 } }, { maxAttempts: 20, baseDelayMs: 2, maxDelayMs: 200 });
    projectId = (await h.client.projects.create({ public_name: 'Upload', task_spec: spec })).id ?? '';
  });
  after(async () => {
    await h.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const newPool = async (): Promise<string> => (await h.client.pools.create(poolFor(projectId))).id ?? '';

  it('sends nothing when a task is invalid, and names its line and field', async () => {
    const poolId = await newPool();
    const file = jsonl('invalid.jsonl', 50, [3, 40]);
    const r = await uploadTasks({ client: h.client, file, format: 'jsonl', poolId, spec });
    assert.equal(r.uploaded, false);
    assert.equal(r.invalid, 2);
    assert.deepEqual(r.problems.map((p) => p.line), [4, 41]);
    assert.match(r.problems[0]?.problems.join() ?? '', /input_values\.text: Value must be a string/);
    assert.equal(texts(h, poolId).length, 0);
    assert.ok(!fs.existsSync(journalFileFor(file)), 'no journal for an upload that did not start');
  });

  it('uploads the valid tasks when asked to skip the invalid ones, mapping lines to task ids', async () => {
    const poolId = await newPool();
    const file = jsonl('skip.jsonl', 30, [7]);
    const r = await uploadTasks({ client: h.client, file, format: 'jsonl', poolId, spec, skipInvalid: true, batchSize: 10 });
    assert.equal(r.created, 29);
    assert.equal(r.invalid, 1);
    assertExactlyOnce(h, poolId, 29);
    const results = fs.readFileSync(resultsFileFor(file), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { line: number; taskId?: string });
    assert.equal(results.length, 29);
    assert.ok(results.every((x) => /^[0-9a-f]{10}--[0-9a-f]{24}$/.test(x.taskId ?? '')));
    assert.ok(!results.some((x) => x.line === 8), 'the invalid line has no task');
  });

  it('resumes after a cancel without creating a task twice', async () => {
    const poolId = await newPool();
    const file = jsonl('cancel.jsonl', 3000);
    const controller = new AbortController();
    await assert.rejects(uploadTasks({
      client: h.client, file, format: 'jsonl', poolId, spec, batchSize: 200, inFlight: 3, tasksPerMinute: 0, signal: controller.signal,
      onProgress: (p) => {
        if (p.confirmed >= 1000) controller.abort();
      },
    }), /cancel/);
    const partial = texts(h, poolId).length;
    assert.ok(partial >= 1000 && partial < 3000, `${partial} tasks before the cancel`);
    const r = await uploadTasks({ client: h.client, file, format: 'jsonl', poolId, spec, batchSize: 200, inFlight: 3, tasksPerMinute: 0 });
    assert.equal(r.created + r.resumed, 3000);
    assert.ok(r.resumed >= 1000);
    await until('in-flight batches to land', () => texts(h, poolId).length === 3000);
    assertExactlyOnce(h, poolId, 3000);
    const results = fs.readFileSync(resultsFileFor(file), 'utf8').trim().split('\n');
    assert.equal(results.length, 3000, 'one result line per task, none twice');
  });

  it('survives being killed in the middle: the resumed upload leaves every task exactly once', async () => {
    const poolId = await newPool();
    const file = jsonl('killed.jsonl', 6000);
    const child = spawn(process.execPath, [path.join(repoRoot, 'out', 'test', 'unit', 'helpers', 'uploadChild.js'), h.sandbox.apiRoot, file, poolId, JSON.stringify(spec)], { stdio: 'ignore' });
    await until('a few batches to be confirmed', () => {
      const j = fs.existsSync(journalFileFor(file)) ? fs.readFileSync(journalFileFor(file), 'utf8') : '';
      return (j.match(/"t":"done"/g)?.length ?? 0) >= 3;
    }, 30_000);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const r = await uploadTasks({ client: h.client, file, format: 'jsonl', poolId, spec, batchSize: 500, inFlight: 2, tasksPerMinute: 0 });
    assert.equal(r.created + r.resumed, 6000);
    await until('all tasks to land', () => texts(h, poolId).length >= 6000);
    assertExactlyOnce(h, poolId, 6000);
  });

  it('uploads 100,000 tasks exactly once through 500s, dropped connections and 429 bursts', async () => {
    const poolId = await newPool();
    const file = jsonl('faults.jsonl', 100_000);
    h.sandbox.faults = { ...h.sandbox.faults, errorRate: 0.05, resetRate: 0.03, resetAfterRate: 0.03, requestsPerSecond: 40, retryAfterSeconds: 0 };
    try {
      const r = await uploadTasks({ client: h.client, file, format: 'jsonl', poolId, spec, batchSize: 5000, inFlight: 4, tasksPerMinute: 0 });
      assert.equal(r.created, 100_000);
    } finally {
      h.sandbox.faults = { ...h.sandbox.faults, errorRate: 0, resetRate: 0, resetAfterRate: 0, requestsPerSecond: 0 };
    }
    assertExactlyOnce(h, poolId, 100_000);
  });

  it('refuses to resume a journal that belongs to another file', async () => {
    const poolId = await newPool();
    const file = jsonl('changed.jsonl', 10);
    await uploadTasks({ client: h.client, file, format: 'jsonl', poolId, spec });
    fs.appendFileSync(file, `${JSON.stringify({ input_values: { text: 'new' }, overlap: 1 })}\n`);
    await assert.rejects(uploadTasks({ client: new TolokaClient({ baseUrl: h.sandbox.apiRoot, credential: 't' }), file, format: 'jsonl', poolId, spec }), /belongs to an earlier upload/);
  });
});
