/** `toloka plan <dir|file>` and `toloka apply <dir|file> [--yes]`: the extension's Plan and Apply, from the same core. */
import * as path from 'node:path';
import { z } from 'zod';
import { applyPlan, TOLOKA_CREATE_PACING } from '../../deploy/apply';
import { changesCount, formatPlan, makePlan, type Plan } from '../../deploy/plan';
import { StateStore, stateRootFor } from '../../deploy/state';
import { formatProblem, loadWorkspace } from '../../deploy/workspace';
import { isCancellation } from '../../toloka/errors';
import { parseArgs, type SubcommandSpec } from '../args';
import { askChoice, canAsk } from '../ask';
import { connect, ConnectionArgs, connectionFlags, type Target } from '../connection';
import { Exit } from '../exit';
import type { RunContext } from '../main';

const where = 'A folder means every *.skill.json, *.project.json, *.training.json and *.pool.json below it; a file brings what it references.';
const stateNote = 'State: .toloka/<env>.state.json in the nearest folder up that has .toloka/ (else the git root, else the folder itself); commit it.';

const planSpec: SubcommandSpec = {
  name: 'plan',
  summary: 'What apply would change on Toloka to match the files: creates, updates with their fields, unchanged, replaced, blocked.',
  usage: 'toloka plan <dir|file> [--env …] [--api-url …]',
  flags: [...connectionFlags],
  notes: [where, stateNote, 'Exit codes: 0 nothing to change; 2 changes to apply; 1 an error or a problem in the files (each as file:line:column: field: message).'],
};

const applySpec: SubcommandSpec = {
  name: 'apply',
  summary: 'Create and update skills, projects, trainings and pools to match the files, each exactly once; nothing is ever deleted.',
  usage: 'toloka apply <dir|file> [--yes] [--env …] [--api-url …]',
  flags: [{ name: 'yes', kind: 'boolean', help: 'apply without asking (needed when stdin is not a terminal)' }, ...connectionFlags],
  notes: [where, stateNote, 'Exit codes: 0 applied (or nothing to do); 1 an error, a problem in the files (nothing sent) or not confirmed; 3 stopped part way (run it again: the state resumes it, nothing is created twice); 130 Ctrl+C.'],
};

const PlanArgs = ConnectionArgs.extend({ positionals: z.array(z.string()).length(1, 'name one folder or file') });
const ApplyArgs = PlanArgs.extend({ yes: z.boolean().default(false) });

async function planFor(a: z.infer<typeof PlanArgs>, ctx: RunContext): Promise<{ target: Target; plan: Plan; store: StateStore } | number> {
  const target = connect(a, ctx.io.env, ctx.reporter.logger(a.verbose));
  const where = path.resolve(a.positionals[0] ?? '.');
  const workspace = await loadWorkspace([where]);
  const store = await StateStore.open(await stateRootFor(where), target.environment, target.environment === 'local' ? undefined : target.apiRoot);
  for (const p of workspace.problems) ctx.reporter.error(formatProblem(p, process.cwd()));
  const plan = await makePlan(target.client, workspace, store, target.environment, { signal: ctx.signal });
  ctx.io.stdout.write(formatPlan(plan));
  if (workspace.problems.some((p) => p.severity === 'error')) return Exit.error;
  return { target, plan, store };
}

export const plan = {
  spec: planSpec,
  async run(argv: readonly string[], ctx: RunContext): Promise<number> {
    const a = parseArgs(planSpec, PlanArgs, argv);
    const r = await planFor(a, ctx);
    if (typeof r === 'number') return r;
    return changesCount(r.plan) > 0 ? Exit.changes : Exit.ok;
  },
};

export const apply = {
  spec: applySpec,
  async run(argv: readonly string[], ctx: RunContext): Promise<number> {
    const a = parseArgs(applySpec, ApplyArgs, argv);
    const r = await planFor(a, ctx);
    if (typeof r === 'number') return r;
    const { target, plan: p, store } = r;
    if (changesCount(p) === 0) {
      ctx.reporter.event('done', { created: 0, updated: 0 }, 'nothing to do: Toloka matches the files');
      return Exit.ok;
    }
    if (!a.yes) {
      if (!canAsk()) {
        ctx.reporter.error('toloka apply: stdin is not a terminal, so nothing is asked and nothing applied: run it with --yes');
        return Exit.error;
      }
      const answer = await askChoice(`Apply these changes to Toloka ${target.environment} (${target.apiRoot})?`, [{ key: 'y', label: 'apply' }, { key: 'n', label: 'stop' }], ctx.signal);
      if (answer !== 'y') {
        ctx.reporter.error('not applied');
        return Exit.error;
      }
    }
    try {
      const pacing = target.environment === 'local' ? undefined : TOLOKA_CREATE_PACING;
      const onWait = (ms: number) => ctx.reporter.event('waiting', { ms }, `waiting ${Math.ceil(ms / 1000)} s: Toloka creates at most 20 projects, trainings and pools a minute`);
      const result = await applyPlan(target.client, p, store, { signal: ctx.signal, pacing, onWait, onEvent: (e) => ctx.reporter.event('applied', { file: e.item.key, kind: e.item.kind, done: e.done, id: e.id ?? null }, `${e.item.key}: ${e.done}`) });
      ctx.io.stdout.write(`${JSON.stringify({ created: result.created, updated: result.updated, unchanged: result.unchanged, blocked: result.blocked, state: store.file })}\n`);
      return Exit.ok;
    } catch (err) {
      if (isCancellation(err) || ctx.signal.aborted) {
        ctx.reporter.error('stopped: run the same command again to go on; the state records what is done and nothing is created twice');
        return Exit.sigint;
      }
      ctx.reporter.error(`toloka apply: ${err instanceof Error ? err.message : String(err)}. Run it again to go on: the state records what is done and nothing is created twice`);
      return Exit.interrupted;
    }
  },
};
