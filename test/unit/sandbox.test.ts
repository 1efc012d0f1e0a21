/** Sandbox behaviour beyond single endpoints: persistence, quotas, simulated Tolokers. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { startSandbox } from '../../src/sandbox/server';
import { TolokaClient } from '../../src/toloka/client';
import { isTolokaError } from '../../src/toloka/errors';
import { formatDateTime } from '../../src/toloka/models/common';
import { collect } from '../../src/toloka/paging';
import { classificationProject, harness, poolFor, tasks, until } from './fixtures';

describe('Sandbox', () => {
  it('answers only to loopback host names, so a page rebinding its own name to 127.0.0.1 gets nothing', async () => {
    const h = await harness();
    try {
      const port = new URL(h.sandbox.origin).port;
      const ask = (host: string) =>
        new Promise<{ status: number; body: string }>((resolve, reject) => {
          const req = http.request({ host: '127.0.0.1', port, path: '/api/v1/requester', headers: { Host: host, Authorization: 'OAuth t' } }, (res) => {
            let body = '';
            res.on('data', (d: Buffer) => (body += d.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          });
          req.on('error', reject);
          req.end();
        });
      for (const ok of [`127.0.0.1:${port}`, `localhost:${port}`, 'localhost', `[::1]:${port}`]) assert.equal((await ask(ok)).status, 200, ok);
      for (const bad of [`evil.example:${port}`, 'evil.example', `127.0.0.1.nip.io:${port}`]) {
        const r = await ask(bad);
        assert.equal(r.status, 403, bad);
        assert.match(r.body, /"code":"ACCESS_DENIED".*answers only to loopback names/, bad);
      }
    } finally {
      await h.stop();
    }
  });


  it('persists its state to a file written atomically and picks it up after a restart', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tlk-persist-'));
    const dataFile = path.join(dir, 'state.jsonl');
    try {
      const first = await startSandbox({ dataFile, tolokers: { assignmentsPerSecond: 3000, thinkMs: [1, 2] } });
      const c1 = new TolokaClient({ baseUrl: first.apiRoot, credential: 't' });
      const project = await c1.projects.create(classificationProject);
      const pool = await c1.pools.create(poolFor(project.id ?? ''));
      await c1.tasks.createMany(tasks(pool.id ?? '', 10), { openPool: true });
      await until('the pool to complete', async () => (await c1.pools.get(pool.id ?? '')).status === 'CLOSED');
      const before = await collect(c1.assignments.all({ pool_id: pool.id ?? '' }));
      await first.stop();
      assert.ok(fs.existsSync(dataFile));
      assert.deepEqual(fs.readdirSync(dir), ['state.jsonl'], 'no temporary file is left behind');

      const second = await startSandbox({ dataFile });
      try {
        const c2 = new TolokaClient({ baseUrl: second.apiRoot, credential: 't' });
        assert.equal((await c2.projects.get(project.id ?? '')).public_name, classificationProject.public_name);
        assert.equal((await c2.pools.get(pool.id ?? '')).last_close_reason, 'COMPLETED');
        assert.equal((await collect(c2.tasks.all({ pool_id: pool.id ?? '' }))).length, 10);
        const after = await collect(c2.assignments.all({ pool_id: pool.id ?? '' }));
        assert.deepEqual(after.map((a) => a.id), before.map((a) => a.id));
        // New ids continue after the old ones.
        const next = await c2.pools.create(poolFor(project.id ?? ''));
        assert.ok(Number(next.id) > Number(pool.id));
      } finally {
        await second.stop();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps an app batch stopped across a restart, answers a wrong-status action with the statuses it needs, and shows no field of its own', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tlk-batch-'));
    const dataFile = path.join(dir, 'state.jsonl');
    try {
      const first = await startSandbox({ dataFile, tolokers: { appItemMs: 3_600_000 } });
      let pid = '';
      let batchId = '';
      try {
        const c1 = new TolokaClient({ baseUrl: first.apiRoot, credential: 't' });
        pid = (await c1.apps.createProject({ app_id: 'text-classification', name: 'Restart', parameters: { categories: ['a', 'b'] } })).id ?? '';
        const batch = await c1.apps.createBatch(pid, { name: 'Stopped', items: [{ text: 'one' }, { text: 'two' }] });
        await c1.apps.startBatch(pid, batch.id);
        await until('the items to be taken', async () => ((await c1.apps.batch(pid, batch.id)).items_per_state?.['PROCESSING'] === 2 ? true : undefined));
        await c1.apps.stopBatch(pid, batch.id);
        const raw = await fetch(`${first.apiRoot}/app/v0/app-projects/${pid}/batches/${batch.id}/archive`, { method: 'POST', headers: { Authorization: 'OAuth t' } });
        assert.equal(raw.status, 200, 'a stopped batch archives');
        const again = await fetch(`${first.apiRoot}/app/v0/app-projects/${pid}/batches/${batch.id}/resume`, { method: 'POST', headers: { Authorization: 'OAuth t' } });
        assert.equal(again.status, 409);
        const { request_id: _id, ...body } = (await again.json()) as Record<string, unknown>;
        assert.deepEqual(body, { code: 'INAPPROPRIATE_STATUS', message: `Batch ${batch.id} is ARCHIVE: it can be resumed only when STOPPING or STOPPED`, payload: { appropriate_statuses: ['STOPPING', 'STOPPED'] } });
        await c1.apps.unarchiveBatch(pid, batch.id);
        batchId = batch.id;
      } finally {
        await first.stop();
      }

      const second = await startSandbox({ dataFile, tolokers: { appItemMs: 0 } });
      try {
        const c2 = new TolokaClient({ baseUrl: second.apiRoot, credential: 't' });
        for (let k = 0; k < 3; k++) second.tolokers.tick();
        const view = await c2.apps.batch(pid, batchId);
        assert.equal(view.status, 'STOPPED', 'still stopped after the restart');
        assert.deepEqual(view.items_per_state, { STOPPED: 2 }, 'and its items not labeled');
        assert.ok(!('stopped' in view) && !('archived' in view), 'the sandbox\'s own fields stay inside');
        await c2.apps.resumeBatch(pid, batchId);
        await until('the resumed batch to complete', async () => ((await c2.apps.batch(pid, batchId)).status === 'COMPLETED' ? true : undefined));
      } finally {
        await second.stop();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('enforces the task creation quota per minute with a 429 naming the interval', async () => {
    const h = await harness({}, { maxAttempts: 1 });
    try {
      const project = await h.client.projects.create(classificationProject);
      const pool = await h.client.pools.create(poolFor(project.id ?? ''));
      const big = tasks(pool.id ?? '', 5000);
      for (let i = 0; i < 40; i++) await h.client.tasks.createAsync(big);
      try {
        await h.client.tasks.createAsync(big);
        assert.fail('the 200,001st task of the minute was accepted');
      } catch (err) {
        assert.ok(isTolokaError(err, 'rate-limited'), String(err));
        assert.deepEqual(err.payload, { interval: 'MIN' });
      }
      h.sandbox.quotas = false;
      await h.client.tasks.createAsync(big);
    } finally {
      await h.stop();
    }
  });

  it('answers 429 with Retry-After when requests come faster than the configured rate', async () => {
    // One request a second: even if the burst straddles a second boundary, at most two get through.
    const h = await harness({ faults: { requestsPerSecond: 1, retryAfterSeconds: 1 } }, { maxAttempts: 1 });
    try {
      const results = await Promise.allSettled(Array.from({ length: 12 }, () => h.client.requester.get()));
      const limited = results.filter((r) => r.status === 'rejected' && isTolokaError(r.reason, 'rate-limited'));
      assert.ok(limited.length >= 10, `${limited.length} of 12 were rate-limited`);
      // With retries the client waits as told and gets through.
      const patient = new TolokaClient({ baseUrl: h.sandbox.apiRoot, credential: 't', maxAttempts: 5 });
      assert.ok((await patient.requester.get()).id);
    } finally {
      await h.stop();
    }
  });

  it('simulated Tolokers respect reserved_for and each has its own accuracy on control tasks', async () => {
    const h = await harness({ seed: 7, tolokers: { count: 6, accuracy: [0.5, 1], assignmentsPerSecond: 3000, thinkMs: [1, 2] } });
    try {
      const project = await h.client.projects.create(classificationProject);
      const pool = await h.client.pools.create(poolFor(project.id ?? '', { mixer_config: { real_tasks_count: 1, golden_tasks_count: 1, training_tasks_count: 0 } }));
      const poolId = pool.id ?? '';
      const chosen = h.sandbox.tolokers.workers[2]?.id ?? '';
      await h.client.tasks.createMany([
        ...tasks(poolId, 30),
        { pool_id: poolId, input_values: { image: 'https://example.com/only-for-one.jpg' }, overlap: 1, reserved_for: [chosen] },
        ...Array.from({ length: 5 }, (_, i) => ({ pool_id: poolId, input_values: { image: `https://example.com/control-${i}.jpg` }, known_solutions: [{ output_values: { result: 'cat' } }] })),
      ], { openPool: true });
      await until('the pool to complete', async () => (await h.client.pools.get(poolId)).status === 'CLOSED');
      const assignments = await collect(h.client.assignments.all({ pool_id: poolId }));
      const reserved = assignments.filter((a) => a.tasks.some((t) => t.input_values['image'] === 'https://example.com/only-for-one.jpg'));
      assert.equal(reserved.length, 1);
      assert.equal(reserved[0]?.user_id, chosen);
      assert.ok(assignments.every((a) => a.tasks.length === 2 && a.tasks.some((t) => (t.known_solutions?.length ?? 0) > 0)), 'every suite mixes one control task');
      const rates = new Map<string, { right: number; total: number }>();
      for (const a of assignments) {
        a.tasks.forEach((t, i) => {
          if (!t.known_solutions?.length) return;
          const r = rates.get(a.user_id) ?? { right: 0, total: 0 };
          r.total++;
          if (a.solutions?.[i]?.output_values['result'] === 'cat') r.right++;
          rates.set(a.user_id, r);
        });
      }
      const values = [...rates.values()].filter((r) => r.total >= 3).map((r) => r.right / r.total);
      assert.ok(Math.max(...values) - Math.min(...values) > 0.1, `Tolokers differ in accuracy: ${values.map((v) => v.toFixed(2)).join(', ')}`);
    } finally {
      await h.stop();
    }
  });

  it('simulated Tolokers banned from a pool or its project take none of its tasks; an expired ban keeps no one out', async () => {
    const h = await harness({ seed: 11, tolokers: { count: 5, assignmentsPerSecond: 3000, thinkMs: [1, 2] } });
    try {
      const project = await h.client.projects.create(classificationProject);
      const pool = await h.client.pools.create(poolFor(project.id ?? ''));
      const poolId = pool.id ?? '';
      const [first, second, third] = h.sandbox.tolokers.workers.map((w) => w.id);
      const hourAgo = formatDateTime(new Date(Date.now() - 3_600_000));
      await h.client.userRestrictions.put({ scope: 'POOL', pool_id: poolId, user_id: first ?? '', private_comment: 'spam' });
      await h.client.userRestrictions.put({ scope: 'PROJECT', project_id: project.id ?? '', user_id: second ?? '', private_comment: 'slow' });
      await h.client.userRestrictions.put({ scope: 'ALL_PROJECTS', user_id: third ?? '', private_comment: 'served its time', will_expire: hourAgo });
      await h.client.tasks.createMany(tasks(poolId, 40), { openPool: true });
      await until('the pool to complete', async () => (await h.client.pools.get(poolId)).status === 'CLOSED');
      const workers = new Set((await collect(h.client.assignments.all({ pool_id: poolId }))).map((a) => a.user_id));
      assert.ok(!workers.has(first ?? '') && !workers.has(second ?? ''), 'no assignment from a banned Toloker');
      assert.ok(workers.has(third ?? ''), 'the expired ban let its Toloker back in');
    } finally {
      await h.stop();
    }
  });
});
