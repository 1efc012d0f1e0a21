/** Webhook subscriptions in the client and the sandbox, and the sandbox's delivery: signed, retried, each event once. */
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { isTolokaError } from '../../src/toloka/errors';
import { WebhookEvent } from '../../src/toloka/models';
import { signWebhook, verifyWebhook } from '../../src/toloka/webhookSignature';
import { classificationProject, harness, poolFor, tasks, until, type Harness } from './fixtures';

interface Receiver {
  readonly url: string;
  readonly events: WebhookEvent[];
  /** Requests whose signature did not check. */
  badSignatures: number;
  requests: number;
  /** Answer 500 to this many requests first. */
  failFirst: number;
  close(): Promise<void>;
}

async function receiver(secret: string | undefined): Promise<Receiver> {
  const r = { events: [] as WebhookEvent[], badSignatures: 0, requests: 0, failFirst: 0 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      r.requests++;
      const body = Buffer.concat(chunks).toString('utf8');
      if (secret !== undefined && !verifyWebhook(secret, body, req.headers['toloka-signature'] as string | undefined)) r.badSignatures++;
      if (r.failFirst > 0) {
        r.failFirst--;
        res.writeHead(500).end();
        return;
      }
      for (const e of (JSON.parse(body) as { events: unknown[] }).events) r.events.push(WebhookEvent.parse(e));
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return Object.assign(r, { url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) });
}

describe('Toloka-Signature', () => {
  it("matches the documentation's recipe: HMAC-SHA256 of '<ts>.<v>.<body>' in hex", () => {
    const header = signWebhook('12345', '{"events":[]}', 946728000000);
    assert.match(header, /^\{v=1, ts=946728000000, sign=[0-9a-f]{64}\}$/);
    assert.ok(verifyWebhook('12345', '{"events":[]}', header));
    assert.equal(verifyWebhook('12345', '{"events":[1]}', header), false);
    assert.equal(verifyWebhook('other', '{"events":[]}', header), false);
  });
});

describe('webhook subscriptions', () => {
  let h: Harness;
  let projectId = '';
  before(async () => {
    h = await harness({ quotas: false, tolokers: { assignmentsPerSecond: 500, thinkMs: [1, 3], count: 10 } });
    projectId = (await h.client.projects.create(classificationProject)).id ?? '';
  });
  after(() => h.stop());

  it('creates in bulk with errors by index, lists by pool and event type, gets, tests and deletes', async () => {
    const pool = await h.client.pools.create(poolFor(projectId));
    const rx = await receiver(undefined);
    try {
      const r = await h.client.webhooks.upsert([
        { webhook_url: rx.url, event_type: 'POOL_CLOSED', pool_id: pool.id ?? '' },
        { webhook_url: rx.url, event_type: 'ASSIGNMENT_SUBMITTED', pool_id: pool.id ?? '', secret_key: 's' },
        { webhook_url: rx.url, event_type: 'POOL_CLOSED', pool_id: '999999999' },
      ]);
      assert.deepEqual(Object.keys(r.items), ['0', '1']);
      assert.equal((r.validation_errors?.['2']?.['pool_id'] as { code?: string } | undefined)?.code, 'ENTITY_DOES_NOT_EXIST');
      assert.equal('secret_key' in (r.items['1'] ?? {}), false, 'the secret is never returned');
      const again = await h.client.webhooks.upsert([{ webhook_url: rx.url, event_type: 'POOL_CLOSED', pool_id: pool.id ?? '' }]);
      assert.equal(again.items['0']?.id, r.items['0']?.id, 'an upsert');
      const listed = [];
      for await (const s of h.client.webhooks.all({ pool_id: pool.id ?? '', event_type: 'POOL_CLOSED' })) listed.push(s.id);
      assert.deepEqual(listed, [r.items['0']?.id]);
      const id = r.items['1']?.id ?? '';
      assert.equal((await h.client.webhooks.get(id)).event_type, 'ASSIGNMENT_SUBMITTED');
      const t = await h.client.webhooks.test(id);
      assert.equal(t.success, true);
      assert.equal(rx.events.at(-1)?.type, 'TEST_EVENT');
      await h.client.webhooks.remove(id);
      await assert.rejects(h.client.webhooks.get(id), (e) => isTolokaError(e, 'not-found'));
    } finally {
      await rx.close();
    }
  });

  it("delivers each event of a pool's run once, signed, through a subscriber that fails at first", async () => {
    const pool = await h.client.pools.create(poolFor(projectId, { mixer_config: { real_tasks_count: 1, golden_tasks_count: 0, training_tasks_count: 0 } }));
    const poolId = pool.id ?? '';
    const secret = 'the secret';
    const rx = await receiver(secret);
    rx.failFirst = 3;
    try {
      const types = ['ASSIGNMENT_CREATED', 'ASSIGNMENT_SUBMITTED', 'POOL_CLOSED'] as const;
      const r = await h.client.webhooks.upsert(types.map((event_type) => ({ webhook_url: rx.url, event_type, pool_id: poolId, secret_key: secret })));
      assert.equal(Object.keys(r.items).length, 3);
      await h.client.tasks.createMany(tasks(poolId, 4), { openPool: true });
      await until('the pool to close', async () => (await h.client.pools.get(poolId)).status === 'CLOSED', 30_000);
      const assignments = h.sandbox.state.pools.get(poolId)?.data.assignments ?? [];
      assert.equal(assignments.length, 12);
      await until('every event delivered', () => rx.events.filter((e) => e.type !== 'TEST_EVENT').length >= 12 + 12 + 1, 30_000);
      const of = (type: string) => rx.events.filter((e) => e.type === type);
      assert.equal(new Set(rx.events.map((e) => e.uuid)).size, rx.events.length, 'no event twice');
      assert.deepEqual(of('ASSIGNMENT_CREATED').map((e) => e.assignment_id).sort(), assignments.map((a) => a.id).sort());
      assert.deepEqual(of('ASSIGNMENT_SUBMITTED').map((e) => e.assignment_id).sort(), assignments.map((a) => a.id).sort());
      assert.equal(of('POOL_CLOSED').length, 1);
      assert.equal(of('POOL_CLOSED')[0]?.close_reason, 'COMPLETED');
      assert.ok(rx.events.every((e) => e.pool_id === poolId && e.project_id === projectId));
      assert.equal(rx.badSignatures, 0, 'every request signed with the secret');
      assert.ok(rx.requests > 3, 'the failed deliveries were retried');
    } finally {
      await rx.close();
    }
  });

  it('refuses a subscriber URL off the machine and an unknown event type by field', async () => {
    const pool = await h.client.pools.create(poolFor(projectId));
    const r = await h.client.webhooks.upsert([
      { webhook_url: 'https://example.com/hook', event_type: 'POOL_CLOSED', pool_id: pool.id ?? '' },
    ]);
    assert.equal((r.validation_errors?.['0']?.['webhook_url'] as { code?: string } | undefined)?.code, 'INVALID_URL_SYNTAX');
    const raw = await fetch(`${h.sandbox.apiRoot}/v1/webhook-subscriptions`, { method: 'PUT', headers: { Authorization: 'OAuth x', 'Content-Type': 'application/json' }, body: JSON.stringify({ webhook_url: 'http://127.0.0.1:1/x', event_type: 'POOL_OPENED', pool_id: pool.id }) });
    assert.equal(raw.status, 400);
    assert.equal(((await raw.json()) as { payload: Record<string, { code: string }> }).payload['event_type']?.code, 'UNKNOWN_ENUM_VALUE');
  });
});
