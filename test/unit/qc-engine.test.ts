/**
 * The quality-control engine against cases worked out by hand from Toloka's docs: one per
 * collector (with its parameters and condition keys) and one per action.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { holds, QcEngine, type Answer, type QcEffects, type RestrictionScope, type RuleRef } from '../../src/sandbox/qc/engine';
import { filterSkills, passesFilter } from '../../src/sandbox/qc/filter';
import { QualityControlConfig } from '../../src/toloka/models';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 11, 1, 12, 0);

type Call =
  | { kind: 'restrict'; user: string; scope: RestrictionScope; untilMs: number | undefined; rule: string }
  | { kind: 'skill'; user: string; skillId: string; value: number; rule: string }
  | { kind: 'overlap'; suites: readonly string[]; delta: number; openPool: boolean; rule: string }
  | { kind: 'rejectAll' | 'approveAll'; user: string; rule: string };

/** Records what the rules do; the Toloker's completed suites are given by the test. */
function recorder(suites: Record<string, string[]> = {}): { effects: QcEffects; calls: Call[] } {
  const calls: Call[] = [];
  const rule = (by: RuleRef): string => `${by.config}/${by.rule}`;
  return {
    calls,
    effects: {
      restrict: (user, scope, untilMs, _c, by) => calls.push({ kind: 'restrict', user, scope, untilMs, rule: rule(by) }),
      setSkill: (user, skillId, value, by) => calls.push({ kind: 'skill', user, skillId, value, rule: rule(by) }),
      changeOverlap: (s, delta, openPool, by) => calls.push({ kind: 'overlap', suites: s, delta, openPool, rule: rule(by) }),
      rejectAll: (user, _c, by) => calls.push({ kind: 'rejectAll', user, rule: rule(by) }),
      approveAll: (user, by) => calls.push({ kind: 'approveAll', user, rule: rule(by) }),
      suitesOf: (user) => suites[user] ?? [],
    },
  };
}

function engine(configs: unknown[], suites?: Record<string, string[]>): { qc: QcEngine; calls: Call[] } {
  const parsed = configs.map((c) => QualityControlConfig.parse(c));
  const { effects, calls } = recorder(suites);
  return { qc: new QcEngine(parsed, effects), calls };
}

let n = 0;
/** A submit of one task; `known` makes it a control task. */
function submit(qc: QcEngine, user: string, answer: Answer, o: { known?: Answer; seconds?: number; at?: number; reward?: number; suite?: string; next?: boolean } = {}): void {
  n++;
  const at = o.at ?? T0 + n * 60_000;
  qc.handle({
    kind: 'submit', user, assignmentId: `a${n}`, suiteId: o.suite ?? `s${n}`, startedMs: at - (o.seconds ?? 30) * 1000, submittedMs: at, reward: o.reward ?? 0.01,
    tasks: [{ taskId: `t${n}`, answer, ...(o.known ? { known: [o.known] } : {}) }],
    ...(o.next !== undefined ? { nextAssignmentAvailable: o.next } : {}),
  });
}

const ban = (scope: string, duration?: number, unit = 'DAYS') => ({ type: 'RESTRICTION_V2', parameters: { scope, duration_unit: unit, ...(duration !== undefined ? { duration } : {}) } });

describe('Quality control: each collector as the docs compute it', () => {
  it('GOLDEN_SET (goldenset.md): skill from the last 10 control answers once more than 7, a 10-day ban below 75%', () => {
    const { qc, calls } = engine([{
      collector_config: { type: 'GOLDEN_SET', parameters: { history_size: 10 } },
      rules: [
        { conditions: [{ key: 'golden_set_answers_count', operator: 'GT', value: 7 }], action: { type: 'SET_SKILL_FROM_OUTPUT_FIELD', parameters: { skill_id: '42', from_field: 'golden_set_correct_answers_rate' } } },
        { conditions: [{ key: 'golden_set_answers_count', operator: 'GT', value: 7 }, { key: 'golden_set_correct_answers_rate', operator: 'LT', value: 75 }], action: ban('PROJECT', 10) },
      ],
    }]);
    const right = { result: 'cat' };
    const wrong = { result: 'dog' };
    // 7 control answers (5 right, 2 wrong): "more than 7" does not hold yet.
    for (const a of [right, wrong, right, right, wrong, right, right]) submit(qc, 'w1', a, { known: right });
    assert.equal(calls.length, 0);
    // A real task (no known solution) changes nothing and evaluates nothing.
    submit(qc, 'w1', wrong);
    assert.equal(calls.length, 0);
    // The 8th: 5 of 8 right = 62.5% → the skill, and a ban (62.5 < 75) for 10 days from now.
    const at = T0 + 1000 * DAY;
    submit(qc, 'w1', wrong, { known: right, at });
    assert.deepEqual(calls, [
      { kind: 'skill', user: 'w1', skillId: '42', value: 62.5, rule: '0/0' },
      { kind: 'restrict', user: 'w1', scope: 'PROJECT', untilMs: at + 10 * DAY, rule: '0/1' },
    ]);
    // Four right answers more: 6/9 = 66.7% and 7/10 = 70% still ban; then the window keeps the last 10:
    // W R R W R R W R R R = 70% bans; R R W R R W R R R R = 80% only sets the skill.
    calls.length = 0;
    for (let i = 0; i < 4; i++) submit(qc, 'w1', right, { known: right });
    assert.deepEqual(calls.filter((c) => c.kind === 'skill').map((c) => c.kind === 'skill' && c.value.toFixed(2)), ['66.67', '70.00', '70.00', '80.00']);
    assert.equal(calls.filter((c) => c.kind === 'restrict').length, 3);
  });

  it('MAJORITY_VOTE (mv.md): counted only where 3 or more answers agree; skill 43 after more than 2 tasks', () => {
    const { qc, calls } = engine([{
      collector_config: { type: 'MAJORITY_VOTE', parameters: { answer_threshold: 3, history_size: 10 } },
      rules: [
        { conditions: [{ key: 'total_answers_count', operator: 'GT', value: 2 }], action: { type: 'SET_SKILL_FROM_OUTPUT_FIELD', parameters: { skill_id: '43', from_field: 'correct_answers_rate' } } },
        { conditions: [{ key: 'total_answers_count', operator: 'GTE', value: 5 }, { key: 'incorrect_answers_rate', operator: 'GT', value: 30 }], action: ban('PROJECT', 10) },
      ],
    }]);
    const task = (id: string, labels: string[]) => qc.handle({ kind: 'taskComplete', taskId: id, answers: labels.map((l, i) => ({ user: `w${i + 1}`, answer: { result: l } })), atMs: T0 });
    task('t1', ['cat', 'cat', 'dog', 'dog', 'other']); // no answer has 3 votes: not counted
    task('t2', ['cat', 'cat', 'cat', 'dog', 'dog']);
    task('t3', ['cat', 'cat', 'cat', 'cat', 'dog']);
    assert.equal(calls.length, 0);
    task('t4', ['dog', 'dog', 'dog', 'cat', 'dog']);
    // Three counted tasks each (t1 has no answer with 3 votes): majorities cat, cat, dog.
    const skills = Object.fromEntries(calls.filter((c) => c.kind === 'skill').map((c) => [c.user, c.value]));
    // w1: cat✓ cat✓ dog✓ = 100; w3: cat✓ cat✓ dog✓ = 100; w4: dog✗ cat✓ cat✗ = 33.3…; w5: dog✗ dog✗ dog✓ = 33.3…
    assert.equal(skills['w1'], 100);
    assert.equal((skills['w4'] as number).toFixed(4), '33.3333');
    assert.equal((skills['w5'] as number).toFixed(4), '33.3333');
    assert.equal(calls.filter((c) => c.kind === 'restrict').length, 0, 'only 3 counted tasks: the ban needs 5');
  });

  it('ASSIGNMENT_SUBMIT_TIME (fast.md): 4 of the last 10 suites under 3 seconds bans; 3 do not', () => {
    const config = { collector_config: { type: 'ASSIGNMENT_SUBMIT_TIME', parameters: { history_size: 10, fast_submit_threshold_seconds: 3 } }, rules: [{ conditions: [{ key: 'total_submitted_count', operator: 'EQ', value: 10 }, { key: 'fast_submitted_count', operator: 'GTE', value: 4 }], action: ban('PROJECT', 10) }] };
    const a = engine([config]);
    for (const s of [1, 2, 2.9, 30, 30, 30, 30, 30, 30]) submit(a.qc, 'w1', {}, { seconds: s });
    assert.equal(a.calls.length, 0, '9 suites: total_submitted_count is not 10 yet');
    submit(a.qc, 'w1', {}, { seconds: 3 }); // exactly 3 s is not fast
    assert.equal(a.calls.length, 0, 'three fast of ten');
    const b = engine([config]);
    for (const s of [1, 2, 2.9, 0.5, 30, 30, 30, 30, 30, 30]) submit(b.qc, 'w2', {}, { seconds: s });
    assert.equal(b.calls.length, 1);
    assert.equal(b.calls[0]?.kind, 'restrict');
  });

  it('SKIPPED_IN_ROW_ASSIGNMENTS (skipped.md): 10 skips in a row ban; a submit resets the count', () => {
    const { qc, calls } = engine([{ collector_config: { type: 'SKIPPED_IN_ROW_ASSIGNMENTS' }, rules: [{ conditions: [{ key: 'skipped_in_row_count', operator: 'GTE', value: 10 }], action: ban('PROJECT', 12, 'HOURS') }] }]);
    const skip = (at: number) => qc.handle({ kind: 'skip', user: 'w1', assignmentId: 'x', suiteId: 'x', atMs: at });
    for (let i = 0; i < 9; i++) skip(T0);
    submit(qc, 'w1', {});
    for (let i = 0; i < 9; i++) skip(T0);
    assert.equal(calls.length, 0);
    skip(T0 + 5);
    assert.deepEqual(calls, [{ kind: 'restrict', user: 'w1', scope: 'PROJECT', untilMs: T0 + 5 + 12 * 3_600_000, rule: '0/0' }]);
  });

  it('ANSWER_COUNT (completed.md): the 12th suite bans from the pool for 30 minutes', () => {
    const { qc, calls } = engine([{ collector_config: { type: 'ANSWER_COUNT' }, rules: [{ conditions: [{ key: 'assignments_accepted_count', operator: 'GTE', value: 12 }], action: ban('POOL', 30, 'MINUTES') }] }]);
    for (let i = 0; i < 11; i++) submit(qc, 'w1', {});
    assert.equal(calls.length, 0);
    submit(qc, 'w1', {}, { at: T0 });
    assert.deepEqual(calls, [{ kind: 'restrict', user: 'w1', scope: 'POOL', untilMs: T0 + 30 * 60_000, rule: '0/0' }]);
  });

  it('INCOME (earn_limit.md): $20 within 24 hours bans from all projects; older earnings fall out', () => {
    const { qc, calls } = engine([{ collector_config: { type: 'INCOME' }, rules: [{ conditions: [{ key: 'income_sum_for_last_24_hours', operator: 'GTE', value: 20 }], action: ban('ALL_PROJECTS', 10) }] }]);
    submit(qc, 'w1', {}, { reward: 5, at: T0 });
    submit(qc, 'w1', {}, { reward: 5, at: T0 + 10 * 3_600_000 });
    submit(qc, 'w1', {}, { reward: 5, at: T0 + 20 * 3_600_000 });
    // 25 h after the first: it falls out of the day, $15 in the last 24 hours.
    submit(qc, 'w1', {}, { reward: 5, at: T0 + 25 * 3_600_000 });
    assert.equal(calls.length, 0);
    submit(qc, 'w1', {}, { reward: 5, at: T0 + 26 * 3_600_000 });
    assert.equal(calls[0]?.kind === 'restrict' && calls[0].scope, 'ALL_PROJECTS');
  });

  it('ACCEPTANCE_RATE (accept_ban.md): over 40% of the last 10 reviews rejected bans', () => {
    const { qc, calls } = engine([{ collector_config: { type: 'ACCEPTANCE_RATE', parameters: { history_size: 10 } }, rules: [{ conditions: [{ key: 'total_assignments_count', operator: 'GTE', value: 10 }, { key: 'rejected_assignments_rate', operator: 'GT', value: 40 }], action: ban('PROJECT', 10) }] }]);
    const review = (verdict: 'ACCEPT' | 'REJECT') => qc.handle({ kind: 'assess', user: 'w1', assignmentId: 'a', suiteId: 's', verdict, atMs: T0 });
    for (let i = 0; i < 9; i++) review(i < 5 ? 'ACCEPT' : 'REJECT');
    assert.equal(calls.length, 0, '9 reviews: fewer than 10');
    review('ACCEPT'); // A A A A A R R R R A: 40%, not over 40%
    assert.equal(calls.length, 0);
    review('REJECT'); // the window drops an ACCEPT: A A A A R R R R A R = 50%
    assert.equal(calls.length, 1);
  });

  it('ASSIGNMENTS_ASSESSMENT (reassessment.md): a rejected suite is sent again with overlap +1, reopening the pool', () => {
    const { qc, calls } = engine([{
      collector_config: { type: 'ASSIGNMENTS_ASSESSMENT' },
      rules: [{ conditions: [{ key: 'rejected_assignments_count', operator: 'GTE', value: '1' }, { key: 'assessment_event', operator: 'EQ', value: 'REJECT' }], action: { type: 'CHANGE_OVERLAP', parameters: { delta: 1, open_pool: true } } }],
    }]);
    submit(qc, 'w1', {}, { suite: 'suite-1' });
    submit(qc, 'w2', {}, { suite: 'suite-2' });
    qc.handle({ kind: 'assess', user: 'w1', assignmentId: 'a', suiteId: 'suite-1', verdict: 'ACCEPT', atMs: T0 });
    assert.equal(calls.length, 0);
    qc.handle({ kind: 'assess', user: 'w2', assignmentId: 'b', suiteId: 'suite-2', verdict: 'REJECT', atMs: T0 });
    assert.deepEqual(calls, [{ kind: 'overlap', suites: ['suite-2'], delta: 1, openPool: true, rule: '0/0' }]);
  });

  it('USERS_ASSESSMENT (recompletion docs): losing access by a change of skill 2626 recompletes the suites once, with open_pool', () => {
    const { qc, calls } = engine([{
      collector_config: { type: 'USERS_ASSESSMENT' },
      rules: [{ conditions: [{ key: 'pool_access_revoked_reason', operator: 'EQ', value: 'SKILL_CHANGE' }, { key: 'skill_id', operator: 'EQ', value: 2626 }], action: { type: 'CHANGE_OVERLAP', parameters: { delta: 1, open_pool: true } } }],
    }], { w1: ['suite-7'], w2: ['suite-8'] });
    qc.handle({ kind: 'accessRevoked', user: 'w2', reason: 'RESTRICTION', atMs: T0 });
    qc.handle({ kind: 'accessRevoked', user: 'w2', reason: 'SKILL_CHANGE', skillId: '1111', atMs: T0 });
    assert.equal(calls.length, 0, 'another reason, another skill');
    qc.handle({ kind: 'accessRevoked', user: 'w1', reason: 'SKILL_CHANGE', skillId: '2626', atMs: T0 });
    assert.deepEqual(calls, [{ kind: 'overlap', suites: ['suite-7'], delta: 1, openPool: true, rule: '0/0' }]);
  });

  it('CAPTCHA: under 60% of the last 5 captchas solved bans for 3 hours', () => {
    const { qc, calls } = engine([{ collector_config: { type: 'CAPTCHA', parameters: { history_size: 5 } }, rules: [{ conditions: [{ key: 'stored_results_count', operator: 'GTE', value: 5 }, { key: 'success_rate', operator: 'LT', value: 60 }], action: ban('ALL_PROJECTS', 3, 'HOURS') }] }]);
    const captcha = (success: boolean) => qc.handle({ kind: 'captcha', user: 'w1', success, atMs: T0 });
    for (const s of [true, false, true, false, true]) captcha(s); // 60%: not under
    assert.equal(calls.length, 0);
    captcha(false); // last 5: F T F T F = 40%
    assert.deepEqual(calls, [{ kind: 'restrict', user: 'w1', scope: 'ALL_PROJECTS', untilMs: T0 + 3 * 3_600_000, rule: '0/0' }]);
  });

  it('TRAINING: the training pool bans a Toloker under 50% correct once no suite is left', () => {
    const { qc, calls } = engine([{
      collector_config: { type: 'TRAINING' },
      rules: [{ conditions: [{ key: 'next_assignment_available', operator: 'EQ', value: false }, { key: 'correct_answers_rate', operator: 'LT', value: 50 }], action: ban('POOL') }],
    }]);
    const known = { result: 'cat' };
    submit(qc, 'w1', { result: 'dog' }, { known, next: true });
    submit(qc, 'w1', { result: 'cat' }, { known, next: true });
    assert.equal(calls.length, 0);
    submit(qc, 'w1', { result: 'dog' }, { known, next: false }); // 1 of 3
    assert.deepEqual(calls, [{ kind: 'restrict', user: 'w1', scope: 'POOL', untilMs: undefined, rule: '0/0' }]);
  });
});

describe('Quality control: a snapshot of the figures (the sandbox data file)', () => {
  it('taken back by a fresh engine, goes on exactly as the engine it came from', () => {
    const configs = [
      { collector_config: { type: 'GOLDEN_SET', parameters: { history_size: 3 } }, rules: [{ conditions: [{ key: 'total_answers_count', operator: 'GTE', value: 3 }, { key: 'correct_answers_rate', operator: 'LT', value: 50 }], action: ban('POOL') }] },
      { collector_config: { type: 'SKIPPED_IN_ROW_ASSIGNMENTS', parameters: {} }, rules: [{ conditions: [{ key: 'skipped_in_row_count', operator: 'EQ', value: 3 }], action: ban('PROJECT', 1) }] },
      { collector_config: { type: 'INCOME', parameters: {} }, rules: [{ conditions: [{ key: 'income_sum_for_last_24_hours', operator: 'GTE', value: 0.05 }], action: ban('ALL_PROJECTS', 1) }] },
      { collector_config: { type: 'ASSIGNMENTS_ASSESSMENT', parameters: {} }, rules: [{ conditions: [{ key: 'rejected_assignments_count', operator: 'GTE', value: 1 }], action: { type: 'CHANGE_OVERLAP', parameters: { delta: 1, open_pool: true } } }] },
    ];
    const a = engine(configs);
    const right = { result: 'cat' };
    const skip = (qc: QcEngine, user: string, i: number) => qc.handle({ kind: 'skip', user, assignmentId: `k${i}`, suiteId: `k${i}`, atMs: T0 + i });
    submit(a.qc, 'w1', { result: 'dog' }, { known: right, suite: 'x1' });
    submit(a.qc, 'w1', { result: 'dog' }, { known: right, suite: 'x2' });
    submit(a.qc, 'w2', right, { known: right });
    skip(a.qc, 'w2', 1);
    skip(a.qc, 'w2', 2);
    assert.equal(a.calls.length, 0, 'every rule is one event short');
    const b = engine(configs);
    b.qc.restore(JSON.parse(JSON.stringify(a.qc.snapshot())) as ReturnType<QcEngine['snapshot']>);
    assert.deepEqual(b.qc.snapshot(), a.qc.snapshot());
    for (const e of [a, b]) {
      const saved = n;
      submit(e.qc, 'w1', { result: 'dog' }, { known: right });
      skip(e.qc, 'w2', 3);
      e.qc.handle({ kind: 'assess', user: 'w1', assignmentId: 'a1', suiteId: 'x1', verdict: 'REJECT', atMs: T0 });
      submit(e.qc, 'w1', { result: 'x' }, { reward: 0.05 });
      n = saved;
    }
    assert.deepEqual(b.calls, a.calls);
    assert.deepEqual(a.calls.map((c) => [c.kind, c.rule]), [['restrict', '0/0'], ['restrict', '1/0'], ['overlap', '3/0'], ['restrict', '2/0']]);
    assert.deepEqual([...b.qc.fired], [...a.qc.fired]);
  });
});

describe('Quality control: each action', () => {
  const golden = (action: unknown) => engine([{ collector_config: { type: 'GOLDEN_SET', parameters: { history_size: 5 } }, rules: [{ conditions: [{ key: 'total_answers_count', operator: 'GTE', value: 1 }], action }] }]);
  const once = (action: unknown): Call[] => {
    const { qc, calls } = golden(action);
    submit(qc, 'w1', { result: 'dog' }, { known: { result: 'cat' }, at: T0 });
    return calls;
  };

  it('RESTRICTION: duration_days, or permanent without it', () => {
    assert.deepEqual(once({ type: 'RESTRICTION', parameters: { scope: 'POOL', duration_days: 2 } }), [{ kind: 'restrict', user: 'w1', scope: 'POOL', untilMs: T0 + 2 * DAY, rule: '0/0' }]);
    assert.deepEqual(once({ type: 'RESTRICTION', parameters: { scope: 'ALL_PROJECTS' } }), [{ kind: 'restrict', user: 'w1', scope: 'ALL_PROJECTS', untilMs: undefined, rule: '0/0' }]);
  });

  it('RESTRICTION_V2: scope and duration in minutes, hours, days, or PERMANENT', () => {
    assert.equal((once(ban('PROJECT', 30, 'MINUTES'))[0] as { untilMs: number }).untilMs, T0 + 30 * 60_000);
    assert.equal((once(ban('PROJECT', 12, 'HOURS'))[0] as { untilMs: number }).untilMs, T0 + 12 * 3_600_000);
    assert.equal((once(ban('PROJECT', 10, 'DAYS'))[0] as { untilMs: number }).untilMs, T0 + 10 * DAY);
    assert.equal((once(ban('PROJECT', undefined, 'PERMANENT'))[0] as { untilMs: number | undefined }).untilMs, undefined);
  });

  it('SET_SKILL: a fixed value; SET_SKILL_FROM_OUTPUT_FIELD: the figure named', () => {
    assert.deepEqual(once({ type: 'SET_SKILL', parameters: { skill_id: '7', skill_value: 15 } }), [{ kind: 'skill', user: 'w1', skillId: '7', value: 15, rule: '0/0' }]);
    assert.deepEqual(once({ type: 'SET_SKILL_FROM_OUTPUT_FIELD', parameters: { skill_id: '7', from_field: 'incorrect_answers_rate' } }), [{ kind: 'skill', user: 'w1', skillId: '7', value: 100, rule: '0/0' }]);
  });

  it('CHANGE_OVERLAP: delta and open_pool on the suite concerned', () => {
    assert.deepEqual(once({ type: 'CHANGE_OVERLAP', parameters: { delta: 2 } }).map((c) => c.kind === 'overlap' && [c.delta, c.openPool, c.suites.length]), [[2, false, 1]]);
  });

  it('REJECT_ALL_ASSIGNMENTS and APPROVE_ALL_ASSIGNMENTS act on the Toloker', () => {
    assert.deepEqual(once({ type: 'REJECT_ALL_ASSIGNMENTS', parameters: { public_comment: 'Wrong answers in control tasks' } }), [{ kind: 'rejectAll', user: 'w1', rule: '0/0' }]);
    assert.deepEqual(once({ type: 'APPROVE_ALL_ASSIGNMENTS', parameters: {} }), [{ kind: 'approveAll', user: 'w1', rule: '0/0' }]);
  });

  it('conditions compare counts sent as strings and never hold on a rate with no answers', () => {
    assert.equal(holds(3, 'GTE', '3'), true);
    assert.equal(holds(Number.NaN, 'LT', 60), false);
    assert.equal(holds('REJECT', 'EQ', 'REJECT'), true);
    assert.equal(holds('REJECT', 'GT', 'A'), false);
    assert.equal(holds(false, 'EQ', false), true);
  });
});

describe('Access: filters', () => {
  const who = { skills: new Map([['1124', 60]]), attributes: { languages: ['EN', 'DE'], region_by_ip: 84, client_type: 'BROWSER' } };

  it('skills, languages and regions in and/or trees; a Toloker without the skill passes only "EQ" with no value', () => {
    assert.equal(passesFilter({ and: [{ category: 'skill', key: '1124', operator: 'GT', value: 59.7 }] }, who), true);
    assert.equal(passesFilter({ category: 'skill', key: '1124', operator: 'GTE', value: 70 }, who), false);
    assert.equal(passesFilter({ category: 'skill', key: '999', operator: 'LT', value: 70 }, who), false);
    assert.equal(passesFilter({ category: 'skill', key: '999', operator: 'EQ' }, who), true);
    assert.equal(passesFilter({ category: 'profile', key: 'languages', operator: 'IN', value: 'DE' }, who), true);
    assert.equal(passesFilter({ category: 'profile', key: 'languages', operator: 'NOT_IN', value: 'EN' }, who), false);
    assert.equal(passesFilter({ or: [{ category: 'computed', key: 'region_by_ip', operator: 'IN', value: 102 }, { category: 'computed', key: 'region_by_ip', operator: 'IN', value: 84 }] }, who), true);
    assert.equal(passesFilter({ category: 'computed', key: 'client_type', operator: 'EQ', value: 'TOLOKA_APP' }, who), false);
    assert.deepEqual([...filterSkills({ and: [{ category: 'skill', key: '1124', operator: 'GT', value: 1 }, { or: [{ category: 'skill', key: '7', operator: 'EQ' }] }] })], ['1124', '7']);
  });
});
