/**
 * `npm run bench -- dryrun`: a dry-run of a 100,000-task pool with overlap 3 (suites of 5 real
 * tasks and 1 control task, 2,000 control tasks) with a crowd of 2,000 simulated Tolokers of
 * the default archetypes, with five quality-control rules and without any. The figure is the
 * process CPU time of the run and its report (the target: ≤ 30 s with the rules). The
 * third figure is the same pool with the rules dry-run in the sandbox, as Dry-Run Pool does it:
 * sent over HTTP, run there, and its tasks, assignments, bans and skills recorded (the sandbox
 * in this process, so the CPU time is the client's and the server's together).
 */
import { defaultCrowd } from '../../src/sandbox/dryrun/crowd';
import { buildReport } from '../../src/sandbox/dryrun/report';
import { dryRun, type DryRunPool, type DryRunTask } from '../../src/sandbox/dryrun/simulate';
import type { FieldSpecMap, QualityControlConfig } from '../../src/toloka/models';
import { startSandbox } from '../../src/sandbox/server';
import { TolokaClient } from '../../src/toloka/client';
import { SandboxDryRunDetails } from '../../src/toloka/endpoints/sandbox';
import { figure } from './report';

const outputSpec: FieldSpecMap = { result: { type: 'string', required: true, allowed_values: ['a', 'b', 'c', 'd'] } };
const ban = { type: 'RESTRICTION_V2', parameters: { scope: 'PROJECT', duration: 1, duration_unit: 'DAYS' } } as const;

const rules = [
  { collector_config: { type: 'GOLDEN_SET', parameters: { history_size: 10 } }, rules: [
    { conditions: [{ key: 'total_answers_count', operator: 'GTE', value: 3 }], action: { type: 'SET_SKILL_FROM_OUTPUT_FIELD', parameters: { skill_id: '1', from_field: 'correct_answers_rate' } } },
    { conditions: [{ key: 'total_answers_count', operator: 'GTE', value: 4 }, { key: 'correct_answers_rate', operator: 'LT', value: 60 }], action: ban },
  ] },
  { collector_config: { type: 'ASSIGNMENT_SUBMIT_TIME', parameters: { history_size: 5, fast_submit_threshold_seconds: 10 } }, rules: [{ conditions: [{ key: 'total_submitted_count', operator: 'GTE', value: 3 }, { key: 'fast_submitted_count', operator: 'GTE', value: 2 }], action: ban }] },
  { collector_config: { type: 'SKIPPED_IN_ROW_ASSIGNMENTS' }, rules: [{ conditions: [{ key: 'skipped_in_row_count', operator: 'GTE', value: 3 }], action: ban }] },
  { collector_config: { type: 'MAJORITY_VOTE', parameters: { answer_threshold: 2, history_size: 20 } }, rules: [{ conditions: [{ key: 'total_answers_count', operator: 'GTE', value: 5 }], action: { type: 'SET_SKILL_FROM_OUTPUT_FIELD', parameters: { skill_id: '2', from_field: 'correct_answers_rate' } } }] },
  { collector_config: { type: 'USERS_ASSESSMENT' }, rules: [{ conditions: [{ key: 'pool_access_revoked_reason', operator: 'EQ', value: 'RESTRICTION' }], action: { type: 'CHANGE_OVERLAP', parameters: { delta: 1, open_pool: true } } }] },
] as unknown as QualityControlConfig[];

function tasks(real: number, golden: number): DryRunTask[] {
  const out: DryRunTask[] = [];
  for (let i = 0; i < real; i++) out.push({ input_values: { i }, overlap: 3 });
  for (let i = 0; i < golden; i++) out.push({ input_values: { g: i }, known_solutions: [{ output_values: { result: 'abcd'[i % 4] } }] });
  return out;
}

async function one(withRules: boolean): Promise<void> {
  const pool: DryRunPool = { reward_per_assignment: 0.05, mixer_config: { real_tasks_count: 5, golden_tasks_count: 1 }, assignment_max_duration_seconds: 600, quality_control: { configs: withRules ? rules : [] } };
  const given = tasks(100_000, 2_000);
  const cpu = process.cpuUsage();
  const wall = performance.now();
  const result = await dryRun({ outputSpec, pool, tasks: given, crowd: { ...defaultCrowd, size: 2_000 }, seed: 1 });
  const report = buildReport(result, 1);
  const used = process.cpuUsage(cpu);
  const name = withRules ? 'cpu_100k_tasks_overlap3_5_rules' : 'cpu_100k_tasks_overlap3_no_rules';
  figure('dryrun', name, (used.user + used.system) / 1e6, 's', {
    wallS: Math.round(performance.now() - wall) / 1000,
    assignments: result.assignments.length,
    banned: report.bans.tolokers,
    recompleted: report.recompletions.suites,
    simulatedHours: Math.round(report.simulatedHours * 100) / 100,
    completed: report.pool.status === 'CLOSED',
  });
}

async function inSandbox(): Promise<void> {
  const sandbox = await startSandbox({ tolokers: { assignmentsPerSecond: 0 }, quotas: false });
  try {
    const client = new TolokaClient({ baseUrl: sandbox.apiRoot, credential: 'bench', timeoutMs: 600_000 });
    const pool = { private_name: 'bench', reward_per_assignment: 0.05, mixer_config: { real_tasks_count: 5, golden_tasks_count: 1, training_tasks_count: 0 }, assignment_max_duration_seconds: 600, defaults: { default_overlap_for_new_task_suites: 3 }, quality_control: { configs: rules } };
    const cpu = process.cpuUsage();
    const wall = performance.now();
    const started = await client.sandbox.dryRun({ title: 'bench', output_spec: outputSpec, pool, tasks: tasks(100_000, 2_000), crowd: { ...defaultCrowd, size: 2_000 }, seed: 1 });
    const op = await client.operations.wait(started, { firstDelayMs: 100, intervalMs: 200, timeoutMs: 600_000 });
    const used = process.cpuUsage(cpu);
    const details = SandboxDryRunDetails.safeParse(op.details);
    const poolId = details.success ? details.data.pool_id : '';
    figure('dryrun', 'cpu_100k_tasks_overlap3_5_rules_in_sandbox', (used.user + used.system) / 1e6, 's', {
      wallS: Math.round(performance.now() - wall) / 1000,
      status: op.status,
      recordedTasks: sandbox.state.pools.get(poolId)?.data.tasks.length ?? 0,
      recordedAssignments: sandbox.state.pools.get(poolId)?.data.assignments.length ?? 0,
      restrictions: sandbox.state.restrictions.size,
    });
  } finally {
    await sandbox.stop();
  }
}

export async function benchDryRun(): Promise<void> {
  await one(false);
  await one(true);
  await inSandbox();
}
