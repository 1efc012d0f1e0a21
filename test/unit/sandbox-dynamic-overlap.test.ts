/**
 * Dynamic overlap (incremental relabeling): the confidence maths as the docs compute it, and the
 * running sandbox over plain HTTP giving disputed tasks more answers, up to max_overlap, with one
 * DYNAMIC_OVERLAP_COMPLETED notification per task.
 */
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { aggregateBySkill, dynamicOverlapStep } from '../../src/sandbox/qc/dynamicOverlap';
import { classificationProject, harness, poolFor, send, until } from './fixtures';

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

describe('Dynamic overlap: the confidence of an answer aggregated by skill', () => {
  it("reproduces the docs' example (result ∈ OK, BAD, 404): 0.977, 0.761, 0.962", () => {
    const a = (result: string, skill: number) => ({ answer: { result }, skill });
    assert.deepEqual(aggregateBySkill([a('OK', 70), a('OK', 90)], ['result'], 3).output_values, { result: 'OK' });
    assert.equal(round3(aggregateBySkill([a('OK', 70), a('OK', 90)], ['result'], 3).confidence), 0.977);
    const split = aggregateBySkill([a('OK', 70), a('BAD', 90)], ['result'], 3);
    assert.deepEqual([split.output_values, round3(split.confidence)], [{ result: 'BAD' }, 0.761]);
    const three = aggregateBySkill([a('OK', 70), a('BAD', 90), a('BAD', 80)], ['result'], 3);
    assert.deepEqual([three.output_values, round3(three.confidence)], [{ result: 'BAD' }, 0.962]);
  });

  it('waits for the overlap, asks for one more below min_confidence, and stops at max_overlap', () => {
    const config = { max_overlap: 3, min_confidence: 0.8, answer_weight_skill_id: '1', fields: [{ name: 'result' }] };
    const ok = { answer: { result: 'OK' }, skill: 90 };
    const bad = { answer: { result: 'BAD' }, skill: 90 };
    assert.equal(dynamicOverlapStep(config, 2, [ok], 3).step, 'wait');
    assert.equal(dynamicOverlapStep(config, 2, [ok, ok], 3).step, 'complete');
    assert.equal(dynamicOverlapStep(config, 2, [ok, bad], 3).step, 'more');
    assert.equal(dynamicOverlapStep(config, 3, [ok, bad, { answer: { result: '404' }, skill: 90 }], 3).step, 'complete', 'at max_overlap it is complete, however unsure');
    // Without the skill a Toloker counts as 50% right: two agreeing answers give 0.667 over three labels.
    assert.equal(round3(aggregateBySkill([{ answer: { result: 'OK' }, skill: undefined }, { answer: { result: 'OK' }, skill: undefined }], ['result'], 3).confidence), 0.667);
  });
});

interface Assignment { id: string; user_id: string; tasks: Array<{ id: string }>; solutions: Array<{ output_values: { result: string } }> }

describe('Sandbox: dynamic overlap over HTTP', () => {
  it('gives disputed tasks more answers than agreed ones, never above max_overlap, and sends DYNAMIC_OVERLAP_COMPLETED once per task', async () => {
    const events: Array<Record<string, unknown>> = [];
    const rx = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        events.push(...(JSON.parse(Buffer.concat(chunks).toString('utf8')) as { events: Array<Record<string, unknown>> }).events);
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => rx.listen(0, '127.0.0.1', resolve));
    const h = await harness({ seed: 5, quotas: false, tolokers: { count: 10, accuracy: [0.4, 0.9], assignmentsPerSecond: 3000, thinkMs: [1, 3] } });
    try {
      const origin = h.sandbox.origin;
      const skill = (await send(origin, 'POST', '/api/v1/skills', { name: 'Accuracy', hidden: true })).body as { id: string };
      // Every Toloker's answers weigh 0.9: two that agree give 0.994, two that differ 0.486.
      for (const w of h.sandbox.tolokers.workers) assert.equal((await send(origin, 'PUT', '/api/v1/user-skills', { user_id: w.id, skill_id: skill.id, value: 90 })).status, 200);
      const project = (await send(origin, 'POST', '/api/v1/projects', classificationProject)).body as { id: string };
      const created = await send(origin, 'POST', '/api/v1/pools', poolFor(project.id, {
        defaults: { default_overlap_for_new_task_suites: 2, default_overlap_for_new_tasks: 2 },
        mixer_config: { real_tasks_count: 1, golden_tasks_count: 0, training_tasks_count: 0 },
        dynamic_overlap_config: { type: 'BASIC', max_overlap: 4, min_confidence: 0.8, answer_weight_skill_id: skill.id, fields: [{ name: 'result' }] },
      }));
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const poolId = (created.body as { id: string }).id;
      const hook = await send(origin, 'PUT', '/api/v1/webhook-subscriptions', { webhook_url: `http://127.0.0.1:${(rx.address() as AddressInfo).port}/hook`, event_type: 'DYNAMIC_OVERLAP_COMPLETED', pool_id: poolId });
      assert.equal(hook.status, 200, JSON.stringify(hook.body));
      const n = 40;
      const tasks = Array.from({ length: n }, (_, i) => ({ pool_id: poolId, input_values: { image: `https://example.com/${i}.jpg` } }));
      assert.equal((await send(origin, 'POST', '/api/v1/tasks?allow_defaults=true&open_pool=true', tasks)).status, 201);
      await until('the pool to complete', async () => ((await send(origin, 'GET', `/api/v1/pools/${poolId}`)).body as { status: string }).status === 'CLOSED', 30_000);

      const assignments = ((await send(origin, 'GET', `/api/v1/assignments?pool_id=${poolId}&limit=1000&sort=id`)).body as { items: Assignment[] }).items;
      const byTask = new Map<string, Array<{ assignment: string; user: string; result: string }>>();
      for (const a of assignments) a.tasks.forEach((t, i) => byTask.set(t.id, [...(byTask.get(t.id) ?? []), { assignment: a.id, user: a.user_id, result: a.solutions[i]?.output_values.result ?? '' }]));
      assert.equal(byTask.size, n);
      let agreed = 0;
      let disputed = 0;
      for (const [taskId, answers] of byTask) {
        assert.ok(answers.length >= 2 && answers.length <= 4, `${taskId}: ${answers.length} answers, between the default overlap 2 and max_overlap 4`);
        assert.equal(new Set(answers.map((x) => x.user)).size, answers.length, `${taskId}: no Toloker answers a task twice`);
        const task = (await send(origin, 'GET', `/api/v1/tasks/${taskId}`)).body as { overlap: number };
        assert.equal(task.overlap, answers.length, `${taskId}: the task's overlap grew with its answers`);
        if (answers[0]?.result === answers[1]?.result) {
          agreed++;
          assert.equal(answers.length, 2, `${taskId}: the first two agreed, so no more answers`);
        } else {
          disputed++;
          assert.ok(answers.length > 2, `${taskId}: the first two disagreed, so it got more answers`);
        }
      }
      assert.ok(agreed > 0 && disputed > 0, `agreed ${agreed}, disputed ${disputed}: both kinds are there`);

      await until('a notification per task', () => events.length >= n);
      await h.stop();
      assert.equal(events.length, n, 'one notification per task, none twice');
      assert.deepEqual(new Set(events.map((e) => e['task_id'])), new Set(byTask.keys()));
      for (const e of events) {
        const answers = byTask.get(String(e['task_id'])) ?? [];
        assert.equal(e['type'], 'DYNAMIC_OVERLAP_COMPLETED');
        assert.equal(e['pool_id'], poolId);
        assert.equal(e['project_id'], project.id);
        assert.equal(e['webhook_subscription_id'], (hook.body as { id: string }).id);
        assert.equal(typeof e['uuid'], 'string');
        assert.equal(typeof e['event_time'], 'string');
        assert.deepEqual([...(e['assignment_ids'] as string[])].sort(), answers.map((x) => x.assignment).sort());
        assert.ok(answers.some((x) => x.result === (e['output_values'] as { result: string }).result), 'the answer is one the Tolokers gave');
        const confidence = e['confidence'] as number;
        assert.ok(confidence > 0 && confidence <= 1);
        if (answers.length < 4) assert.ok(confidence >= 0.8, `${String(e['task_id'])}: complete under max_overlap only when confident (${confidence})`);
      }
    } finally {
      await h.stop();
      await new Promise<void>((resolve) => rx.close(() => resolve()));
    }
  });
});

describe('Sandbox: aggregation by skill (WEIGHTED_DYNAMIC_OVERLAP) over HTTP', () => {
  it('gives each task the answer and confidence that dynamic overlap computes from its answers', async () => {
    const h = await harness({ seed: 7, quotas: false, tolokers: { count: 6, accuracy: [0.4, 0.9], assignmentsPerSecond: 3000, thinkMs: [1, 3] } });
    try {
      const origin = h.sandbox.origin;
      const project = (await send(origin, 'POST', '/api/v1/projects', classificationProject)).body as { id: string };
      const poolId = ((await send(origin, 'POST', '/api/v1/pools', poolFor(project.id))).body as { id: string }).id;
      const tasks = Array.from({ length: 12 }, (_, i) => ({ pool_id: poolId, input_values: { image: `https://example.com/${i}.jpg` }, overlap: 3 }));
      assert.equal((await send(origin, 'POST', '/api/v1/tasks?open_pool=true', tasks)).status, 201);
      await until('the pool to complete', async () => ((await send(origin, 'GET', `/api/v1/pools/${poolId}`)).body as { status: string }).status === 'CLOSED', 30_000);
      const op = (await send(origin, 'POST', '/api/v1/aggregated-solutions/aggregate-by-pool', { type: 'WEIGHTED_DYNAMIC_OVERLAP', pool_id: poolId, answer_weight_skill_id: '1', fields: [{ name: 'result' }] })).body as { id: string };
      await until('the aggregation', async () => ((await send(origin, 'GET', `/api/v1/operations/${op.id}`)).body as { status: string }).status === 'SUCCESS');
      const solutions = ((await send(origin, 'GET', `/api/v1/aggregated-solutions/${op.id}?limit=100`)).body as { items: Array<{ task_id: string; confidence: number; output_values: { result: string } }> }).items;
      const assignments = ((await send(origin, 'GET', `/api/v1/assignments?pool_id=${poolId}&limit=1000`)).body as { items: Assignment[] }).items;
      assert.equal(solutions.length, 12);
      for (const s of solutions) {
        // No control tasks: every Toloker weighs 0.5, as one without the skill does in dynamic overlap.
        const answers = assignments.flatMap((a) => a.tasks.flatMap((t, i) => (t.id === s.task_id ? [{ answer: { result: a.solutions[i]?.output_values.result }, skill: undefined }] : [])));
        assert.equal(answers.length, 3);
        const expected = aggregateBySkill(answers, ['result'], 3);
        assert.deepEqual(s.output_values, expected.output_values, s.task_id);
        assert.equal(round3(s.confidence), round3(expected.confidence), s.task_id);
      }
      // With the skill set, each answer weighs the Toloker's value of answer_weight_skill_id.
      const skill = (await send(origin, 'POST', '/api/v1/skills', { name: 'Weight', hidden: true })).body as { id: string };
      const value = new Map(h.sandbox.tolokers.workers.map((w, i) => [w.id, i % 2 ? 95 : 20]));
      for (const [user_id, v] of value) assert.equal((await send(origin, 'PUT', '/api/v1/user-skills', { skill_id: skill.id, user_id, value: v })).status, 200);
      const weighted = (await send(origin, 'POST', '/api/v1/aggregated-solutions/aggregate-by-pool', { type: 'WEIGHTED_DYNAMIC_OVERLAP', pool_id: poolId, answer_weight_skill_id: skill.id, fields: [{ name: 'result' }] })).body as { id: string };
      await until('the weighted aggregation', async () => ((await send(origin, 'GET', `/api/v1/operations/${weighted.id}`)).body as { status: string }).status === 'SUCCESS');
      const byWeight = ((await send(origin, 'GET', `/api/v1/aggregated-solutions/${weighted.id}?limit=100`)).body as { items: Array<{ task_id: string; confidence: number; output_values: { result: string } }> }).items;
      for (const s of byWeight) {
        const answers = assignments.flatMap((a) => a.tasks.flatMap((t, i) => (t.id === s.task_id ? [{ answer: { result: a.solutions[i]?.output_values.result }, skill: value.get(a.user_id) }] : [])));
        const expected = aggregateBySkill(answers, ['result'], 3);
        assert.deepEqual(s.output_values, expected.output_values, s.task_id);
        assert.equal(round3(s.confidence), round3(expected.confidence), s.task_id);
      }
    } finally {
      await h.stop();
    }
  });
});
