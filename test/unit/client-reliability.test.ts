/** How the client behaves when the network or the server misbehaves. */
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { TolokaClient } from '../../src/toloka/client';
import { isTolokaError, TolokaError } from '../../src/toloka/errors';
import { guessAuthScheme } from '../../src/toloka/http';
import type { Logger } from '../../src/toloka/logger';
import { collect } from '../../src/toloka/paging';
import { classificationProject, harness, type Harness } from './fixtures';

type Script = (req: http.IncomingMessage, res: http.ServerResponse, n: number) => void;

/** A server that answers each request by a script, counting requests per path. */
async function scripted(script: Script): Promise<{ url: string; count: () => number; close: () => Promise<void> }> {
  let n = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => script(req, res, ++n));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`,
    count: () => n,
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}

function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function recorder(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (m: string): void => {
    lines.push(m);
  };
  return { lines, trace: push, debug: push, info: push, warn: push, error: push };
}

const requester = { id: 'r1', balance: 10, public_name: { EN: 'me' } };

async function expectError(promise: Promise<unknown>, check: (e: TolokaError) => void): Promise<void> {
  try {
    await promise;
  } catch (err) {
    assert.ok(isTolokaError(err), `a TolokaError, not ${String(err)}`);
    check(err);
    return;
  }
  assert.fail('expected the call to fail');
}

describe('Client: authentication', () => {
  it('picks ApiKey for keys shaped like Toloka API keys and OAuth otherwise', () => {
    assert.equal(guessAuthScheme(`${'a'.repeat(23)}.${'b'.repeat(10)}.${'c'.repeat(20)}`), 'ApiKey');
    assert.equal(guessAuthScheme('AQAAAAAxyzOAuthTokenWithoutDots'), 'OAuth');
    assert.equal(guessAuthScheme(`${'a'.repeat(10)}.${'b'.repeat(10)}.c`), 'OAuth');
  });

  it('sends the chosen scheme and the sandbox accepts both; a bad token is refused as unauthorized', async () => {
    const h = await harness({ tokens: ['good-token'] });
    try {
      for (const authScheme of ['OAuth', 'ApiKey'] as const) {
        const c = new TolokaClient({ baseUrl: h.sandbox.apiRoot, credential: 'good-token', authScheme });
        assert.equal((await c.requester.get()).id, h.sandbox.state.requester.id);
      }
      const bad = new TolokaClient({ baseUrl: h.sandbox.apiRoot, credential: 'wrong', maxAttempts: 1 });
      await expectError(bad.requester.get(), (e) => {
        assert.equal(e.kind, 'unauthorized');
        assert.equal(e.status, 401);
        assert.equal(e.code, 'AUTHENTICATION_ERROR');
        assert.ok(e.requestId, 'the server request id is kept');
        assert.match(e.message, /401 AUTHENTICATION_ERROR: .* \(GET \/v1\/requester, request \w+\)/);
      });
    } finally {
      await h.stop();
    }
  });
});

describe('Client: retries', () => {
  it('retries 503s with backoff, logging each retry with the request id, then succeeds', async () => {
    const s = await scripted((_req, res, n) => (n < 3 ? json(res, 503, { request_id: `req-${n}`, code: 'REMOTE_SERVICE_UNAVAILABLE', message: 'busy' }) : json(res, 200, requester)));
    const log = recorder();
    try {
      const c = new TolokaClient({ baseUrl: s.url, credential: 't', baseDelayMs: 5, logger: log });
      assert.equal((await c.requester.get()).id, 'r1');
      assert.equal(s.count(), 3);
      const retries = log.lines.filter((l) => l.includes('retry'));
      assert.equal(retries.length, 2);
      assert.match(retries[0] ?? '', /503 \(request req-1\); retry 1\/4/);
    } finally {
      await s.close();
    }
  });

  it('honours Retry-After on a 429 that names no quota', async () => {
    const s = await scripted((_req, res, n) => (n === 1 ? json(res, 429, { code: 'TOO_MANY_REQUESTS', message: 'slow down' }, { 'Retry-After': '1' }) : json(res, 200, requester)));
    try {
      const c = new TolokaClient({ baseUrl: s.url, credential: 't', baseDelayMs: 1 });
      const started = Date.now();
      await c.requester.get();
      assert.ok(Date.now() - started >= 950, 'waited the second Retry-After asked for');
      assert.equal(s.count(), 2);
    } finally {
      await s.close();
    }
  });

  it("waits a per-minute quota's whole window, however short the Retry-After", async () => {
    const s = await scripted((_req, res, n) => (n === 1 ? json(res, 429, { code: 'TOO_MANY_REQUESTS', message: 'quota', payload: { interval: 'MIN' } }, { 'Retry-After': '0' }) : json(res, 200, requester)));
    try {
      const c = new TolokaClient({ baseUrl: s.url, credential: 't', baseDelayMs: 1, quotaWindowsMs: { MIN: 400 } });
      const started = Date.now();
      await c.requester.get();
      assert.ok(Date.now() - started >= 390, `waited ${Date.now() - started} ms, not the window`);
      assert.equal(s.count(), 2);
    } finally {
      await s.close();
    }
  });

  it('in patient mode waits out any quota and any number of 429s, saying how long, until cancelled', async () => {
    let calls = 0;
    const s = await scripted((_req, res, n) => {
      calls = n;
      if (n <= 3) json(res, 429, { code: 'TOO_MANY_REQUESTS', message: 'quota', payload: { interval: n === 2 ? 'DAY' : 'HOUR' } });
      else if (n <= 9) json(res, 429, { code: 'TOO_MANY_REQUESTS', message: 'slow down' });
      else json(res, 200, requester);
    });
    try {
      const c = new TolokaClient({ baseUrl: s.url, credential: 't', baseDelayMs: 1, maxAttempts: 2, quotaWindowsMs: { HOUR: 20, DAY: 30 } });
      const waits: Array<[number, string | undefined]> = [];
      const me = await c.core.request({ method: 'GET', path: '/v1/requester', schema: z.object({ id: z.string() }).loose(), rateLimits: { mode: 'patient', onWait: (ms, interval) => waits.push([ms, interval]) } });
      assert.equal(me.id, 'r1');
      assert.equal(calls, 10, 'nine 429s, more than maxAttempts, and no give-up');
      assert.deepEqual(waits.slice(0, 3).map((w) => w[1]), ['HOUR', 'DAY', 'HOUR']);
      assert.deepEqual(waits.slice(0, 3).map((w) => w[0]), [20, 30, 20]);
      // Cancelled while waiting on a daily quota: it stops at once.
      const controller = new AbortController();
      const s2 = await scripted((_req, res) => json(res, 429, { code: 'TOO_MANY_REQUESTS', message: 'quota', payload: { interval: 'DAY' } }));
      try {
        const c2 = new TolokaClient({ baseUrl: s2.url, credential: 't' });
        const pending = c2.core.request({ method: 'GET', path: '/v1/requester', schema: z.unknown(), signal: controller.signal, rateLimits: { mode: 'patient', onWait: () => controller.abort() } });
        await expectError(pending, (e) => assert.equal(e.kind, 'cancelled'));
      } finally {
        await s2.close();
      }
    } finally {
      await s.close();
    }
  });

  it('does not retry when the daily quota is exhausted, and says so', async () => {
    const s = await scripted((_req, res) => json(res, 429, { code: 'TOO_MANY_REQUESTS', message: 'Daily quota', payload: { interval: 'DAY' } }));
    try {
      const c = new TolokaClient({ baseUrl: s.url, credential: 't', baseDelayMs: 1 });
      await expectError(c.requester.get(), (e) => assert.equal(e.kind, 'rate-limited'));
      assert.equal(s.count(), 1);
    } finally {
      await s.close();
    }
  });

  it('retries a dropped connection on a GET', async () => {
    const s = await scripted((req, res, n) => (n === 1 ? req.socket.destroy() : json(res, 200, requester)));
    try {
      const c = new TolokaClient({ baseUrl: s.url, credential: 't', baseDelayMs: 1 });
      assert.equal((await c.requester.get()).id, 'r1');
      assert.equal(s.count(), 2);
    } finally {
      await s.close();
    }
  });

  it('never resends a POST that is not idempotent (creating a project), even on 500 or a reset', async () => {
    for (const fail of ['500', 'reset'] as const) {
      const s = await scripted((req, res) => (fail === 'reset' ? req.socket.destroy() : json(res, 500, { code: 'INTERNAL_ERROR', message: 'boom' })));
      try {
        const c = new TolokaClient({ baseUrl: s.url, credential: 't', baseDelayMs: 1 });
        await expectError(c.projects.create(classificationProject), (e) => assert.equal(e.kind, fail === 'reset' ? 'network' : 'server'));
        assert.equal(s.count(), 1, `one attempt only after a ${fail}`);
      } finally {
        await s.close();
      }
    }
  });

  it('resends an async task upload, which carries an operation_id, with the same id', async () => {
    const ids: string[] = [];
    const s = await scripted((req, res, n) => {
      ids.push(new URL(req.url ?? '', 'http://x').searchParams.get('operation_id') ?? '');
      if (n === 1) json(res, 500, { code: 'INTERNAL_ERROR', message: 'boom' });
      else json(res, 201, { id: ids[0], type: 'TASK.BATCH_CREATE', status: 'PENDING' });
    });
    try {
      const c = new TolokaClient({ baseUrl: s.url, credential: 't', baseDelayMs: 1 });
      const op = await c.tasks.createAsync([{ pool_id: '1', input_values: {} }]);
      assert.equal(s.count(), 2);
      assert.equal(ids[0], ids[1]);
      assert.equal(op.id, ids[0]);
    } finally {
      await s.close();
    }
  });

  it('gives up after the configured number of attempts with the last error', async () => {
    const s = await scripted((_req, res) => json(res, 502, { code: 'REMOTE_SERVICE_UNAVAILABLE', message: 'down' }));
    try {
      const c = new TolokaClient({ baseUrl: s.url, credential: 't', baseDelayMs: 1, maxAttempts: 3 });
      await expectError(c.requester.get(), (e) => {
        assert.equal(e.kind, 'server');
        assert.equal(e.status, 502);
        assert.equal(e.transient, true);
      });
      assert.equal(s.count(), 3);
    } finally {
      await s.close();
    }
  });

  it('survives the sandbox failing a third of all requests with 500s and resets while paging', async () => {
    const h: Harness = await harness({ quotas: false }, { maxAttempts: 12 });
    try {
      const project = await h.client.projects.create(classificationProject);
      h.sandbox.faults = { ...h.sandbox.faults, errorRate: 0.2, resetRate: 0.15 };
      const pools = await collect(h.client.pools.all({ project_id: project.id ?? '' }, { limit: 2 }));
      assert.equal(pools.length, 0);
      const projects = await collect(h.client.projects.all({}, { limit: 1 }));
      assert.equal(projects.length, 1);
    } finally {
      await h.stop();
    }
  });
});

describe('Client: cancellation and malformed responses', () => {
  it('aborts a request in flight when the signal fires', async () => {
    const s = await scripted(() => undefined); // never answers
    try {
      const c = new TolokaClient({ baseUrl: s.url, credential: 't' });
      const controller = new AbortController();
      const started = Date.now();
      setTimeout(() => controller.abort(), 50);
      await expectError(c.requester.get({ signal: controller.signal }), (e) => assert.equal(e.kind, 'cancelled'));
      assert.ok(Date.now() - started < 2000);
    } finally {
      await s.close();
    }
  });

  it('aborts while waiting to retry', async () => {
    const s = await scripted((_req, res) => json(res, 503, { code: 'REMOTE_SERVICE_UNAVAILABLE', message: 'busy' }, { 'Retry-After': '30' }));
    try {
      const c = new TolokaClient({ baseUrl: s.url, credential: 't', maxDelayMs: 60_000 });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      const started = Date.now();
      await expectError(c.requester.get({ signal: controller.signal }), (e) => assert.equal(e.kind, 'cancelled'));
      assert.ok(Date.now() - started < 5000);
    } finally {
      await s.close();
    }
  });

  it('names the path and field of a response that does not fit the model', async () => {
    const s = await scripted((_req, res) => json(res, 200, { items: [{ id: '1', project_id: '2', private_name: 'p', will_expire: 'soon', reward_per_assignment: 1, assignment_max_duration_seconds: 60, defaults: { default_overlap_for_new_task_suites: 1 }, status: 'WEIRD' }], has_more: false }));
    try {
      const c = new TolokaClient({ baseUrl: s.url, credential: 't' });
      await expectError(c.pools.page(), (e) => {
        assert.equal(e.kind, 'bad-response');
        assert.match(e.message, /items\.0\.will_expire/);
        assert.match(e.message, /items\.0\.status/);
        assert.match(e.message, /GET \/v1\/pools/);
      });
    } finally {
      await s.close();
    }
  });

  it('keeps unknown extra fields of a response', async () => {
    const s = await scripted((_req, res) => json(res, 200, { ...requester, brand_new_field: 42 }));
    try {
      const c = new TolokaClient({ baseUrl: s.url, credential: 't' });
      const r = await c.requester.get();
      assert.equal((r as Record<string, unknown>)['brand_new_field'], 42);
    } finally {
      await s.close();
    }
  });
});

describe('Client: network errors', () => {
  it('reports an unreachable server as a network error after retries', async () => {
    const s = await scripted(() => undefined);
    const url = s.url;
    await s.close();
    const c = new TolokaClient({ baseUrl: url, credential: 't', baseDelayMs: 1, maxAttempts: 2 });
    await expectError(c.requester.get(), (e) => {
      assert.equal(e.kind, 'network');
      assert.match(e.message, /no response from Toloka/);
    });
  });
});
