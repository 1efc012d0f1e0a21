/** The seams of the hardening work that plain Node can check: exports, settings, waits, an idle sandbox. */
import * as assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { getEventListeners } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parseSettings } from '../../src/environment/settingsSchema';
import { extensionExports } from '../../src/exportsPolicy';
import { FromSandbox } from '../../src/sandbox/processProtocol';
import { startSandbox } from '../../src/sandbox/server';
import { TolokaClient } from '../../src/toloka/client';
import { describeError, TolokaError } from '../../src/toloka/errors';
import { HttpCore } from '../../src/toloka/http';
import { sleep } from '../../src/toloka/sleep';
import { repoRoot } from '../runners/provision';
import { classificationProject, poolFor, tasks, until } from './fixtures';

describe('Exports', () => {
  it('are nothing in production and development: the test seam is not even built', () => {
    let built = 0;
    const seam = (): object => {
      built++;
      return { internals: true };
    };
    assert.equal(extensionExports('production', seam), undefined);
    assert.equal(extensionExports('development', seam), undefined);
    assert.equal(built, 0);
    assert.deepEqual(extensionExports('test', seam), { internals: true });
  });

  it('never show the credential through the HTTP layer or its client', () => {
    const credential = 'AbCdEfGhIjKlMnOpQrStUvWx.yz0123.secret-part';
    const client = new TolokaClient({ baseUrl: 'http://127.0.0.1:9/api', credential, authScheme: 'ApiKey' });
    const seen = JSON.stringify(client, (_k, v: unknown) => (typeof v === 'function' ? undefined : v));
    assert.ok(!seen.includes('secret-part'), 'the serialized client holds no credential');
    assert.ok(!Object.values(client.core).some((v) => typeof v === 'string' && v.includes('secret-part')));
    assert.ok(client.core instanceof HttpCore);
  });
});

describe('Settings', () => {
  it('replace a wrong value by its own default only, naming the setting', () => {
    const raw: Record<string, unknown> = { environment: 'custom', customUrl: 'http://127.0.0.1:8999', 'local.url': 42, requestTimeoutSeconds: 0 };
    const { settings, problems } = parseSettings((k) => raw[k]);
    assert.deepEqual(settings, { environment: 'custom', customUrl: 'http://127.0.0.1:8999', localUrl: '', localCrowd: '', requestTimeoutSeconds: 60 });
    assert.deepEqual(problems.map((p) => p.setting), ['toloka.local.url', 'toloka.requestTimeoutSeconds']);
    assert.match(problems[1]?.message ?? '', /got 0\); using 60/);
  });

  it('are the defaults when nothing is set', () => {
    const { settings, problems } = parseSettings(() => undefined);
    assert.deepEqual(settings, { environment: 'local', customUrl: '', localUrl: '', localCrowd: '', requestTimeoutSeconds: 60 });
    assert.deepEqual(problems, []);
  });
});

describe('Waiting', () => {
  it('leaves no abort listener behind, however many waits share a signal', async () => {
    const controller = new AbortController();
    for (let i = 0; i < 50; i++) await sleep(1, controller.signal);
    assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
    const pending = sleep(60_000, controller.signal);
    controller.abort();
    await assert.rejects(pending, (e: unknown) => e instanceof TolokaError && e.kind === 'cancelled');
  });

  it('polls a long operation without piling listeners on its signal', async () => {
    const sandbox = await startSandbox({ tolokers: { assignmentsPerSecond: 0 }, operationDelayMs: 300 });
    try {
      const client = new TolokaClient({ baseUrl: sandbox.apiRoot, credential: 't' });
      const project = await client.projects.create(classificationProject);
      const pool = await client.pools.create(poolFor(project.id ?? ''));
      const controller = new AbortController();
      let polls = 0;
      let most = 0;
      const op = await client.tasks.createAsync(tasks(pool.id ?? '', 5));
      await client.operations.wait(op, {
        signal: controller.signal,
        firstDelayMs: 1,
        intervalMs: 5,
        onProgress: () => {
          polls++;
          most = Math.max(most, getEventListeners(controller.signal, 'abort').length);
        },
      });
      assert.ok(polls >= 10, `${polls} polls`);
      assert.ok(most <= 1, `${most} abort listeners at once`);
      assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
    } finally {
      await sandbox.stop();
    }
  });
});

describe('Errors in words', () => {
  it('never describe an error as {} or [object Object]', () => {
    for (const err of [{}, [], { code: 1 }, new (class Weird {})(), Object.create(null) as object, new Error(''), '']) {
      const text = describeError(err);
      assert.ok(text && !/^\{\}$|^\[\]$|\[object Object\]/.test(text), `${JSON.stringify(text)} for ${String(Object.prototype.toString.call(err))}`);
    }
    assert.equal(describeError({ message: 'disk full' }), 'disk full');
    assert.equal(describeError({ code: 'E1' }), '{"code":"E1"}');
  });
});

describe('An idle sandbox', () => {
  it('stops its crowd when nothing is open and nothing is pending', async () => {
    const sandbox = await startSandbox({ tolokers: { assignmentsPerSecond: 3000, thinkMs: [1, 2] } });
    try {
      assert.equal(sandbox.tolokers.running, false, 'nothing to do at start');
      const client = new TolokaClient({ baseUrl: sandbox.apiRoot, credential: 't' });
      const project = await client.projects.create(classificationProject);
      const pool = await client.pools.create(poolFor(project.id ?? ''));
      assert.equal(sandbox.tolokers.running, false, 'a closed pool gives the crowd nothing to do');
      await client.tasks.createMany(tasks(pool.id ?? '', 5), { openPool: true });
      assert.equal(sandbox.tolokers.running, true, 'an open pool starts the crowd');
      await until('the pool to complete', async () => (await client.pools.get(pool.id ?? '')).status === 'CLOSED');
      await until('the crowd to stop', () => !sandbox.tolokers.running);
    } finally {
      await sandbox.stop();
    }
  });

  it('writes its state only after a change', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tlk-idle-'));
    const dataFile = path.join(dir, 'state.jsonl');
    try {
      const first = await startSandbox({ dataFile, saveIntervalMs: 20 });
      const client = new TolokaClient({ baseUrl: first.apiRoot, credential: 't' });
      await client.projects.page();
      await first.stop();
      assert.equal(fs.existsSync(dataFile), false, 'reading changes nothing, so nothing is written');

      const second = await startSandbox({ dataFile, saveIntervalMs: 20 });
      await new TolokaClient({ baseUrl: second.apiRoot, credential: 't' }).projects.create(classificationProject);
      await until('the change to be saved', () => fs.existsSync(dataFile));
      const saved = fs.statSync(dataFile).mtimeMs;
      await new TolokaClient({ baseUrl: second.apiRoot, credential: 't' }).projects.page();
      await second.stop();
      assert.equal(fs.statSync(dataFile).mtimeMs, saved, 'no change since the last save: not written again on stop');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs as a process of its own that reports ready, and saves and exits when its parent goes', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tlk-child-'));
    const dataFile = path.join(dir, 'state.jsonl');
    const child = fork(path.join(repoRoot, 'dist', 'sandbox.js'), [], { env: { ...process.env, TOLOKA_SANDBOX_OPTIONS: JSON.stringify({ dataFile, saveDelayMs: 60_000 }) }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    try {
      const ready = await new Promise<Extract<FromSandbox, { type: 'ready' }>>((resolve, reject) => {
        child.on('message', (m: unknown) => {
          const parsed = FromSandbox.safeParse(m);
          if (parsed.success && parsed.data.type === 'ready') resolve(parsed.data);
          if (parsed.success && parsed.data.type === 'failed') reject(new Error(parsed.data.message));
        });
        child.once('exit', (code) => reject(new Error(`exited with ${String(code)} before ready`)));
      });
      assert.equal(ready.pid, child.pid);
      await new TolokaClient({ baseUrl: ready.apiRoot, credential: 't' }).projects.create(classificationProject);
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.disconnect(); // as when the extension host goes away
      assert.equal(await exited, 0);
      assert.match(fs.readFileSync(dataFile, 'utf8'), /Is it a cat\?/, 'the change was saved before it exited');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
