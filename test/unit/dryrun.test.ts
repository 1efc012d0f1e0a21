/**
 * Dry-runs: the pool's quality control run with a seeded crowd of archetypes at accelerated
 * time, and the report built from the run's records.
 */
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { crowdFromResults } from '../../src/files/crowdFromResults';
import { loadDryRun } from '../../src/files/dryRunFiles';
import { ArchetypeSpec, defaultCrowd, drawCrowd, parseCrowd, type CrowdSpec } from '../../src/sandbox/dryrun/crowd';
import { buildReport, reportMarkdown } from '../../src/sandbox/dryrun/report';
import { EventQueue } from '../../src/sandbox/dryrun/eventQueue';
import { Rng } from '../../src/sandbox/rng';
import { dryRun, type DryRunInput, type DryRunPool, type DryRunTask } from '../../src/sandbox/dryrun/simulate';
import type { FieldSpecMap } from '../../src/toloka/models';
import { repoRoot } from '../runners/provision';
import { startSandboxProcess } from '../../scripts/bench/sandboxProcess';
import { TolokaClient } from '../../src/toloka/client';

const outputSpec: FieldSpecMap = { result: { type: 'string', required: true, allowed_values: ['cat', 'dog', 'other'] } };
const labels = ['cat', 'dog', 'other'];

function tasks(real: number, golden: number, overlap = 3): DryRunTask[] {
  const out: DryRunTask[] = [];
  for (let i = 0; i < real; i++) out.push({ input_values: { image: `https://example.com/${i}.jpg` }, overlap });
  for (let i = 0; i < golden; i++) out.push({ input_values: { image: `https://example.com/g${i}.jpg` }, known_solutions: [{ output_values: { result: labels[i % 3] } }] });
  return out;
}

const crowd = (size: number, archetypes: Array<Partial<ArchetypeSpec> & { name: string; share: number }>, skills: Record<string, number> = {}): CrowdSpec =>
  parseCrowd({ size, archetypes, skills });

const goldenBan = {
  collector_config: { type: 'GOLDEN_SET', parameters: { history_size: 10 } },
  rules: [{ conditions: [{ key: 'total_answers_count', operator: 'GTE', value: 4 }, { key: 'correct_answers_rate', operator: 'LT', value: 60 }], action: { type: 'RESTRICTION_V2', parameters: { scope: 'PROJECT', duration_unit: 'PERMANENT' } } }],
} as const;

function input(pool: DryRunPool, t: DryRunTask[], c: CrowdSpec, seed = 7): DryRunInput {
  return { outputSpec, pool, tasks: t, crowd: c, seed };
}

describe("Dry-run: the event queue", () => {
  it('gives events by time, and those at the same time in the order they were scheduled', () => {
    const q = new EventQueue<{ t: number; name: string }>();
    const rng = new Rng(3);
    const pushed = Array.from({ length: 500 }, (_, i) => ({ t: Math.floor(rng.next() * 20), name: `e${i}` }));
    for (const e of pushed) q.push(e);
    assert.equal(q.size, 500);
    const out: string[] = [];
    for (let e = q.pop(); e; e = q.pop()) out.push(e.name);
    const expected = [...pushed].map((e, i) => ({ ...e, i })).sort((a, b) => a.t - b.t || a.i - b.i).map((e) => e.name);
    assert.deepEqual(out, expected);
    assert.equal(q.pop(), undefined);
  });
});

describe('Dry-run: recompletion as the docs describe it', () => {
  it('a Toloker who loses access by a change of skill 2626 has the suite recompleted once, and the closed pool reopens', async () => {
    const pool: DryRunPool = {
      reward_per_assignment: 0.05,
      mixer_config: { real_tasks_count: 1, golden_tasks_count: 1 },
      filter: { and: [{ category: 'skill', key: '2626', operator: 'GTE', value: 70 }] },
      quality_control: {
        configs: [
          { collector_config: { type: 'GOLDEN_SET', parameters: { history_size: 5 } }, rules: [{ conditions: [{ key: 'total_answers_count', operator: 'GTE', value: 1 }], action: { type: 'SET_SKILL_FROM_OUTPUT_FIELD', parameters: { skill_id: '2626', from_field: 'correct_answers_rate' } } }] },
          { collector_config: { type: 'USERS_ASSESSMENT' }, rules: [{ conditions: [{ key: 'pool_access_revoked_reason', operator: 'EQ', value: 'SKILL_CHANGE' }, { key: 'skill_id', operator: 'EQ', value: 2626 }], action: { type: 'CHANGE_OVERLAP', parameters: { delta: 1, open_pool: true } } }] },
        ] as never,
      },
    };
    // One Toloker who gets every control task wrong, with skill 2626 at 100 to start with.
    const r = await dryRun(input(pool, tasks(1, 3, 1), crowd(1, [{ name: 'wrong', share: 1, accuracy: 0 }], { 2626: 100 })));
    assert.equal(r.assignments.length, 1, 'one suite, then no access');
    assert.equal(r.skills.at(-1)?.value, 0);
    assert.equal(r.recompletions.length, 1, 'recompleted once');
    assert.deepEqual([r.recompletions[0]?.suiteId, r.recompletions[0]?.delta, r.recompletions[0]?.reopened], [r.assignments[0]?.suiteId, 1, true]);
    assert.equal(r.pools.pool.reopened, 1);
    assert.equal(r.pools.pool.status, 'OPEN', 'reopened, waiting for a Toloker who may take the task');
    assert.equal(r.pools.pool.tasks[0]?.remaining, 1);
    const report = buildReport(r, 7);
    assert.equal(report.recompletions.suites, 1);
    assert.ok(report.findings.some((f) => f.includes('did not complete')), report.findings.join('\n'));
  });
});

describe('Dry-run: a seeded crowd', () => {
  const spammy = crowd(60, [
    { name: 'careful', share: 0.5, accuracy: 0.95, secondsPerTask: [10, 30] },
    { name: 'constant spammer', share: 0.25, strategy: 'constant', secondsPerTask: [1, 2] },
    { name: 'random clicker', share: 0.25, strategy: 'random', secondsPerTask: [1, 3] },
  ]);
  const pool: DryRunPool = { reward_per_assignment: 0.02, defaults: { default_overlap_for_new_tasks: 3 }, mixer_config: { real_tasks_count: 4, golden_tasks_count: 1 }, quality_control: { configs: [goldenBan as never] } };

  it('a golden-set rule bans the spammers and few careful Tolokers, and the same seed gives the same run', async () => {
    const r = await dryRun(input(pool, tasks(600, 60), spammy));
    const report = buildReport(r, 7);
    const by = Object.fromEntries(report.archetypes.map((a) => [a.archetype, a]));
    assert.equal(report.pool.status, 'CLOSED');
    assert.ok((by['constant spammer']?.banned ?? 0) >= 12, JSON.stringify(by));
    assert.ok((by['random clicker']?.banned ?? 0) >= 10, JSON.stringify(by));
    assert.ok((by['careful']?.banned ?? 0) <= 2, JSON.stringify(by));
    assert.ok((report.accuracy.methods['MV'] ?? 0) > 0.9, JSON.stringify(report.accuracy));
    const again = buildReport(await dryRun(input(pool, tasks(600, 60), spammy)), 7);
    assert.deepEqual(again, report);
    const other = buildReport(await dryRun(input(pool, tasks(600, 60), spammy, 8)), 8);
    assert.notEqual(other.simulatedHours, report.simulatedHours, "another seed, another run");
  });

  it("the report's figures are the run's records: assignments by status, cost with Toloka's fee, bans by rule", async () => {
    const r = await dryRun(input(pool, tasks(200, 40), spammy));
    const report = buildReport(r, 7);
    const main = r.assignments.filter((a) => a.pool === 'pool');
    assert.equal(Object.values(report.assignments).reduce((s, n) => s + n, 0), main.length);
    const paid = main.filter((a) => a.status === 'ACCEPTED').length;
    assert.equal(report.cost.rewards.toFixed(6), (paid * 0.02).toFixed(6));
    assert.equal(report.cost.fee.toFixed(6), (paid * 0.006).toFixed(6), '30% of $0.02, above the $0.005 minimum');
    assert.equal(report.bans.tolokers, new Set(r.bans.map((b) => b.member)).size);
    assert.equal(report.rules[0]?.subjects, report.bans.tolokers);
    // Every real task got its overlap of counted answers.
    for (const t of r.pools.pool.tasks) assert.ok(t.answers.size >= 3, `${t.id}: ${t.answers.size}`);
    const md = reportMarkdown(report, 'Cats');
    assert.match(md, /^# Dry-run of Cats/);
    assert.match(md, /\| GOLDEN_SET #1\.1 \| total_answers_count GTE 4 AND correct_answers_rate LT 60 \| RESTRICTION_V2 \| \d+ \| \d+ \|/);
  });

  it('archetypes: shares add up to the crowd, fast submitters are banned by a fast-response rule, skippers by skips in a row', async () => {
    assert.equal(drawCrowd(defaultCrowd, 3).length, 200);
    const counts = new Map<string, number>();
    for (const m of drawCrowd(defaultCrowd, 3)) counts.set(m.archetype.name, (counts.get(m.archetype.name) ?? 0) + 1);
    assert.equal(counts.get('careful'), 50);
    const c = crowd(40, [
      { name: 'careful', share: 0.5, accuracy: 0.95, secondsPerTask: [10, 30] },
      { name: 'fast submitter', share: 0.25, accuracy: 0.7, secondsPerTask: [0.2, 0.6] },
      { name: 'skipper', share: 0.25, accuracy: 0.9, skipRate: 0.8 },
    ]);
    const p: DryRunPool = {
      reward_per_assignment: 0.01,
      mixer_config: { real_tasks_count: 3 },
      quality_control: {
        configs: [
          { collector_config: { type: 'ASSIGNMENT_SUBMIT_TIME', parameters: { history_size: 5, fast_submit_threshold_seconds: 5 } }, rules: [{ conditions: [{ key: 'total_submitted_count', operator: 'GTE', value: 3 }, { key: 'fast_submitted_count', operator: 'GTE', value: 2 }], action: { type: 'RESTRICTION_V2', parameters: { scope: 'POOL', duration_unit: 'PERMANENT' } } }] },
          { collector_config: { type: 'SKIPPED_IN_ROW_ASSIGNMENTS' }, rules: [{ conditions: [{ key: 'skipped_in_row_count', operator: 'GTE', value: 4 }], action: { type: 'RESTRICTION', parameters: { scope: 'PROJECT' } } }] },
        ] as never,
      },
    };
    const report = buildReport(await dryRun(input(p, tasks(900, 0), c)), 7);
    const by = Object.fromEntries(report.archetypes.map((a) => [a.archetype, a]));
    assert.equal(by['fast submitter']?.banned, 10);
    assert.ok((by['skipper']?.banned ?? 0) >= 8, JSON.stringify(by));
    assert.equal(by['careful']?.banned, 0);
  });

  it('a training gates the pool: only Tolokers at or above the passing skill work on it, and learners improve', async () => {
    const c = crowd(40, [
      { name: 'careful', share: 0.5, accuracy: 0.95 },
      { name: 'random clicker', share: 0.25, strategy: 'random' },
      { name: 'learner', share: 0.25, accuracy: 0.5, learnPerTrainingTask: 0.1, maxAccuracy: 0.9 },
    ]);
    const p: DryRunPool = { mixer_config: { real_tasks_count: 2 }, reward_per_assignment: 0.01, quality_control: { training_requirement: { training_pool_id: 'T', training_passing_skill_value: 80 } } };
    const training = { pool: { mixer_config: { real_tasks_count: 0, golden_tasks_count: 0, training_tasks_count: 5 } }, tasks: tasks(0, 10).map((t) => ({ ...t, overlap: null })) };
    const r = await dryRun({ ...input(p, tasks(300, 0), c), training });
    const skill = new Map(r.skills.filter((s) => s.skillId === 'training').map((s) => [s.member, s.value]));
    assert.equal(skill.size, 40, 'everyone took the training');
    const workers = new Set(r.assignments.filter((a) => a.pool === 'pool').map((a) => a.member));
    for (const m of workers) assert.ok((skill.get(m) ?? 0) >= 80, `Toloker ${m} worked with training skill ${skill.get(m)}`);
    const learner = r.members.filter((m) => m.archetype.name === 'learner');
    assert.ok(learner.every((m) => m.accuracy > 0.5), 'learners got better');
    const report = buildReport(r, 7);
    assert.equal((report.training?.passed ?? 0) + (report.training?.failed ?? 0), 40);
    // Kept out by the training, not by a ban: counted per archetype, the random clickers above all.
    const failed = Object.fromEntries(report.archetypes.map((a) => [a.archetype, a.failedTraining]));
    assert.equal(Object.values(failed).reduce((x, y) => (x ?? 0) + (y ?? 0), 0), report.training?.failed);
    assert.equal(failed['random clicker'], r.members.filter((m) => m.archetype.name === 'random clicker' && (skill.get(m.index) ?? 0) < 80).length);
    assert.ok((failed['random clicker'] ?? 0) > (failed['careful'] ?? 0));
    assert.match(reportMarkdown(report, 'x'), /\| Archetype \| Tolokers \| Banned \| Failed training \|/);
  });

  it('findings: a rule that never fires, a majority the overlap cannot give, a fast threshold above the median time, a fraction for a percentage', async () => {
    const p: DryRunPool = {
      reward_per_assignment: 0.01,
      quality_control: {
        configs: [
          { collector_config: { type: 'MAJORITY_VOTE', parameters: { answer_threshold: 5 } }, rules: [{ conditions: [{ key: 'total_answers_count', operator: 'GTE', value: 3 }], action: { type: 'SET_SKILL', parameters: { skill_id: '1', skill_value: 1 } } }] },
          { collector_config: { type: 'ASSIGNMENT_SUBMIT_TIME', parameters: { history_size: 5, fast_submit_threshold_seconds: 600 } }, rules: [{ conditions: [{ key: 'total_submitted_count', operator: 'GTE', value: 6 }], action: { type: 'SET_SKILL', parameters: { skill_id: '2', skill_value: 1 } } }] },
          { collector_config: { type: 'ACCEPTANCE_RATE' }, rules: [{ conditions: [{ key: 'rejected_assignments_rate', operator: 'GT', value: 0.4 }], action: { type: 'SET_SKILL', parameters: { skill_id: '3', skill_value: 1 } } }] },
          { collector_config: { type: 'GOLDEN_SET' }, rules: [{ conditions: [{ key: 'golden_set_answers_count', operator: 'GT', value: 10 }], action: { type: 'SET_SKILL', parameters: { skill_id: '4', skill_value: 1 } } }] },
          { collector_config: { type: 'ANSWER_COUNT' }, rules: [{ conditions: [{ key: 'assignments_accepted_count', operator: 'GTE', value: 51 }], action: { type: 'SET_SKILL', parameters: { skill_id: '5', skill_value: 1 } } }] },
        ] as never,
      },
    };
    const report = buildReport(await dryRun(input(p, tasks(50, 8), crowd(10, [{ name: 'average', share: 1 }]))), 7);
    const text = report.findings.join('\n');
    assert.match(text, /MAJORITY_VOTE #1: answer_threshold 5 is more answers than the overlap \(3\) gives/);
    assert.match(text, /ASSIGNMENT_SUBMIT_TIME #2: fast_submit_threshold_seconds 600 is above the median suite time/);
    assert.match(text, /ASSIGNMENT_SUBMIT_TIME #2: total_submitted_count GTE 6 can never hold: history_size is 5/);
    assert.match(text, /ACCEPTANCE_RATE #3: rejected_assignments_rate GT 0.4 looks like a fraction/);
    assert.match(text, /MAJORITY_VOTE #1\.1 .* never fired/);
    assert.match(text, /GOLDEN_SET #4: golden_set_answers_count GT 10 can never hold: the pool has 8 control task\(s\)/);
    assert.match(text, /ANSWER_COUNT #5: assignments_accepted_count GTE 51 can never hold: a Toloker can do at most 50 suites/);
  });

  it('a rejected suite goes back with ASSIGNMENTS_ASSESSMENT, and REJECT_ALL_ASSIGNMENTS rejects a spammer\'s pending suites', async () => {
    const p: DryRunPool = {
      reward_per_assignment: 0.01,
      auto_accept_solutions: false,
      mixer_config: { real_tasks_count: 2, golden_tasks_count: 1 },
      quality_control: {
        configs: [
          { collector_config: { type: 'ASSIGNMENTS_ASSESSMENT' }, rules: [{ conditions: [{ key: 'assessment_event', operator: 'EQ', value: 'REJECT' }], action: { type: 'CHANGE_OVERLAP', parameters: { delta: 1, open_pool: true } } }] },
          { collector_config: { type: 'GOLDEN_SET' }, rules: [{ conditions: [{ key: 'total_answers_count', operator: 'GTE', value: 3 }, { key: 'correct_answers_rate', operator: 'LT', value: 50 }], action: { type: 'REJECT_ALL_ASSIGNMENTS', parameters: { public_comment: 'Control tasks' } } }] },
        ] as never,
      },
    };
    const c = crowd(20, [{ name: 'careful', share: 0.75, accuracy: 0.97 }, { name: 'constant spammer', share: 0.25, strategy: 'constant' }]);
    const r = await dryRun(input(p, tasks(100, 40), c));
    const rejected = r.assignments.filter((a) => a.status === 'REJECTED');
    assert.ok(rejected.length > 0);
    assert.equal(r.recompletions.length, rejected.length, 'each rejection recompletes its suite once');
    assert.equal(r.pools.pool.status, 'CLOSED', 'the recompleted suites were done too');
    for (const t of r.pools.pool.tasks) assert.ok(t.answers.size >= 3, `${t.id} has ${t.answers.size} counted answers`);
  });
});

describe('Dry-run: an archetype with a confusion matrix per class', () => {
  const confusion = { cat: { cat: 0.7, dog: 0.2, other: 0.1 }, dog: { cat: 0.05, dog: 0.95 }, other: { cat: 1, dog: 1, other: 2 } };
  const expected: Record<string, Record<string, number>> = { cat: { cat: 0.7, dog: 0.2, other: 0.1 }, dog: { cat: 0.05, dog: 0.95, other: 0 }, other: { cat: 0.25, dog: 0.25, other: 0.5 } };

  it("a seeded crowd's answers to real tasks follow the matrix, row by true label, instead of the accuracy", async () => {
    const c = crowd(40, [{ name: 'confused', share: 1, accuracy: 0.1, confusion, secondsPerTask: [5, 10] }]);
    const pool: DryRunPool = { reward_per_assignment: 0.01, defaults: { default_overlap_for_new_tasks: 3 }, mixer_config: { real_tasks_count: 5, golden_tasks_count: 0 } };
    const r = await dryRun(input(pool, tasks(3000, 0), c, 11));
    const seen: Record<string, Record<string, number>> = {};
    for (const t of r.pools.pool.tasks) {
      const truth = String(t.truth['result']);
      for (const a of t.answers.values()) {
        const row = (seen[truth] ??= {});
        row[String(a['result'])] = (row[String(a['result'])] ?? 0) + 1;
      }
    }
    for (const [truth, row] of Object.entries(expected)) {
      const n = Object.values(seen[truth] ?? {}).reduce((sum, k) => sum + k, 0);
      assert.ok(n > 1000, `${truth}: ${n} answers`);
      for (const [answer, p] of Object.entries(row)) {
        const share = (seen[truth]?.[answer] ?? 0) / n;
        assert.ok(Math.abs(share - p) < 0.03, `true ${truth}, answered ${answer}: ${share.toFixed(3)} of ${n}, the matrix says ${p}`);
      }
    }
  });

  it('a crowd file names the row with no probability above 0', () => {
    assert.throws(() => parseCrowd({ archetypes: [{ name: 'x', share: 1, confusion: { cat: { cat: 0, dog: 0 } } }] }, 'crowd.json'), /^Error: crowd\.json: archetypes\.0\.confusion\.cat: a row needs an answer with a probability above 0$/);
  });
});

describe('Dry-run: dynamic overlap and dynamic pricing', () => {
  it('asks for answers until the skill-weighted confidence reaches min_confidence, and pays by skill', async () => {
    const p: DryRunPool = {
      reward_per_assignment: 0.02,
      defaults: { default_overlap_for_new_tasks: 1 },
      mixer_config: { real_tasks_count: 1 },
      // Skill 70 as an accuracy over 3 labels: one answer gives 0.7 (< 0.9); two that agree give 0.49/(0.49+2×0.0225) = 0.916.
      dynamic_overlap_config: { max_overlap: 5, min_confidence: 0.9, answer_weight_skill_id: '9', fields: [{ name: 'result' }] },
      dynamic_pricing_config: { skill_id: '9', intervals: [{ from: 0, to: 60, reward_per_assignment: 0.01 }, { from: 61, to: 100, reward_per_assignment: 0.05 }] },
    };
    const r = await dryRun(input(p, tasks(100, 0, 1), crowd(10, [{ name: 'perfect', share: 1, accuracy: 1 }], { 9: 70 })));
    for (const t of r.pools.pool.tasks) assert.equal(t.overlap, 2, `${t.id}: two agreeing answers are enough`);
    assert.deepEqual(r.dynamicOverlap, { extraAnswers: 100, tasks: 100 });
    assert.ok(r.assignments.every((a) => a.reward === 0.05), 'skill 70 is in the 61–100 interval');
    const report = buildReport(r, 7);
    assert.equal(report.cost.rewards.toFixed(2), (200 * 0.05).toFixed(2));
    assert.match(reportMarkdown(report, 'x'), /\| Dynamic overlap \| 100 more answers on 100 tasks \|/);
  });
});

describe('Dry-run files', () => {
  it('resolves {"$file": …} for the project and the training, and finds the tasks beside each', async () => {
    const l = await loadDryRun({ poolFile: path.join(repoRoot, 'test/fixtures/dryrun/birds.pool.json'), generate: 300, seed: 3 });
    assert.deepEqual(Object.keys(l.input.outputSpec), ['result']);
    assert.equal(l.input.training?.tasks.length, 10, 'birds.training.tasks.jsonl (overlap null, as toloka-kit sends)');
    assert.equal(l.tasksFrom, 'generated');
    const r = await dryRun(l.input);
    const report = buildReport(r, 3);
    assert.equal(report.pool.status, 'CLOSED');
    assert.ok(report.bans.tolokers > 0);
    assert.ok(report.skills.some((s) => s.skillId === '2626' && s.tolokers > 0), 'SET_SKILL_FROM_OUTPUT_FIELD gave skill 2626');
  });

  it("dry-runs the deploy playground's pipeline: skills named by {\"$file\"} are one skill, the training's tasks are found", async () => {
    const sampled = await loadDryRun({ poolFile: path.join(repoRoot, 'playground/pipeline/animals.pool.json'), seed: 2, sample: 5 });
    assert.equal(sampled.input.tasks.length, 5);
    assert.ok(sampled.notes.includes('A sample: the first 5 tasks of animals.tasks.json, control tasks among them only if the file has them there.'), sampled.notes.join('\n'));
    const l = await loadDryRun({ poolFile: path.join(repoRoot, 'playground/pipeline/animals.pool.json'), seed: 2 });
    assert.ok((l.input.training?.tasks.length ?? 0) > 0, 'animals-training.tasks.json');
    assert.match(JSON.stringify(l.input.pool.filter), /"key":"file:accuracy\.skill\.json"/);
    const report = buildReport(await dryRun(l.input), 2);
    assert.ok((report.training?.passed ?? 0) > 0);
    assert.ok(report.findings.some((f) => /can never hold: the pool has \d+ control task/.test(f)), report.findings.join('\n'));
  });

  it('names the file and the field of a bad crowd', () => {
    assert.throws(() => parseCrowd({ archetypes: [{ name: 'x', share: 1, accuracy: 2 }] }, 'crowd.json'), /crowd\.json: archetypes\.0\.accuracy: /);
  });
});

describe('Dry-run: a crowd fitted from a results TSV', () => {
  it('gives one simulated Toloker per real one, with their accuracy, seconds per task and skip rate', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fit-'));
    const file = path.join(dir, 'results.tsv');
    const rows = ['INPUT:image\tOUTPUT:result\tASSIGNMENT:assignment_id\tASSIGNMENT:worker_id\tASSIGNMENT:status\tASSIGNMENT:started\tASSIGNMENT:submitted'];
    const at = (s: number) => new Date(Date.UTC(2026, 10, 1, 12) + s * 1000).toISOString().replace('Z', '');
    let n = 0;
    for (let t = 0; t < 40; t++) {
      const truth = labels[t % 3] as string;
      // Three careful Tolokers (10 s a task) and a spammer who always says "cat" in 1 s.
      for (const [w, answer, seconds] of [['good1', truth, 10], ['good2', truth, 10], ['good3', t % 10 === 0 ? 'other' : truth, 12], ['spam', 'cat', 1]] as const) {
        n++;
        rows.push(`https://example.com/${t}.jpg\t${answer}\ta${n}\t${w}\tACCEPTED\t${at(t * 100)}\t${at(t * 100 + seconds)}`);
      }
    }
    rows.push(`https://example.com/x.jpg\t\ta${n + 1}\tspam\tSKIPPED\t${at(0)}\t`);
    fs.writeFileSync(file, `${rows.join('\n')}\n`);
    const c = await crowdFromResults(file, 'result');
    assert.equal(c.size, 4);
    const drawn = drawCrowd(c, 1);
    assert.equal(drawn.length, 4, 'one each');
    const byAccuracy = [...c.archetypes].sort((x, y) => x.accuracy - y.accuracy);
    assert.ok((byAccuracy[0]?.accuracy ?? 1) < 0.5, `the spammer: ${byAccuracy[0]?.accuracy}`);
    assert.deepEqual(byAccuracy[0]?.secondsPerTask, [1, 1]);
    assert.equal(byAccuracy[0]?.skipRate.toFixed(4), (1 / 41).toFixed(4));
    assert.equal(byAccuracy[3]?.accuracy, 1);
    assert.match(byAccuracy[0]?.name ?? '', /^fitted 0\.[0-4]–/);
    // The spammer's confusion matrix, against the Dawid-Skene labels: "cat" whatever the truth.
    // 13 dogs (t = 1, 4, …, 37) all answered "cat": (13 + 0.5) / (13 + 1.5).
    const spam = byAccuracy[0]?.confusion;
    assert.ok(spam, 'a fitted Toloker has a confusion matrix');
    for (const truth of ['cat', 'dog', 'other']) assert.ok((spam[truth]?.['cat'] ?? 0) > 0.85, `${truth} → cat: ${JSON.stringify(spam[truth])}`);
    assert.equal(spam['dog']?.['cat']?.toFixed(4), (13.5 / 14.5).toFixed(4));
    const careful = byAccuracy[3]?.confusion;
    for (const truth of ['cat', 'dog', 'other']) assert.ok((careful?.[truth]?.[truth] ?? 0) > 0.9, `careful ${truth}: ${JSON.stringify(careful?.[truth])}`);
    const l = await loadDryRun({ poolFile: path.join(repoRoot, 'test/fixtures/dryrun/birds.pool.json'), generate: 50, crowdFrom: file });
    assert.equal(l.input.crowd.size, 4);
    assert.ok(l.notes.some((x) => x.startsWith('Crowd fitted from results.tsv (OUTPUT:result): 4 Tolokers')));
  });
});

describe('toloka dry-run', () => {
  it('writes the Markdown report and its JSON figures, and says the outcome on stdout', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dry-run-'));
    const report = path.join(dir, 'birds.md');
    const bin = path.join(repoRoot, 'dist', 'cli', 'toloka.mjs');
    const r = spawnSync(process.execPath, [bin, 'dry-run', path.join(repoRoot, 'test/fixtures/dryrun/birds.pool.json'), '--generate', '400', '--seed', '5', '--report', report], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^completed in [\d.]+ simulated hours; cost \$[\d.]+; \d+ Tolokers banned; \d+ suites recompleted/);
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'birds.json'), 'utf8')) as { seed: number; pool: { tasks: number } };
    assert.deepEqual([json.seed, json.pool.tasks], [5, 400]);
    assert.match(fs.readFileSync(report, 'utf8'), /# Dry-run of Birds, dry-run[\s\S]*## Rules[\s\S]*USERS_ASSESSMENT #5\.1/);
    const bad = spawnSync(process.execPath, [bin, 'dry-run', path.join(dir, 'missing.pool.json'), '--report', report], { encoding: 'utf8' });
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /missing\.pool\.json: cannot read: ENOENT/);
  });

  it('--in-sandbox runs it in a running sandbox, which keeps the copied pool and its assignments', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dry-run-'));
    const sandbox = await startSandboxProcess(['--no-tolokers']);
    try {
      const bin = path.join(repoRoot, 'dist', 'cli', 'toloka.mjs');
      const child = spawn(process.execPath, [bin, 'dry-run', path.join(repoRoot, 'test/fixtures/dryrun/birds.pool.json'), '--generate', '200', '--seed', '2', '--in-sandbox', sandbox.apiRoot, '--report', path.join(dir, 'b.md')], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      assert.equal(code, 0, stderr);
      assert.match(stdout, /^completed in /);
      const json = JSON.parse(fs.readFileSync(path.join(dir, 'b.json'), 'utf8')) as { assignments: Record<string, number> };
      const md = fs.readFileSync(path.join(dir, 'b.md'), 'utf8');
      const poolId = /In the local sandbox: project \d+, pool (\d+)/.exec(md)?.[1];
      assert.ok(poolId, md);
      const client = new TolokaClient({ baseUrl: sandbox.apiRoot, credential: 'x' });
      let n = 0;
      for await (const _ of client.assignments.all({ pool_id: poolId })) n++;
      assert.equal(n, Object.values(json.assignments).reduce((a, b) => a + b, 0));
    } finally {
      sandbox.stop();
    }
  });
});
