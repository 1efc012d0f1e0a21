/**
 * A dry-run's report, from its records: cost, simulated duration, assignments by status, each
 * rule and how often it fired, bans by rule and by archetype, skills given, recompletions,
 * accuracy of the answers and of aggregated answers against the true labels, and findings (a
 * rule that never fired, a threshold that cannot be met, a fast-response threshold above the
 * median time). As JSON (`DryRunReport`) and as Markdown.
 */
import { dawidSkene, majorityVote, median, ResponseBuilder, type Aggregated } from '../../aggregation';
import type { QualityControlConfig } from '../../toloka/models';
import { dollars, feeFor } from '../../toloka/pricing';
import { matchesKnown } from '../qc/engine';
import { suiteTasks, type DryRunResult, type SimAssignment, type SimPool } from './simulate';

export interface RuleFigures {
  readonly pool: 'pool' | 'training';
  readonly config: number;
  readonly rule: number;
  readonly collector: string;
  readonly conditions: string;
  readonly action: string;
  readonly fired: number;
  /** Distinct Tolokers it acted on (bans and skills) or suites (recompletions). */
  readonly subjects: number;
}

export interface ArchetypeFigures {
  readonly archetype: string;
  readonly tolokers: number;
  readonly banned: number;
  /** Not banned, but kept out of the pool by failing its training. */
  readonly failedTraining?: number | undefined;
  readonly submitted: number;
  readonly skipped: number;
  /** Share of their answers to real tasks that are right. */
  readonly accuracy: number | null;
}

export interface DryRunReport {
  readonly seed: number;
  readonly crowd: number;
  readonly cancelled: boolean;
  readonly pool: { readonly name: string; readonly status: string; readonly tasks: number; readonly controlTasks: number; readonly reopened: number; readonly tasksUnfinished: number };
  readonly simulatedHours: number;
  readonly assignments: Readonly<Record<string, number>>;
  readonly training?: { readonly assignments: Readonly<Record<string, number>>; readonly passed: number; readonly failed: number } | undefined;
  readonly cost: { readonly rewards: number; readonly fee: number; readonly total: number };
  readonly rules: readonly RuleFigures[];
  readonly bans: { readonly tolokers: number; readonly byRule: Readonly<Record<string, number>> };
  readonly archetypes: readonly ArchetypeFigures[];
  readonly skills: ReadonlyArray<{ readonly skillId: string; readonly tolokers: number; readonly mean: number }>;
  readonly recompletions: { readonly suites: number; readonly reopenedPool: number; readonly lost: number; readonly byRule: Readonly<Record<string, number>> };
  readonly captchas: { readonly shown: number; readonly failed: number };
  readonly dynamicOverlap: { readonly extraAnswers: number; readonly tasks: number };
  readonly accuracy: { readonly field: string | null; readonly answers: number | null; readonly methods: Readonly<Record<string, number>> };
  readonly medianSecondsPerSuite: number | null;
  readonly findings: readonly string[];
}

const ruleName = (r: { pool: string; config: number; rule: number; collector: string }): string => `${r.pool === 'training' ? 'training ' : ''}${r.collector} #${r.config + 1}.${r.rule + 1}`;

function byStatus(list: readonly SimAssignment[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const a of list) out[a.status] = (out[a.status] ?? 0) + 1;
  return out;
}


function conditionsText(c: QualityControlConfig['rules'][number]['conditions']): string {
  return c.map((x) => `${x.key} ${x.operator} ${String(x.value)}`).join(' AND ');
}

function rulesOf(pool: SimPool, result: DryRunResult): RuleFigures[] {
  const out: RuleFigures[] = [];
  pool.engine.configs.forEach((config, i) => {
    config.rules.forEach((rule, r) => {
      const mine = (x: { by: { config: number; rule: number } | undefined; pool: string }): boolean => x.pool === pool.key && x.by?.config === i && x.by.rule === r;
      const subjects = new Set<string>();
      for (const b of result.bans) if (mine(b)) subjects.add(String(b.member));
      for (const s of result.skills) if (mine(s)) subjects.add(String(s.member));
      for (const c of result.recompletions) if (mine(c)) subjects.add(c.suiteId);
      out.push({ pool: pool.key, config: i, rule: r, collector: config.collector_config.type, conditions: conditionsText(rule.conditions), action: rule.action.type, fired: pool.engine.fired.get(`${i}/${r}`) ?? 0, subjects: subjects.size });
    });
  });
  return out;
}

/** The first output field with a finite set of values: the one aggregated and scored. */
function labelField(result: DryRunResult): string | undefined {
  for (const [name, f] of Object.entries(result.outputSpec)) if (('allowed_values' in f && Array.isArray(f.allowed_values)) || f.type === 'boolean') return name;
  return Object.keys(result.outputSpec)[0];
}

function aggregatedAccuracy(result: DryRunResult, field: string): Record<string, number> {
  const pool = result.pools.pool;
  const b = new ResponseBuilder();
  for (const t of pool.tasks) for (const [m, ans] of t.answers) b.add(String(m), t.id, JSON.stringify(ans[field] ?? null));
  if (b.size === 0) return {};
  const r = b.build();
  const truthOf = new Map(pool.tasks.map((t) => [t.id, JSON.stringify(t.truth[field] ?? null)]));
  const score = (agg: Aggregated): number => {
    let right = 0;
    r.taskNames.forEach((name, i) => {
      if (r.labelNames[agg.labels[i] as number] === truthOf.get(name)) right++;
    });
    return right / Math.max(1, r.taskNames.length);
  };
  const out: Record<string, number> = { MV: score(majorityVote(r)) };
  try {
    out['DS'] = score(dawidSkene(r));
  } catch {
    // Dawid-Skene needs at least two labels; majority vote alone then.
  }
  return out;
}

/** Findings a requester should read before paying: rules that cannot work as written. */
function findings(result: DryRunResult, rules: readonly RuleFigures[], medianSeconds: number | null): string[] {
  const out: string[] = [];
  const pool = result.pools.pool;
  const spec = pool.spec;
  const overlaps = pool.tasks.map((t) => t.overlap).filter(Number.isFinite);
  const maxOverlap = overlaps.length > 0 ? Math.max(...overlaps) : 1;
  for (const r of rules) if (r.fired === 0) out.push(`${ruleName(r)} (${r.conditions} → ${r.action}) never fired.`);
  (spec.quality_control?.configs ?? []).forEach((c, i) => {
    const p = (c.collector_config.parameters ?? {}) as { history_size?: number; answer_threshold?: number; fast_submit_threshold_seconds?: number };
    const name = `${c.collector_config.type} #${i + 1}`;
    if (c.collector_config.type === 'MAJORITY_VOTE' && p.answer_threshold !== undefined && p.answer_threshold > maxOverlap) out.push(`${name}: answer_threshold ${p.answer_threshold} is more answers than the overlap (${maxOverlap}) gives: no majority is ever counted.`);
    if (c.collector_config.type === 'ASSIGNMENT_SUBMIT_TIME' && p.fast_submit_threshold_seconds !== undefined && medianSeconds !== null && p.fast_submit_threshold_seconds > medianSeconds) {
      out.push(`${name}: fast_submit_threshold_seconds ${p.fast_submit_threshold_seconds} is above the median suite time (${medianSeconds.toFixed(1)} s): most Tolokers count as fast.`);
    }
    for (const rule of c.rules) {
      for (const cond of rule.conditions) {
        const v = Number(cond.value);
        const countKey = ['total_answers_count', 'golden_set_answers_count', 'total_submitted_count', 'total_assignments_count', 'stored_results_count'].includes(cond.key);
        const least = cond.operator === 'GT' ? v + 1 : cond.operator === 'GTE' || cond.operator === 'EQ' ? v : undefined;
        if (countKey && p.history_size !== undefined && least !== undefined && least > p.history_size) out.push(`${name}: ${cond.key} ${cond.operator} ${String(cond.value)} can never hold: history_size is ${p.history_size}.`);
        else if (c.collector_config.type === 'GOLDEN_SET' && countKey && least !== undefined && least > pool.golden.length) out.push(`${name}: ${cond.key} ${cond.operator} ${String(cond.value)} can never hold: the pool has ${pool.golden.length} control task(s) and a Toloker never gets one twice.`);
        else if (c.collector_config.type === 'ANSWER_COUNT' && least !== undefined) {
          const suites = Math.ceil(pool.tasks.length / Math.max(1, spec.mixer_config?.real_tasks_count ?? 1));
          if (least > suites) out.push(`${name}: ${cond.key} ${cond.operator} ${String(cond.value)} can never hold: a Toloker can do at most ${suites} suites of this pool.`);
        }
        if (/rate$/.test(cond.key) && (v > 100 || v < 0)) out.push(`${name}: ${cond.key} is a percentage (0–100), not ${String(cond.value)}.`);
        else if (/rate$/.test(cond.key) && v > 0 && v < 1) out.push(`${name}: ${cond.key} ${cond.operator} ${String(cond.value)} looks like a fraction; rates are percentages (0–100), so this is ${String(cond.value)}%, not ${v * 100}%.`);
      }
    }
  });
  if (pool.status !== 'CLOSED') {
    const left = pool.tasks.filter((t) => t.remaining > 0).length;
    out.push(`The pool did not complete: ${left} task(s) still need answers${result.cancelled ? ' (the run was cancelled)' : ' — no Toloker left who may take them'}.`);
  }
  if (result.goldenRanOut > 0) out.push(`${result.goldenRanOut} Toloker(s) ran out of unseen control tasks and got no more suites: add control tasks.`);
  const lost = result.recompletions.filter((r) => r.lost).length;
  if (lost > 0) out.push(`${lost} recompletion(s) came after the pool had closed without open_pool: they wait for a manual reopen.`);
  return out;
}

export function buildReport(result: DryRunResult, seed: number): DryRunReport {
  const pool = result.pools.pool;
  const main = result.assignments.filter((a) => a.pool === 'pool');
  const paid = result.assignments.filter((a) => a.status === 'ACCEPTED' || a.status === 'SUBMITTED');
  const rewards = paid.reduce((s, a) => s + a.reward, 0);
  const fee = paid.reduce((s, a) => s + feeFor(a.reward), 0);
  const rules = [...rulesOf(pool, result), ...(result.pools.training ? rulesOf(result.pools.training, result) : [])];
  const bannedMembers = new Set(result.bans.map((b) => b.member));
  const banByRule: Record<string, Set<number>> = {};
  for (const b of result.bans) (banByRule[ruleName({ ...b.by, pool: b.pool })] ??= new Set()).add(b.member);
  const field = labelField(result);
  const archetypes = new Map<string, { tolokers: number; banned: number; submitted: number; skipped: number; right: number; answers: number }>();
  for (const m of result.members) {
    const f = archetypes.get(m.archetype.name) ?? { tolokers: 0, banned: 0, submitted: 0, skipped: 0, right: 0, answers: 0 };
    f.tolokers++;
    if (bannedMembers.has(m.index)) f.banned++;
    archetypes.set(m.archetype.name, f);
  }
  const seconds: number[] = [];
  let right = 0;
  let answers = 0;
  for (const a of main) {
    const f = archetypes.get(result.members[a.member]?.archetype.name ?? '');
    if (!f) continue;
    if (a.status === 'SKIPPED') f.skipped++;
    if (!a.answers) continue;
    f.submitted++;
    seconds.push((a.endedMs - a.startedMs) / 1000);
    suiteTasks(pool, a).forEach((t, k) => {
      if (t.golden || field === undefined) return;
      const ok = matchesKnown({ [field]: a.answers?.[k]?.[field] }, [{ [field]: t.truth[field] }]);
      f.answers++;
      answers++;
      if (ok) {
        f.right++;
        right++;
      }
    });
  }
  const skills = new Map<string, Map<number, number>>();
  for (const s of result.skills) {
    let m = skills.get(s.skillId);
    if (!m) skills.set(s.skillId, (m = new Map()));
    m.set(s.member, s.value);
  }
  const recByRule: Record<string, number> = {};
  for (const r of result.recompletions) recByRule[ruleName({ ...r.by, pool: r.pool })] = (recByRule[ruleName({ ...r.by, pool: r.pool })] ?? 0) + 1;
  const med = median(seconds) ?? null;
  const training = result.pools.training;
  const trainingSkills = skills.get('training');
  const passing = pool.spec.quality_control?.training_requirement?.training_passing_skill_value ?? 0;
  const failedTraining = new Map<string, number>();
  if (training) for (const [member, value] of trainingSkills ?? []) {
    const name = result.members[member]?.archetype.name;
    if (name !== undefined && value < passing && !bannedMembers.has(member)) failedTraining.set(name, (failedTraining.get(name) ?? 0) + 1);
  }
  return {
    seed,
    crowd: result.members.length,
    cancelled: result.cancelled,
    pool: { name: pool.spec.private_name ?? 'pool', status: pool.status, tasks: pool.tasks.length, controlTasks: pool.golden.length, reopened: pool.reopened, tasksUnfinished: pool.tasks.filter((t) => t.remaining > 0).length },
    simulatedHours: ((pool.closedAtMs ?? result.endMs) / 3_600_000),
    assignments: byStatus(main),
    training: training ? {
      assignments: byStatus(result.assignments.filter((a) => a.pool === 'training')),
      passed: [...(trainingSkills?.values() ?? [])].filter((v) => v >= passing).length,
      failed: [...(trainingSkills?.values() ?? [])].filter((v) => v < passing).length,
    } : undefined,
    cost: { rewards, fee, total: rewards + fee },
    rules,
    bans: { tolokers: bannedMembers.size, byRule: Object.fromEntries(Object.entries(banByRule).map(([k, v]) => [k, v.size])) },
    archetypes: [...archetypes].map(([archetype, f]) => ({ archetype, tolokers: f.tolokers, banned: f.banned, ...(training ? { failedTraining: failedTraining.get(archetype) ?? 0 } : {}), submitted: f.submitted, skipped: f.skipped, accuracy: f.answers > 0 ? f.right / f.answers : null })),
    skills: [...skills].map(([skillId, m]) => ({ skillId, tolokers: m.size, mean: [...m.values()].reduce((s, v) => s + v, 0) / Math.max(1, m.size) })),
    recompletions: { suites: result.recompletions.length, reopenedPool: pool.reopened, lost: result.recompletions.filter((r) => r.lost).length, byRule: recByRule },
    captchas: result.captchas,
    dynamicOverlap: result.dynamicOverlap,
    accuracy: { field: field ?? null, answers: answers > 0 ? right / answers : null, methods: field !== undefined ? aggregatedAccuracy(result, field) : {} },
    medianSecondsPerSuite: med,
    findings: findings(result, rules, med),
  };
}

const pct = (v: number | null | undefined): string => (v === null || v === undefined || Number.isNaN(v) ? 'n/a' : `${(v * 100).toFixed(1)}%`);

/** The report as Markdown, for a file beside the pool. */
export function reportMarkdown(r: DryRunReport, title: string): string {
  const L: string[] = [];
  L.push(`# Dry-run of ${title}`, '');
  L.push(`Seed ${r.seed}, ${r.crowd} simulated Tolokers. Nothing was sent to Toloka and nothing was paid.${r.cancelled ? ' **Cancelled before the end.**' : ''}`, '');
  L.push('## Summary', '');
  L.push('| | |', '|---|---|');
  L.push(`| Pool | ${r.pool.status === 'CLOSED' ? 'completed' : 'not completed'} (${r.pool.tasks} tasks, ${r.pool.controlTasks} control tasks) |`);
  L.push(`| Simulated duration | ${r.simulatedHours.toFixed(2)} h |`);
  L.push(`| Cost | ${dollars(r.cost.total)} (rewards ${dollars(r.cost.rewards)} + Toloka's fee ${dollars(r.cost.fee)}) |`);
  L.push(`| Assignments | ${Object.entries(r.assignments).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'} |`);
  L.push(`| Tolokers banned | ${r.bans.tolokers} |`);
  L.push(`| Recompleted suites | ${r.recompletions.suites} (pool reopened ${r.recompletions.reopenedPool}×) |`);
  if (r.training) L.push(`| Training | ${r.training.passed} passed, ${r.training.failed} failed |`);
  if (r.dynamicOverlap.extraAnswers > 0) L.push(`| Dynamic overlap | ${r.dynamicOverlap.extraAnswers} more answers on ${r.dynamicOverlap.tasks} tasks |`);
  if (r.captchas.shown > 0) L.push(`| Captchas | ${r.captchas.shown} shown, ${r.captchas.failed} failed |`);
  L.push(`| Median time per suite | ${r.medianSecondsPerSuite === null ? 'n/a' : `${r.medianSecondsPerSuite.toFixed(1)} s`} |`);
  L.push(`| Accuracy of answers${r.accuracy.field ? ` (${r.accuracy.field})` : ''} | ${pct(r.accuracy.answers)} |`);
  for (const [m, v] of Object.entries(r.accuracy.methods)) L.push(`| Accuracy aggregated by ${m} | ${pct(v)} |`);
  L.push('', '## Rules', '', '| Rule | Conditions | Action | Fired | Tolokers / suites |', '|---|---|---|---:|---:|');
  for (const x of r.rules) L.push(`| ${ruleName(x)} | ${x.conditions} | ${x.action} | ${x.fired} | ${x.subjects} |`);
  if (r.rules.length === 0) L.push('| (no quality control rules) | | | | |');
  const trained = r.training !== undefined;
  L.push('', '## Archetypes', '', `| Archetype | Tolokers | Banned |${trained ? ' Failed training |' : ''} Suites submitted | Skipped | Accuracy |`, `|---|---:|---:|${trained ? '---:|' : ''}---:|---:|---:|`);
  for (const a of r.archetypes) L.push(`| ${a.archetype} | ${a.tolokers} | ${a.banned} |${trained ? ` ${a.failedTraining ?? 0} |` : ''} ${a.submitted} | ${a.skipped} | ${pct(a.accuracy)} |`);
  if (r.skills.length > 0) {
    L.push('', '## Skills', '', '| Skill | Tolokers | Mean value |', '|---|---:|---:|');
    for (const s of r.skills) L.push(`| ${s.skillId} | ${s.tolokers} | ${s.mean.toFixed(1)} |`);
  }
  L.push('', '## Findings', '');
  if (r.findings.length === 0) L.push('Nothing to report: every rule fired and every threshold can be met.');
  for (const f of r.findings) L.push(`- ${f}`);
  L.push('');
  return L.join('\n');
}
