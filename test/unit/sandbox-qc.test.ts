/**
 * Quality control in the running sandbox, over plain HTTP: a golden-set rule bans the simulated
 * Tolokers who get control tasks wrong, SET_SKILL_FROM_OUTPUT_FIELD gives skills that
 * /user-skills returns, and a filter on that skill keeps low scorers out.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { drawCrowd, parseCrowd } from '../../src/sandbox/dryrun/crowd';
import { classificationProject, harness, poolFor, send, until } from './fixtures';

describe('Sandbox quality control over HTTP', () => {
  it('bans Tolokers below 50% on control tasks, and the skill from their rate is in /user-skills', async () => {
    const h = await harness({ seed: 4, tolokers: { count: 30, accuracy: [0, 1], assignmentsPerSecond: 3000, thinkMs: [1, 3] } });
    try {
      const origin = h.sandbox.origin;
      const skill = (await send(origin, 'POST', '/api/v1/skills', { name: 'Control tasks', hidden: true })).body as { id: string };
      const project = (await send(origin, 'POST', '/api/v1/projects', classificationProject)).body as { id: string };
      const pool = poolFor(project.id, {
        mixer_config: { real_tasks_count: 2, golden_tasks_count: 1, training_tasks_count: 0 },
        quality_control: {
          configs: [{
            collector_config: { type: 'GOLDEN_SET', parameters: { history_size: 10 } },
            rules: [
              { conditions: [{ key: 'total_answers_count', operator: 'GTE', value: 3 }], action: { type: 'SET_SKILL_FROM_OUTPUT_FIELD', parameters: { skill_id: skill.id, from_field: 'correct_answers_rate' } } },
              { conditions: [{ key: 'total_answers_count', operator: 'GTE', value: 3 }, { key: 'correct_answers_rate', operator: 'LT', value: 50 }], action: { type: 'RESTRICTION_V2', parameters: { scope: 'PROJECT', duration_unit: 'PERMANENT' } } },
            ],
          }],
        },
      });
      const created = await send(origin, 'POST', '/api/v1/pools', pool);
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const poolId = (created.body as { id: string }).id;
      const labels = ['cat', 'dog', 'other'];
      const tasks = [
        ...Array.from({ length: 300 }, (_, i) => ({ pool_id: poolId, input_values: { image: `https://example.com/${i}.jpg` }, overlap: 3 })),
        ...Array.from({ length: 200 }, (_, i) => ({ pool_id: poolId, input_values: { image: `https://example.com/g${i}.jpg` }, known_solutions: [{ output_values: { result: labels[i % 3] } }] })),
      ];
      assert.equal((await send(origin, 'POST', '/api/v1/tasks?allow_defaults=true', tasks)).status, 201);
      await send(origin, 'POST', `/api/v1/pools/${poolId}/open`);
      await until('the pool to open', async () => ((await send(origin, 'GET', `/api/v1/pools/${poolId}`)).body as { status: string }).status === 'OPEN');
      await until('the pool to complete', async () => ((await send(origin, 'GET', `/api/v1/pools/${poolId}`)).body as { status: string }).status === 'CLOSED', 30_000);

      const skills = ((await send(origin, 'GET', `/api/v1/user-skills?skill_id=${skill.id}&limit=1000`)).body as { items: Array<{ user_id: string; value: number; exact_value: number }> }).items;
      assert.ok(skills.length >= 20, `skills for ${skills.length} Tolokers`);
      const bans = ((await send(origin, 'GET', '/api/v1/user-restrictions?limit=500')).body as { items: Array<{ user_id: string; scope: string; project_id?: string }> }).items;
      assert.ok(bans.length > 0, 'someone was banned');
      for (const b of bans) assert.deepEqual([b.scope, b.project_id], ['PROJECT', project.id]);
      const accuracy = new Map(h.sandbox.tolokers.workers.map((w) => [w.id, w.accuracy]));
      const banned = new Set(bans.map((b) => b.user_id));
      const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
      const bannedAccuracy = mean([...banned].map((u) => accuracy.get(u) ?? 0));
      const keptAccuracy = mean([...accuracy].filter(([u]) => !banned.has(u)).map(([, a]) => a));
      assert.ok(bannedAccuracy < keptAccuracy - 0.2, `banned ${bannedAccuracy.toFixed(2)}, kept ${keptAccuracy.toFixed(2)}`);
      // The client's /user-skills: list by skill, set, remove.
      const listed = [];
      for await (const s of h.client.userSkills.all({ skill_id: skill.id })) listed.push(s);
      assert.equal(listed.length, skills.length);
      const one = listed[0];
      assert.ok(one);
      const set = await h.client.userSkills.set({ skill_id: skill.id, user_id: one.user_id, value: 42.5 });
      assert.deepEqual([set.value, set.exact_value, set.id], [43, 42.5, one.id]);
      await h.client.userSkills.remove(one.id ?? '');
      await assert.rejects(h.client.userSkills.get(one.id ?? ''), /404|not found/i);
    } finally {
      await h.stop();
    }
  });

  it("with a crowd of archetypes, a golden-set rule bans the seeded crowd's spammers and few careful Tolokers; skippers skip", async () => {
    const crowd = parseCrowd({
      size: 40,
      archetypes: [
        { name: 'careful', share: 0.5, accuracy: 0.97, secondsPerTask: [1, 2] },
        { name: 'constant spammer', share: 0.2, strategy: 'constant', secondsPerTask: [1, 2] },
        { name: 'random clicker', share: 0.2, strategy: 'random', secondsPerTask: [1, 2] },
        { name: 'skipper', share: 0.1, accuracy: 0.9, skipRate: 1, secondsPerTask: [1, 2] },
      ],
    });
    const h = await harness({ seed: 6, tolokers: { crowd, assignmentsPerSecond: 3000 } });
    try {
      const archetypeOf = new Map(drawCrowd(crowd, 6).map((m) => [m.id, m.archetype.name]));
      assert.deepEqual(h.sandbox.tolokers.workers.map((w) => w.id), [...archetypeOf.keys()], 'the sandbox crowd is the seeded crowd');
      const project = await h.client.projects.create(classificationProject);
      const pool = await h.client.pools.create(poolFor(project.id ?? '', {
        mixer_config: { real_tasks_count: 2, golden_tasks_count: 1, training_tasks_count: 0 },
        quality_control: { configs: [{ collector_config: { type: 'GOLDEN_SET', parameters: { history_size: 10 } }, rules: [{ conditions: [{ key: 'total_answers_count', operator: 'GTE', value: 4 }, { key: 'correct_answers_rate', operator: 'LT', value: 60 }], action: { type: 'RESTRICTION_V2', parameters: { scope: 'PROJECT', duration_unit: 'PERMANENT' } } }] }] },
      }));
      const labels = ['cat', 'dog', 'other'];
      await h.client.tasks.createMany([
        ...Array.from({ length: 400 }, (_, i) => ({ pool_id: pool.id ?? '', input_values: { image: `https://example.com/${i}.jpg` }, overlap: 3 })),
        ...Array.from({ length: 150 }, (_, i) => ({ pool_id: pool.id ?? '', input_values: { image: `https://example.com/g${i}.jpg` }, known_solutions: [{ output_values: { result: labels[i % 3] ?? 'cat' } }] })),
      ], { allowDefaults: true });
      const opened = await h.client.pools.open(pool.id ?? '');
      if (opened) await h.client.operations.wait(opened, { firstDelayMs: 10, intervalMs: 20 });
      await until('the pool to complete', async () => (await h.client.pools.get(pool.id ?? '')).last_close_reason === 'COMPLETED' || undefined, 60_000);
      const banned = new Set<string>();
      for await (const r of h.client.userRestrictions.all({ project_id: project.id ?? '' })) banned.add(r.user_id);
      const count = (name: string, users: Iterable<string>) => [...users].filter((u) => archetypeOf.get(u) === name).length;
      const all = [...archetypeOf.keys()];
      assert.equal(count('constant spammer', banned), count('constant spammer', all), 'every constant spammer banned');
      assert.ok(count('random clicker', banned) >= count('random clicker', all) - 1, 'random clickers banned');
      assert.ok(count('careful', banned) <= 1, `careful Tolokers banned: ${count('careful', banned)}`);
      const skippers = new Set(all.filter((u) => archetypeOf.get(u) === 'skipper'));
      const theirs = [];
      for await (const a of h.client.assignments.all({ pool_id: pool.id ?? '' })) if (skippers.has(a.user_id)) theirs.push(a.status);
      assert.ok(theirs.length > 0 && theirs.every((st) => st === 'SKIPPED'), theirs.join(','));
    } finally {
      await h.stop();
    }
  });

  it('takes a suite back when a Toloker is still at it after assignment_max_duration_seconds, and pays by skill with dynamic pricing', async () => {
    const crowd = parseCrowd({ size: 6, archetypes: [{ name: 'slow', share: 0.5, secondsPerTask: [200, 200] }, { name: 'quick', share: 0.5, secondsPerTask: [1, 1] }] });
    // A simulated second lasts 40 ms: the slow take 8 s a task, past the pool's 5 s.
    const h = await harness({ seed: 3, tolokers: { crowd, msPerSimulatedSecond: 40, assignmentsPerSecond: 3000 } });
    try {
      const kind = new Map(drawCrowd(crowd, 3).map((m) => [m.id, m.archetype.name]));
      const skill = await h.client.skills.create({ name: 'Level', hidden: true } as never);
      for (const w of h.sandbox.tolokers.workers) await h.client.userSkills.set({ skill_id: skill.id ?? '', user_id: w.id, value: kind.get(w.id) === 'quick' ? 90 : 10 });
      const project = await h.client.projects.create(classificationProject);
      const pool = await h.client.pools.create(poolFor(project.id ?? '', {
        assignment_max_duration_seconds: 5,
        reward_per_assignment: 0.01,
        dynamic_pricing_config: { type: 'SKILL', skill_id: skill.id ?? '', intervals: [{ from: 0, to: 50, reward_per_assignment: 0.02 }, { from: 51, to: 100, reward_per_assignment: 0.05 }] },
      } as never));
      await h.client.tasks.createMany(Array.from({ length: 30 }, (_, i) => ({ pool_id: pool.id ?? '', input_values: { image: `https://example.com/${i}.jpg` }, overlap: 1 })), { allowDefaults: true });
      const opened = await h.client.pools.open(pool.id ?? '');
      if (opened) await h.client.operations.wait(opened, { firstDelayMs: 10, intervalMs: 20 });
      await until('the pool to complete', async () => (await h.client.pools.get(pool.id ?? '')).last_close_reason === 'COMPLETED' || undefined, 30_000);
      const list = [];
      for await (const a of h.client.assignments.all({ pool_id: pool.id ?? '' })) list.push(a);
      const slow = list.filter((a) => kind.get(a.user_id) === 'slow');
      assert.ok(slow.length > 0 && slow.every((a) => a.status === 'EXPIRED' && a.expired !== undefined), slow.map((a) => a.status).join(','));
      const quick = list.filter((a) => kind.get(a.user_id) === 'quick');
      const answered = new Set(quick.filter((a) => a.status === 'ACCEPTED').flatMap((a) => a.tasks.map((t) => t.id)));
      assert.equal(answered.size, 30, 'every task answered, the expired ones by someone else');
      assert.deepEqual([...new Set(quick.map((a) => a.reward))], [0.05]);
      assert.deepEqual([...new Set(slow.map((a) => a.reward))], [0.02]);
    } finally {
      await h.stop();
    }
  });

  it('recompletes the suites of a Toloker who loses access by a change of the filtered skill (USERS_ASSESSMENT, SKILL_CHANGE)', async () => {
    const h = await harness({ seed: 9, tolokers: { count: 20, accuracy: [0, 1], assignmentsPerSecond: 3000, thinkMs: [1, 3] } });
    try {
      const skill = await h.client.skills.create({ name: 'Control tasks', hidden: true } as never);
      const skillId = skill.id ?? '';
      for (const w of h.sandbox.tolokers.workers) await h.client.userSkills.set({ skill_id: skillId, user_id: w.id, value: 100 });
      const project = await h.client.projects.create(classificationProject);
      const pool = await h.client.pools.create(poolFor(project.id ?? '', {
        mixer_config: { real_tasks_count: 2, golden_tasks_count: 1, training_tasks_count: 0 },
        filter: { and: [{ category: 'skill', key: skillId, operator: 'GTE', value: 50 }] },
        quality_control: {
          configs: [
            { collector_config: { type: 'GOLDEN_SET', parameters: { history_size: 5 } }, rules: [{ conditions: [{ key: 'total_answers_count', operator: 'GTE', value: 2 }], action: { type: 'SET_SKILL_FROM_OUTPUT_FIELD', parameters: { skill_id: skillId, from_field: 'correct_answers_rate' } } }] },
            { collector_config: { type: 'USERS_ASSESSMENT' }, rules: [{ conditions: [{ key: 'pool_access_revoked_reason', operator: 'EQ', value: 'SKILL_CHANGE' }, { key: 'skill_id', operator: 'EQ', value: skillId }], action: { type: 'CHANGE_OVERLAP', parameters: { delta: 1, open_pool: true } } }] },
          ],
        } as never,
      }));
      const poolId = pool.id ?? '';
      const labels = ['cat', 'dog', 'other'];
      await h.client.tasks.createMany([
        ...Array.from({ length: 100 }, (_, i) => ({ pool_id: poolId, input_values: { image: `https://example.com/${i}.jpg` }, overlap: 2 })),
        ...Array.from({ length: 200 }, (_, i) => ({ pool_id: poolId, input_values: { image: `https://example.com/g${i}.jpg` }, known_solutions: [{ output_values: { result: labels[i % 3] } }] })),
      ], { allowDefaults: true, openPool: true });
      const rec = await until('the pool to complete', () => {
        const p = h.sandbox.state.pools.get(poolId);
        return p && p.api.status === 'CLOSED' && p.data.assignments.length > 0 ? p : undefined;
      }, 30_000);
      const low = [];
      for await (const s of h.client.userSkills.all({ skill_id: skillId })) if ((s.exact_value ?? 100) < 50) low.push(s.user_id);
      assert.ok(low.length > 0, 'some Tolokers fell below 50');
      const recompleted = rec.data.tasks.filter((t) => (t.api.known_solutions?.length ?? 0) === 0 && (t.api.overlap ?? 0) > 2);
      assert.ok(recompleted.length > 0, 'their suites went back with overlap +1');
      for (const t of recompleted) {
        const answered = rec.data.assignments.filter((a) => a.status === 'ACCEPTED' && a.tasks.some((x) => x.id === t.api.id)).length;
        assert.equal(answered, t.api.overlap, `${t.api.id}: the extra overlap was answered`);
      }
    } finally {
      await h.stop();
    }
  });
});
