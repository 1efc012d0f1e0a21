/** The pool dashboard's figures, against hand-worked examples and against the sandbox's own records. */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { PoolCollector, StatsWorkerClient } from '../../src/insights/collector';
import { estimateCost, eta, hourlyReward, spend } from '../../src/insights/money';
import { lastHour, PoolStats } from '../../src/insights/poolStats';
import { poolSkillIds } from '../../src/insights/dashboardData';
import { poolMetrics } from '../../src/sandbox/analytics';
import type { AssignmentResult, FieldSpecMap } from '../../src/toloka/models';
import { dateTimeMs, parseDateTime } from '../../src/toloka/models/common';
import { feeFor } from '../../src/toloka/pricing';
import { repoRoot } from '../runners/provision';
import { classificationProject, harness, poolFor, tasks, until } from './fixtures';

const output: FieldSpecMap = { result: { type: 'string', allowed_values: ['cat', 'dog'] }, note: { type: 'string', required: false } };

/** An assignment of one task, answered `label` in `seconds`, submitted at minute `minute` after noon. */
function answer(worker: string, task: string, label: string, seconds: number, minute: number, known?: string): Pick<AssignmentResult, 'user_id' | 'tasks' | 'solutions' | 'created' | 'submitted'> {
  const submitted = Date.UTC(2026, 11, 1, 12, minute);
  const iso = (t: number) => new Date(t).toISOString().replace('Z', '');
  return {
    user_id: worker,
    tasks: [{ id: task, input_values: {}, ...(known ? { known_solutions: [{ output_values: { result: known } }] } : {}) }],
    solutions: [{ output_values: { result: label, note: 'x' } }],
    created: iso(submitted - seconds * 1000),
    submitted: iso(submitted),
  };
}

describe("Pool dashboard: Toloka's fee, spend, ETA and estimates", () => {
  it('charges 30% of a suite\'s reward, at least $0.005, and nothing on a free suite', () => {
    assert.equal(feeFor(0.1).toFixed(6), '0.030000');
    assert.equal(feeFor(0.01), 0.005, 'the minimum');
    assert.equal(feeFor(0), 0);
  });

  it('spends what is spent, and estimates the rest from the assignments to come', () => {
    // 40 assignments to come at $0.02 + $0.006 fee.
    const s = spend({ spent: 3.25, remainingAssignments: 40, reward: 0.02 });
    assert.equal(s.remaining.toFixed(4), '1.0400');
    assert.equal(s.estimatedTotal.toFixed(4), '4.2900');
  });

  it('says when the rest will be in at the last hour\'s pace, and nothing when nothing came', () => {
    assert.deepEqual(eta(120, 60), { perHour: 60, hours: 2 });
    assert.deepEqual(eta(120, 0), { perHour: 0, hours: undefined });
    assert.deepEqual(eta(0, 0), { perHour: 0, hours: 0 });
  });

  it('estimates a pool file: 1,000 tasks, overlap 3, 5 real tasks a suite at $0.05', () => {
    const e = estimateCost({ tasks: 1000, overlap: 3, realPerSuite: 5, reward: 0.05 });
    assert.equal(e.suites, 600);
    assert.equal(e.rewards.toFixed(2), '30.00');
    assert.equal(e.fee.toFixed(2), '9.00');
    assert.equal(e.total.toFixed(2), '39.00');
    assert.equal(estimateCost({ tasks: 7, overlap: 1, realPerSuite: 5, reward: 0.01 }).suites, 2, 'a last suite part full counts');
    assert.equal(hourlyReward(0.05, 30)?.toFixed(2), '6.00');
    assert.equal(hourlyReward(0.05, undefined), undefined);
  });
});

describe('Pool dashboard: agreement, accuracy and time per Toloker', () => {
  it('works out a hand example', () => {
    const s = new PoolStats(output);
    // Task t1: a, b, c say cat, cat, dog (majority cat, share 2/3). Task t2: a, b say dog, dog (share 1).
    // Control task g1 (cat): a right, c wrong.
    s.add(answer('a', 't1', 'cat', 30, 0));
    s.add(answer('b', 't1', 'cat', 10, 1));
    s.add(answer('c', 't1', 'dog', 2, 1));
    s.add(answer('a', 't2', 'dog', 50, 70));
    s.add(answer('b', 't2', 'dog', 20, 71));
    s.add(answer('a', 'g1', 'cat', 40, 72, 'cat'));
    s.add(answer('c', 'g1', 'dog', 4, 72, 'cat'));
    const snap = s.snapshot();
    assert.equal(snap.assignments, 7);
    assert.equal(snap.mainField, 'result');
    assert.equal(snap.agreement?.toFixed(4), ((2 / 3 + 1) / 2).toFixed(4));
    assert.deepEqual(snap.fields.find((f) => f.field === 'result')?.counts, [['"dog"', 4], ['"cat"', 3]]);
    assert.equal(snap.fields.some((f) => f.field === 'note'), false, 'free text is not counted by value');
    const by = new Map(snap.tolokers.map((t) => [t.workerId, t]));
    assert.deepEqual([by.get('a')?.goldenAccuracy, by.get('c')?.goldenAccuracy, by.get('b')?.goldenAccuracy], [1, 0, undefined]);
    assert.deepEqual([by.get('a')?.majorityAgreement, by.get('b')?.majorityAgreement, by.get('c')?.majorityAgreement], [1, 1, 0]);
    assert.deepEqual([by.get('a')?.medianSeconds, by.get('b')?.medianSeconds, by.get('c')?.medianSeconds], [40, 15, 3]);
    assert.equal(snap.medianSeconds, 20);
    // Noon: three submissions; 13:00: four.
    assert.deepEqual(snap.perHour.map(([t, n]) => [new Date(t).getUTCHours(), n]), [[12, 3], [13, 4]]);
    assert.equal(lastHour(snap.recentMinutes, Date.UTC(2026, 11, 1, 13, 30)), 4);
  });
});

describe('Pool dashboard: data from the sandbox', () => {
  it("computes the analytics API's metrics from the sandbox's own records", async () => {
    const h = await harness({ quotas: false, tolokers: { assignmentsPerSecond: 3000, thinkMs: [1, 3] } });
    try {
      const project = await h.client.projects.create(classificationProject);
      const pool = await h.client.pools.create(poolFor(project.id ?? '', { reward_per_assignment: 0.02 }));
      await h.client.tasks.createMany(tasks(pool.id ?? '', 20), { openPool: true });
      await until('the pool to complete', async () => (await h.client.pools.get(pool.id ?? '')).status === 'CLOSED');
      const got = await h.client.analytics.pool(pool.id ?? '', ['real_tasks_count', 'approved_assignments_count', 'submitted_assignments_count', 'completion_percentage', 'spent_budget', 'unique_workers_count', 'unique_submitters_count', 'estimated_assignments_count', 'avg_submit_assignment_millis', 'skipped_assignments_count', 'rejected_assignments_count', 'active_workers_by_filter_count']);
      const assignments = h.sandbox.state.pools.get(pool.id ?? '')?.data.assignments ?? [];
      const approved = assignments.filter((a) => a.status === 'ACCEPTED');
      assert.equal(got.real_tasks_count, 20);
      assert.equal(got.approved_assignments_count, approved.length);
      assert.equal(got.completion_percentage, 100);
      assert.equal(got.estimated_assignments_count, 0);
      assert.equal(got.spent_budget?.toFixed(6), (approved.length * (0.02 + feeFor(0.02))).toFixed(6));
      assert.equal(got.unique_workers_count, new Set(assignments.map((a) => a.user_id)).size);
      assert.ok((got.avg_submit_assignment_millis ?? -1) >= 0);
      assert.deepEqual(got, poolMetrics(h.sandbox.state.pools.get(pool.id ?? '') as never, Date.now()), 'the route answers what the records say');
      await assert.rejects(h.client.analytics.start([{ subject: 'POOL', subject_id: '999', name: 'real_tasks_count' }]), /ENTITY_DOES_NOT_EXIST|subject_id/);

      // The collector reads the pool's assignments into the worker once, and a refresh adds nothing new.
      const worker = new StatsWorkerClient(path.join(repoRoot, 'dist', 'statsWorker.js'));
      try {
        worker.init(classificationProject.task_spec.output_spec);
        const collector = new PoolCollector(h.client, pool.id ?? '', worker);
        const first = await collector.collect();
        const submittedOrLater = assignments.filter((a) => a.submitted).length;
        assert.equal(first, submittedOrLater);
        assert.equal(await collector.collect(), 0, 'a refresh counts nothing twice');
        const snap = await worker.snapshot();
        assert.equal(snap.assignments, submittedOrLater);
        assert.equal(snap.tolokers.reduce((n, t) => n + t.assignments, 0), submittedOrLater);
      } finally {
        worker.dispose();
      }
    } finally {
      await h.stop();
    }
  });
});

describe("Toloka's date-times, read fast", () => {
  it('reads every form the API writes exactly as the Date parser does, and refuses nothing it accepts', () => {
    const forms = ['2026-12-04T20:15:07', '2026-12-04T20:15', '2026-12-04T20:15:07.5', '2026-12-04T20:15:07.123', '2026-12-04T20:15:07.123456', '2026-12-04T20:15:07Z', '2026-12-04T20:15:07.98Z', '2024-02-29T23:59:59.999', '1999-12-31T00:00:00'];
    for (const s of forms) assert.equal(dateTimeMs(s), parseDateTime(s).getTime(), s);
    assert.ok(Number.isNaN(dateTimeMs('not a date')), 'garbage is NaN, as Date says');
    assert.equal(dateTimeMs('2026-12-04T20:15:0x'), parseDateTime('2026-12-04T20:15:0x').getTime());
  });
});

describe("The skills a pool's dashboard shows", () => {
  it('are those its filter, rules, conditions and dynamic overlap name, each once, in the order named', () => {
    const pool = {
      filter: { and: [{ or: [{ category: 'skill', key: '11', operator: 'GTE', value: 70 }] }, { category: 'profile', key: 'languages', operator: 'IN', value: 'EN' }] },
      quality_control: {
        configs: [
          { collector_config: { type: 'USERS_ASSESSMENT' }, rules: [{ conditions: [{ key: 'skill_id', operator: 'EQ', value: 22 }], action: { type: 'CHANGE_OVERLAP', parameters: { delta: 1 } } }] },
          { collector_config: { type: 'GOLDEN_SET' }, rules: [{ conditions: [], action: { type: 'SET_SKILL_FROM_OUTPUT_FIELD', parameters: { skill_id: '11', from_field: 'correct_answers_rate' } } }] },
        ],
      },
      dynamic_overlap_config: { type: 'BASIC', answer_weight_skill_id: '33', max_overlap: 5, min_overlap: 3 },
    };
    assert.deepEqual(poolSkillIds(pool as never), ['11', '22', '33']);
    assert.deepEqual(poolSkillIds({} as never), []);
  });
});
