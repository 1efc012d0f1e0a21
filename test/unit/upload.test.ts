/** Uploading task files: validation first, then exactly once, whatever happens on the way. */
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { journalFileFor, resultsFileFor, UploadLocked, uploadTasks, type ChangedFile } from '../../src/files/upload';
import { lockFileFor } from '../../src/files/uploadLock';
import { startSandbox } from '../../src/sandbox/server';
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

function uploadProcess(apiRoot: string, file: string, poolId: string, batch = '500'): ChildProcess {
  return spawn(process.execPath, [path.join(repoRoot, 'out', 'test', 'unit', 'helpers', 'uploadChild.js'), apiRoot, file, poolId, JSON.stringify(spec), batch], { stdio: ['ignore', 'pipe', 'pipe'] });
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout?.resume();
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve({ code: child.exitCode, stderr });
    else child.once('exit', (code) => resolve({ code, stderr }));
  });
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
    assert.ok(!fs.existsSync(journalFileFor(file, poolId, h.sandbox.apiRoot)), 'no journal for an upload that did not start');
  });

  it('uploads the valid tasks when asked to skip the invalid ones, mapping lines to task ids', async () => {
    const poolId = await newPool();
    const file = jsonl('skip.jsonl', 30, [7]);
    const r = await uploadTasks({ client: h.client, file, format: 'jsonl', poolId, spec, skipInvalid: true, batchSize: 10 });
    assert.equal(r.created, 29);
    assert.equal(r.invalid, 1);
    assertExactlyOnce(h, poolId, 29);
    const results = fs.readFileSync(resultsFileFor(file, poolId, h.sandbox.apiRoot), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { line: number; taskId?: string });
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
    const results = fs.readFileSync(resultsFileFor(file, poolId, h.sandbox.apiRoot), 'utf8').trim().split('\n');
    assert.equal(results.length, 3000, 'one result line per task, none twice');
  });

  it('survives being killed in the middle: the resumed upload leaves every task exactly once', async () => {
    const poolId = await newPool();
    const file = jsonl('killed.jsonl', 6000);
    const child = uploadProcess(h.sandbox.apiRoot, file, poolId);
    await until('a few batches to be confirmed', () => {
      const j = fs.existsSync(journalFileFor(file, poolId, h.sandbox.apiRoot)) ? fs.readFileSync(journalFileFor(file, poolId, h.sandbox.apiRoot), 'utf8') : '';
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

  it('resumes after a touch: the content, not the modification time, identifies an upload', async () => {
    const poolId = await newPool();
    const file = jsonl('touched.jsonl', 2000);
    const controller = new AbortController();
    await assert.rejects(uploadTasks({ client: h.client, file, format: 'jsonl', poolId, spec, batchSize: 200, inFlight: 1, tasksPerMinute: 0, signal: controller.signal, onProgress: (p) => p.confirmed >= 600 && controller.abort() }), /cancel/);
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(file, later, later);
    const asked: ChangedFile[] = [];
    const r = await uploadTasks({ client: h.client, file, format: 'jsonl', poolId, spec, batchSize: 200, tasksPerMinute: 0, onChangedFile: async (info) => (asked.push(info), 'start-over') });
    assert.deepEqual(asked, [], 'a touch is no change: nothing to ask');
    assert.ok(r.resumed >= 600);
    await until('in-flight batches to land', () => texts(h, poolId).length === 2000);
    assertExactlyOnce(h, poolId, 2000);
  });

  it('after a change of content, says what the journal records and uploads only the records not in the pool yet', async () => {
    const poolId = await newPool();
    const file = jsonl('edited.jsonl', 1000);
    const controller = new AbortController();
    await assert.rejects(uploadTasks({ client: h.client, file, format: 'jsonl', poolId, spec, batchSize: 100, inFlight: 1, tasksPerMinute: 0, signal: controller.signal, onProgress: (p) => p.confirmed >= 300 && controller.abort() }), /cancel/);
    await until('in-flight batches to land', () => texts(h, poolId).length % 100 === 0 && texts(h, poolId).length >= 300);
    const before = texts(h, poolId).length;
    // The user edits the file: a new first line, the rest as before, and 50 more at the end.
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
    fs.writeFileSync(file, [JSON.stringify({ input_values: { text: 'inserted' }, overlap: 1 }), ...lines, ...Array.from({ length: 50 }, (_, i) => JSON.stringify({ input_values: { text: `appended ${i}` }, overlap: 1 }))].join('\n'));
    // Without a choice, nothing is sent and the reason names the tasks already created.
    await assert.rejects(uploadTasks({ client: h.client, file, format: 'jsonl', poolId, spec, batchSize: 100, tasksPerMinute: 0 }), (e: unknown) => e instanceof Error && e.name === 'ChangedFileError' && /created \d+ task\(s\)/.test(e.message));
    assert.equal(texts(h, poolId).length, before);
    const asked: ChangedFile[] = [];
    const r = await uploadTasks({ client: h.client, file, format: 'jsonl', poolId, spec, batchSize: 100, tasksPerMinute: 0, onChangedFile: async (info) => (asked.push(info), 'only-new') });
    assert.equal(asked.length, 1);
    assert.equal(asked[0]?.created, before);
    assert.equal(r.alreadyInPool, before);
    assert.equal(r.created, 1051 - before);
    assertExactlyOnce(h, poolId, 1051);
    assert.ok(r.previousJournal && fs.existsSync(r.previousJournal), 'the earlier journal is kept, moved aside');
  });

  it('lets one upload of a file into a pool run at a time: a second one refuses and sends nothing', async () => {
    const poolId = await newPool();
    const file = jsonl('twice.jsonl', 100_000);
    const first = uploadProcess(h.sandbox.apiRoot, file, poolId, '2000');
    await until('the first upload to hold the lock', () => fs.existsSync(lockFileFor(journalFileFor(file, poolId, h.sandbox.apiRoot))), 30_000);
    const second = uploadProcess(h.sandbox.apiRoot, file, poolId, '2000');
    const [a, b] = await Promise.all([exitOf(first), exitOf(second)]);
    assert.deepEqual([a.code, b.code].sort(), [0, 4], `one finishes, the other is refused: ${a.stderr}${b.stderr}`);
    assert.match(a.code === 4 ? a.stderr : b.stderr, /UploadLocked: The upload of .* is already running in process \d+ on this machine/);
    assertExactlyOnce(h, poolId, 100_000);
    assert.ok(!fs.existsSync(lockFileFor(journalFileFor(file, poolId, h.sandbox.apiRoot))), 'the lock is released at the end');
    // In the same process too.
    const lock = lockFileFor(journalFileFor(file, poolId, h.sandbox.apiRoot));
    fs.writeFileSync(lock, JSON.stringify({ token: 'x', pid: process.pid, host: os.hostname(), started: Date.now(), heartbeat: Date.now(), what: 'The upload of twice.jsonl' }));
    try {
      await assert.rejects(uploadTasks({ client: h.client, file, format: 'jsonl', poolId, spec }), (e: unknown) => e instanceof UploadLocked);
    } finally {
      fs.rmSync(lock, { force: true });
    }
  });

  it('takes over the lock of a process that no longer exists', async () => {
    const poolId = await newPool();
    const file = jsonl('stale.jsonl', 20);
    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => dead.once('exit', r));
    fs.writeFileSync(lockFileFor(journalFileFor(file, poolId, h.sandbox.apiRoot)), JSON.stringify({ token: 'old', pid: dead.pid, host: os.hostname(), started: Date.now() - 5000, heartbeat: Date.now(), what: 'x' }));
    const notes: string[] = [];
    const log = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: (m: string) => notes.push(m), error: () => undefined };
    const r = await uploadTasks({ client: h.client, file, format: 'jsonl', poolId, spec, logger: log });
    assert.equal(r.created, 20);
    assert.match(notes.join('\n'), /Took over the upload lock .* process \d+ no longer exists/);
  });

  it('ends with every task exactly once after ten kills at random moments, under injected faults', async () => {
    const poolId = await newPool();
    const file = jsonl('ten-kills.jsonl', 100_000);
    h.sandbox.faults = { ...h.sandbox.faults, errorRate: 0.1, resetRate: 0.05, resetAfterRate: 0.05, retryAfterSeconds: 0 };
    try {
      for (let k = 0; k < 10; k++) {
        const child = uploadProcess(h.sandbox.apiRoot, file, poolId, '2000');
        // Somewhere in the first seconds of each run: while checking, sending or confirming.
        const at = Date.now() + 200 + Math.floor(Math.random() * 1500);
        await until(`run ${k} to reach its moment`, () => Date.now() >= at || child.exitCode !== null, 10_000);
        child.kill('SIGKILL');
        await exitOf(child);
      }
      const r = await uploadTasks({ client: h.client, file, format: 'jsonl', poolId, spec, batchSize: 2000, tasksPerMinute: 0 });
      assert.equal(r.created + r.resumed, 100_000);
    } finally {
      h.sandbox.faults = { ...h.sandbox.faults, errorRate: 0, resetRate: 0, resetAfterRate: 0 };
    }
    await until('in-flight batches to land', () => texts(h, poolId).length >= 100_000);
    assertExactlyOnce(h, poolId, 100_000);
  });

  it('keeps apart uploads into pools that share an id on two servers', async () => {
    // Two fresh sandboxes: each names its first pool 1000001, as two Tolokas may.
    const servers = await Promise.all([startSandbox({ tolokers: { assignmentsPerSecond: 0 } }), startSandbox({ tolokers: { assignmentsPerSecond: 0 } })]);
    try {
      const file = jsonl('two-servers.jsonl', 50);
      for (const s of servers) {
        const client = new TolokaClient({ baseUrl: s.apiRoot, credential: 't' });
        const project = await client.projects.create({ public_name: 'Twin', task_spec: spec });
        const id = (await client.pools.create(poolFor(project.id ?? ''))).id ?? '';
        assert.equal(id, '1000001');
        const r = await uploadTasks({ client, file, format: 'jsonl', poolId: id, spec });
        assert.deepEqual([r.created, r.resumed], [50, 0], `a fresh upload on ${s.origin}, not a resume of the other server's`);
      }
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
    }
  });

  it('waits out the per-minute task quota instead of giving up, and says it is waiting', async () => {
    // A sandbox whose minute lasts a second and holds 2,000 tasks; a client that knows it.
    const sandbox = await startSandbox({ tolokers: { assignmentsPerSecond: 0 }, quotaWindows: { MIN: 1000 }, taskQuota: { perMinute: 2000 } });
    try {
      const client = new TolokaClient({ baseUrl: sandbox.apiRoot, credential: 't', maxAttempts: 2, quotaWindowsMs: { MIN: 1000 } });
      const project = await client.projects.create({ public_name: 'Quota', task_spec: spec });
      const poolId = (await client.pools.create(poolFor(project.id ?? ''))).id ?? '';
      const file = jsonl('quota.jsonl', 7000);
      const waits: Array<string | undefined> = [];
      const r = await uploadTasks({ client, file, format: 'jsonl', poolId, spec, batchSize: 1000, inFlight: 1, tasksPerMinute: 0, onProgress: (p) => p.waiting && waits.push(p.waiting.quota) });
      assert.equal(r.created, 7000);
      assert.ok(waits.includes('MIN'), 'the progress said it was waiting for the per-minute quota');
      assert.equal(sandbox.state.pools.get(poolId)?.data.tasks.length, 7000);
    } finally {
      await sandbox.stop();
    }
  });
});
