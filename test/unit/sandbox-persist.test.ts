/**
 * The sandbox's data file keeps, over plain HTTP and across a restart: bonuses and the balance
 * they lowered, webhook subscriptions (and what each was sent, so nothing is sent twice),
 * message threads with their folders and replies, Tolokers' skills, and the figures the live
 * quality control collected per Toloker.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/server';
import { verifyWebhook } from '../../src/toloka/webhookSignature';
import { classificationProject, poolFor, send, until } from './fixtures';

interface Listed<T> { items: T[]; has_more: boolean }

/** A webhook receiver on 127.0.0.1 that records every event and whether its signature checked. */
async function receiver(secret: string): Promise<{ url: string; events: Array<Record<string, unknown>>; badSignatures: number; close(): Promise<void> }> {
  const r = { events: [] as Array<Record<string, unknown>>, badSignatures: 0 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (!verifyWebhook(secret, body, req.headers['toloka-signature'] as string | undefined)) r.badSignatures++;
      r.events.push(...(JSON.parse(body) as { events: Array<Record<string, unknown>> }).events);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(r, { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) });
}

async function get<T>(s: Sandbox, url: string): Promise<T> {
  const r = await send(s.origin, 'GET', url);
  assert.equal(r.status, 200, `${url}: ${JSON.stringify(r.body)}`);
  return r.body as T;
}

async function post(s: Sandbox, method: string, url: string, body?: unknown): Promise<Record<string, unknown>> {
  const r = await send(s.origin, method, url, body);
  assert.ok(r.status >= 200 && r.status < 300, `${method} ${url}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body as Record<string, unknown>;
}

const poolStatus = async (s: Sandbox, id: string): Promise<string> => (await get<{ status: string }>(s, `/api/v1/pools/${id}`)).status;

describe('Sandbox data file: Tolokers, money and events', () => {
  it('keeps bonuses, the balance, webhooks, message threads, user skills and quality-control figures across a restart, and sends no event twice', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tlk-persist-tolokers-'));
    const dataFile = path.join(dir, 'state.jsonl');
    // One Toloker, so who answers what is certain.
    const options: SandboxOptions = { dataFile, quotas: false, tolokers: { count: 1, assignmentsPerSecond: 2000, thinkMs: [1, 3] } };
    const rx = await receiver('hook secret');
    let first: Sandbox | undefined = await startSandbox(options);
    let second: Sandbox | undefined;
    try {
      const skill = await post(first, 'POST', '/api/v1/skills', { name: 'Answers given', hidden: true });
      const counted = await post(first, 'POST', '/api/v1/skills', { name: 'Third answer', hidden: true });
      const project = await post(first, 'POST', '/api/v1/projects', classificationProject);
      // ANSWER_COUNT: the Toloker's third submit in the pool sets a skill, so the count must survive the restart.
      const pool = await post(first, 'POST', '/api/v1/pools', poolFor(String(project['id']), {
        defaults: { default_overlap_for_new_task_suites: 1, default_overlap_for_new_tasks: 1 },
        mixer_config: { real_tasks_count: 1, golden_tasks_count: 0, training_tasks_count: 0 },
        quality_control: { configs: [{ collector_config: { type: 'ANSWER_COUNT', parameters: {} }, rules: [{ conditions: [{ key: 'assignments_accepted_count', operator: 'EQ', value: 3 }], action: { type: 'SET_SKILL', parameters: { skill_id: String(counted['id']), skill_value: 77 } } }] }] },
      }));
      const poolId = String(pool['id']);
      const addTask = async (s: Sandbox, i: number): Promise<void> => {
        await post(s, 'POST', '/api/v1/tasks?open_pool=true', [{ pool_id: poolId, input_values: { image: `https://example.com/${i}.jpg` }, overlap: 1 }]);
        await until(`task ${i} to be done`, async () => (await poolStatus(s, poolId)) === 'CLOSED' && (await get<Listed<unknown>>(s, `/api/v1/assignments?pool_id=${poolId}&limit=100`)).items.length === i + 1);
      };

      // Before the restart: a signed subscription, two answers (each an event), a bonus, a thread, a skill.
      const hook = await post(first, 'PUT', '/api/v1/webhook-subscriptions', { webhook_url: rx.url, event_type: 'ASSIGNMENT_SUBMITTED', pool_id: poolId, secret_key: 'hook secret' });
      await addTask(first, 0);
      await addTask(first, 1);
      await until('both submits to be delivered', () => rx.events.length === 2);
      const worker = (await get<Listed<{ user_id: string }>>(first, `/api/v1/assignments?pool_id=${poolId}`)).items[0]?.user_id ?? '';
      const bonus = await post(first, 'POST', '/api/v1/user-bonuses', { user_id: worker, amount: 2.5, public_title: { EN: 'Thanks' }, public_message: { EN: 'Well done' }, private_comment: 'kept' });
      const balance = (await get<{ balance: number }>(first, '/api/v1/requester')).balance;
      assert.equal(balance, 997.5);
      const thread = await post(first, 'POST', '/api/v1/message-threads/compose', { topic: { EN: 'Hello' }, text: { EN: 'A question' }, answerable: true, recipients_select_type: 'DIRECT', recipients_ids: [worker] });
      await until('the Toloker to answer', async () => (await get<Listed<{ id: string }>>(first as Sandbox, '/api/v1/message-threads?folder=INBOX')).items.length === 1);
      await post(first, 'POST', `/api/v1/message-threads/${String(thread['id'])}/add-to-folders`, { folders: ['IMPORTANT'] });
      await post(first, 'POST', `/api/v1/message-threads/${String(thread['id'])}/remove-from-folders`, { folders: ['UNREAD'] });
      await post(first, 'POST', `/api/v1/message-threads/${String(thread['id'])}/reply`, { text: { EN: 'Thank you too' } });
      await post(first, 'PUT', '/api/v1/user-skills', { user_id: worker, skill_id: String(skill['id']), value: 42.5 });

      const lists = ['/api/v1/user-bonuses', '/api/v1/webhook-subscriptions', '/api/v1/message-threads', '/api/v1/user-skills'];
      const before = await Promise.all(lists.map((url) => get<Listed<unknown>>(first as Sandbox, url)));
      for (const [i, l] of before.entries()) assert.ok(l.items.length > 0, `${lists[i]} has records`);
      assert.equal((await get<Listed<unknown>>(first, `/api/v1/user-skills?skill_id=${String(counted['id'])}`)).items.length, 0, 'two answers: the rule has not fired');
      await first.stop();
      first = undefined;

      second = await startSandbox(options);
      const after = await Promise.all(lists.map((url) => get<Listed<unknown>>(second as Sandbox, url)));
      assert.deepEqual(after, before, 'the same records, field by field');
      assert.deepEqual(await get(second, `/api/v1/user-bonuses/${String(bonus['id'])}`), bonus);
      assert.deepEqual(await get(second, `/api/v1/webhook-subscriptions/${String(hook['id'])}`), hook);
      assert.equal((await get<{ balance: number }>(second, '/api/v1/requester')).balance, balance, 'the balance stays down');
      const next = await post(second, 'POST', '/api/v1/user-bonuses', { user_id: worker, amount: 0.5, without_message: true });
      assert.ok(Number(next['id']) > Number(bonus['id']), 'new bonus ids continue after the old ones');
      assert.equal((await get<{ balance: number }>(second, '/api/v1/requester')).balance, 997);

      // The third answer: the rule fires on the count kept from before the restart, and only the new submit is sent.
      await addTask(second, 2);
      const skills = await get<Listed<{ user_id: string; value: number }>>(second, `/api/v1/user-skills?skill_id=${String(counted['id'])}`);
      assert.deepEqual(skills.items.map((s) => [s.user_id, s.value]), [[worker, 77]]);
      await until('the third submit to be delivered', () => rx.events.length >= 3);
      const assignments = (await get<Listed<{ id: string }>>(second, `/api/v1/assignments?pool_id=${poolId}`)).items.map((a) => a.id);
      await second.stop();
      second = undefined;
      assert.deepEqual(rx.events.map((e) => e['assignment_id']).sort(), [...assignments].sort(), 'every submit once, none again after the restart');
      assert.equal(new Set(rx.events.map((e) => e['uuid'])).size, rx.events.length);
      assert.equal(rx.badSignatures, 0, 'the secret key was kept: every notification is signed with it');
    } finally {
      await first?.stop();
      await second?.stop();
      await rx.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('finishes a pool with dynamic overlap stopped half-way: abandoned answers go to others, and each task is notified once', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tlk-persist-overlap-'));
    const dataFile = path.join(dir, 'state.jsonl');
    const crowd = { count: 10, accuracy: [0.4, 0.9] as const, thinkMs: [40, 120] as const };
    const rx = await receiver('s');
    let first: Sandbox | undefined = await startSandbox({ dataFile, seed: 5, quotas: false, tolokers: { ...crowd, assignmentsPerSecond: 60 } });
    let second: Sandbox | undefined;
    try {
      const skill = await post(first, 'POST', '/api/v1/skills', { name: 'Accuracy', hidden: true });
      for (const w of first.tolokers.workers) await post(first, 'PUT', '/api/v1/user-skills', { user_id: w.id, skill_id: String(skill['id']), value: 90 });
      const project = await post(first, 'POST', '/api/v1/projects', classificationProject);
      const pool = await post(first, 'POST', '/api/v1/pools', poolFor(String(project['id']), {
        defaults: { default_overlap_for_new_task_suites: 2, default_overlap_for_new_tasks: 2 },
        mixer_config: { real_tasks_count: 1, golden_tasks_count: 0, training_tasks_count: 0 },
        dynamic_overlap_config: { type: 'BASIC', max_overlap: 4, min_confidence: 0.8, answer_weight_skill_id: String(skill['id']), fields: [{ name: 'result' }] },
      }));
      const poolId = String(pool['id']);
      await post(first, 'PUT', '/api/v1/webhook-subscriptions', { webhook_url: rx.url, event_type: 'DYNAMIC_OVERLAP_COMPLETED', pool_id: poolId, secret_key: 's' });
      const n = 30;
      await post(first, 'POST', '/api/v1/tasks?allow_defaults=true&open_pool=true', Array.from({ length: n }, (_, i) => ({ pool_id: poolId, input_values: { image: `https://example.com/${i}.jpg` } })));
      await until('some tasks to be complete', () => rx.events.length >= 3);
      await first.stop();
      first = undefined;

      second = await startSandbox({ dataFile, seed: 5, quotas: false, tolokers: { ...crowd, assignmentsPerSecond: 3000, thinkMs: [1, 3] } });
      await until('the pool to complete', async () => (await poolStatus(second as Sandbox, poolId)) === 'CLOSED', 30_000);
      await until('a notification per task', () => rx.events.length >= n);
      const assignments = (await get<Listed<{ status: string; tasks: Array<{ id: string }> }>>(second, `/api/v1/assignments?pool_id=${poolId}&limit=1000`)).items;
      await second.stop();
      second = undefined;
      assert.equal(rx.events.length, n, 'each task once, across the restart');
      assert.equal(new Set(rx.events.map((e) => e['task_id'])).size, n);
      const answered = new Map<string, number>();
      for (const a of assignments) if (a.status === 'ACCEPTED') for (const t of a.tasks) answered.set(t.id, (answered.get(t.id) ?? 0) + 1);
      for (const e of rx.events) {
        const got = answered.get(String(e['task_id'])) ?? 0;
        assert.ok(got >= 2 && got <= 4, `${String(e['task_id'])}: ${got} answers`);
        assert.equal((e['assignment_ids'] as string[]).length, got, 'the notification names every answer');
      }
    } finally {
      await first?.stop();
      await second?.stop();
      await rx.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('still loads a data file written before these records were saved', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tlk-persist-old-'));
    const dataFile = path.join(dir, 'state.jsonl');
    fs.writeFileSync(dataFile, [
      JSON.stringify({ k: 'meta', v: { version: 1, counters: { project: 1, pool: 0, item: 0, skill: 0, apps: 0, restriction: 0 } } }),
      JSON.stringify({ k: 'project', v: { ...classificationProject, id: '100001', status: 'ACTIVE', created: '2026-01-01T00:00:00.000' } }),
      '',
    ].join('\n'));
    const s = await startSandbox({ dataFile, tolokers: { assignmentsPerSecond: 0 } });
    try {
      assert.equal((await get<{ public_name: string }>(s, '/api/v1/projects/100001')).public_name, classificationProject.public_name);
      assert.equal((await get<{ balance: number }>(s, '/api/v1/requester')).balance, 1000);
      for (const url of ['/api/v1/user-bonuses', '/api/v1/webhook-subscriptions', '/api/v1/message-threads', '/api/v1/user-skills']) assert.deepEqual((await get<Listed<unknown>>(s, url)).items, [], url);
    } finally {
      await s.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
