/**
 * A dry-run in the sandbox, over plain HTTP: the pool, its project, training and skills copied
 * in, the simulated crowd's work kept as the pool's assignments, bans and skills, and the report
 * the sandbox sends back the same as the run's records there.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { loadDryRun, runInSandbox } from '../../src/files/dryRunFiles';
import { buildReport } from '../../src/sandbox/dryrun/report';
import { dryRun } from '../../src/sandbox/dryrun/simulate';
import { TolokaClient } from '../../src/toloka/client';
import { TolokaError } from '../../src/toloka/errors';
import { repoRoot } from '../runners/provision';
import { harness } from './fixtures';

const birds = path.join(repoRoot, 'test/fixtures/dryrun/birds.pool.json');
const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'dry-run-sandbox-'));

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('Dry-run in the sandbox', () => {
  it("copies the pool, its project, training and skills in, and the sandbox's records are the report's figures", async () => {
    const h = await harness({ tolokers: { assignmentsPerSecond: 0 } });
    try {
      const loaded = await loadDryRun({ poolFile: birds, generate: 300, seed: 3 });
      const outcome = await runInSandbox(loaded, h.client, { report: path.join(tmp(), 'birds.dry-run.md') });
      const { report, sandbox: ids } = outcome;
      // The run there is the run here: the same seed gives the same figures.
      assert.deepEqual(report, JSON.parse(JSON.stringify(buildReport(await dryRun(loaded.input), 3))));

      const pool = await h.client.pools.get(ids.pool_id);
      assert.equal(pool.status, 'CLOSED');
      assert.equal(pool.last_close_reason, 'COMPLETED');
      assert.equal(pool.private_name, 'Dry-run: Birds, dry-run (seed 3)');
      assert.equal(pool.project_id, ids.project_id);
      assert.equal(pool.quality_control?.training_requirement?.training_pool_id, ids.training_id);
      const skill2626 = ids.skill_ids['2626'];
      assert.ok(skill2626, 'the skill the rules name is a sandbox skill');
      assert.match((await h.client.skills.get(skill2626)).name, /^Birds, dry-run: 2626$/);
      assert.match(JSON.stringify(pool.quality_control?.configs), new RegExp(`"skill_id":"${skill2626}"`));
      assert.equal((await h.client.trainings.get(ids.training_id ?? '')).status, 'CLOSED');
      assert.deepEqual(Object.keys((await h.client.projects.get(ids.project_id)).task_spec.output_spec), ['result']);

      const tasks = await collect(h.client.tasks.all({ pool_id: ids.pool_id }));
      assert.equal(tasks.length, report.pool.tasks + report.pool.controlTasks);
      const assignments = await collect(h.client.assignments.all({ pool_id: ids.pool_id }));
      const byStatus: Record<string, number> = {};
      for (const a of assignments) byStatus[a.status] = (byStatus[a.status] ?? 0) + 1;
      assert.deepEqual(byStatus, report.assignments);
      assert.ok(assignments.filter((a) => a.status === 'ACCEPTED').every((a) => (a.solutions?.length ?? 0) === a.tasks.length && a.submitted !== undefined));
      const trainingAssignments = await collect(h.client.assignments.all({ pool_id: ids.training_id ?? '' }));
      assert.equal(trainingAssignments.length, Object.values(report.training?.assignments ?? {}).reduce((s, n) => s + n, 0));

      const bans = (await collect(h.client.userRestrictions.all({}))).filter((r) => r.private_comment?.startsWith('Dry-run: Birds, dry-run (seed 3): '));
      assert.equal(new Set(bans.map((b) => b.user_id)).size, report.bans.tolokers);
      assert.ok(bans.some((b) => b.scope === 'PROJECT' && b.project_id === ids.project_id && /GOLDEN_SET #1\.2$/.test(b.private_comment ?? '')));
      const given = report.skills.find((s) => s.skillId === '2626');
      const userSkills = await collect(h.client.userSkills.all({ skill_id: skill2626 }));
      assert.equal(userSkills.length, given?.tolokers);
      // The training's skill too: every Toloker who took the training has it in /user-skills.
      const trainingSkill = ids.skill_ids['training'] ?? '';
      const trained = await collect(h.client.userSkills.all({ skill_id: trainingSkill }));
      assert.equal(trained.length, (report.training?.passed ?? 0) + (report.training?.failed ?? 0));
      assert.equal(trained.filter((s) => (s.exact_value ?? s.value ?? 0) >= 70).length, report.training?.passed);
      assert.ok(report.recompletions.suites > 0 && report.bans.tolokers > 0);
      // The simulated Tolokers are the sandbox's now: their profiles are there, as for its own crowd.
      assert.equal((await h.client.userMetadata.get(bans[0]?.user_id ?? '')).id, bans[0]?.user_id);
      assert.match(outcome.markdown, new RegExp(`In the local sandbox: project ${ids.project_id}, pool ${ids.pool_id}, training ${ids.training_id ?? ''}; skills 2626 → ${skill2626}, training → `));
    } finally {
      await h.stop();
    }
  });

  it('refuses a pool with a wrong field, naming it, and creates nothing', async () => {
    const h = await harness({ tolokers: { assignmentsPerSecond: 0 } });
    try {
      const loaded = await loadDryRun({ poolFile: birds, generate: 50, seed: 1 });
      const bad = { ...loaded, input: { ...loaded.input, pool: { ...loaded.input.pool, reward_per_assignment: -1 } } };
      await assert.rejects(runInSandbox(bad, h.client, { report: path.join(tmp(), 'x.md') }), (err: unknown) => err instanceof TolokaError && /pool\.reward_per_assignment/.test(err.message));
      const wrongTask = { ...loaded, inputSpec: { image: { type: 'url' as const, required: true } }, input: { ...loaded.input, tasks: [{ input_values: { image: 42 } }] } };
      await assert.rejects(runInSandbox(wrongTask, h.client, { report: path.join(tmp(), 'y.md') }), (err: unknown) => err instanceof TolokaError && /tasks\.0\.input_values\.image/.test(err.message));
      assert.equal(h.sandbox.state.projects.size, 0);
      assert.equal(h.sandbox.state.pools.size, 0);
    } finally {
      await h.stop();
    }
  });

  it('says so when the server has no dry-run route (Toloka itself, or an older sandbox)', async () => {
    const server = http.createServer((_req, res) => res.writeHead(404, { 'Content-Type': 'application/json' }).end(JSON.stringify({ code: 'DOES_NOT_EXIST', message: 'Not found' })));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const client = new TolokaClient({ baseUrl: `http://127.0.0.1:${port}/api`, credential: 'x' });
      const loaded = await loadDryRun({ poolFile: birds, generate: 20, seed: 1 });
      await assert.rejects(runInSandbox(loaded, client, { report: path.join(tmp(), 'z.md') }), new RegExp(`^Error: http://127\\.0\\.0\\.1:${port}/api has no dry-run route \\(POST /v1/sandbox/dry-runs\\)`));
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('a cancelled dry-run stops in the sandbox too, keeping what it did', async () => {
    const h = await harness({ tolokers: { assignmentsPerSecond: 0 } });
    try {
      const loaded = await loadDryRun({ poolFile: birds, generate: 40_000, seed: 5 });
      const abort = new AbortController();
      const outcome = await runInSandbox(loaded, h.client, { report: path.join(tmp(), 'big.md'), signal: abort.signal, onProgress: (done) => { if (done > 0) abort.abort(); } });
      assert.equal(outcome.report.cancelled, true);
      const pool = await h.client.pools.get(outcome.sandbox.pool_id);
      assert.equal(pool.last_close_reason, 'MANUAL');
      const assignments = await collect(h.client.assignments.all({ pool_id: outcome.sandbox.pool_id }));
      const total = Object.values(outcome.report.assignments).reduce((s, n) => s + n, 0);
      assert.equal(assignments.length, total, 'every assignment of the report is in the sandbox (those in progress as expired)');
      assert.ok(outcome.report.pool.tasksUnfinished > 0, 'stopped before the end');
    } finally {
      await h.stop();
    }
  });
});
