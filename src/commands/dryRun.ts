/**
 * `Toloka: Dry-Run Pool…`: a pool file (with its project, training and tasks beside it), or a
 * pool in the tree, copied into the local sandbox and run there with its quality control and a
 * seeded crowd at accelerated time; the report (Markdown and JSON beside the pool) opens in a
 * webview with charts, and the run stays in the local sandbox to browse, download and aggregate.
 * Nothing is sent to Toloka and nothing is paid, so nothing needs confirming.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ClientProvider } from '../environment/clientProvider';
import { loadDryRun, loadedFromRemote, runInSandbox, type RemotePool, type SandboxDryRunOutcome } from '../files/dryRunFiles';
import { Commands } from '../ids';
import type { DryRunTask } from '../sandbox/dryrun/simulate';
import type { TolokaClient } from '../toloka/client';
import { poolSkillIds } from '../toloka/poolSpec';
import { dollars } from '../toloka/pricing';
import { DryRunReports, markdownBeside, type DryRunReportPanel } from '../views/dryrun/panel';
import { poolNodeOf } from './pick';
import { registerCommand, type CommandServices } from './registerCommand';

export interface DryRunDeps extends CommandServices {
  readonly connections: ClientProvider;
}

/** Tasks of a pool on Toloka, at most `limit` of them. */
async function sampleTasks(client: TolokaClient, poolId: string, limit: number, signal: AbortSignal): Promise<DryRunTask[]> {
  const out: DryRunTask[] = [];
  for await (const t of client.tasks.all({ pool_id: poolId }, { signal })) {
    out.push({ input_values: t.input_values, ...(t.known_solutions ? { known_solutions: t.known_solutions } : {}), ...(typeof t.overlap === 'number' ? { overlap: t.overlap } : {}) });
    if (out.length >= limit) break;
  }
  return out;
}

/** A pool in the tree as a dry-run reads it: its settings, its project's output spec, up to 5,000 of its tasks, its training. */
async function readRemote(client: TolokaClient, poolId: string, signal: AbortSignal): Promise<RemotePool> {
  const pool = await client.pools.get(poolId, { signal });
  const project = await client.projects.get(pool.project_id, { signal });
  const tasks = await sampleTasks(client, poolId, 5000, signal);
  const trainingId = pool.quality_control?.training_requirement?.training_pool_id;
  let training: RemotePool['training'];
  if (trainingId) {
    const t = await client.trainings.get(trainingId, { signal }).catch(() => undefined);
    if (t) training = { pool: t as RemotePool['pool'], tasks: await sampleTasks(client, trainingId, 500, signal) };
  }
  // The copies in the sandbox take Toloka's names of the skills (a skill that cannot be read keeps its id).
  const skillNames: Record<string, string> = {};
  for (const id of poolSkillIds(pool as Parameters<typeof poolSkillIds>[0])) {
    const skill = await client.skills.get(id, { signal }).catch(() => undefined);
    if (skill?.name) skillNames[id] = skill.name;
  }
  return { pool: pool as RemotePool['pool'], inputSpec: project.task_spec.input_spec, outputSpec: project.task_spec.output_spec, tasks, training, skillNames };
}

type CrowdChoice = 'default' | 'file' | 'results';

/** At most this many tasks of a pool file's tasks file are dry-run (the first ones). */
const SAMPLE_TASKS = 100_000;

/** `birds.pool.json` → `birds.dry-run.md` beside it. */
export function reportFileFor(poolFile: string): string {
  return poolFile.replace(/(\.pool)?\.json$/i, '') + '.dry-run.md';
}

/** The Markdown report in the Markdown preview, or as text without the built-in Markdown extension. */
async function showMarkdown(file: string): Promise<void> {
  const uri = vscode.Uri.file(file);
  try {
    await vscode.commands.executeCommand('markdown.showPreview', uri);
  } catch {
    if (fs.existsSync(file)) await vscode.window.showTextDocument(uri, { preview: true });
  }
}

export function registerDryRun(context: vscode.ExtensionContext, services: DryRunDeps): void {
  const reports = new DryRunReports({ log: services.log, extensionUri: context.extensionUri });
  reports.register(context);
  registerCommand(
    context,
    services,
    Commands.openDryRunReport,
    async (ctx, arg): Promise<DryRunReportPanel> => {
      const active = vscode.window.activeTextEditor?.document.uri;
      const file = arg instanceof vscode.Uri ? arg : active && /\.dry-run\.json$/i.test(active.fsPath) ? active : await ctx.prompter.openFile({ title: 'Open which dry-run report?', filters: { 'Dry-run reports': ['dry-run.json', 'json'] } });
      return reports.open(file.fsPath);
    },
    { failure: 'Could not open the dry-run report' },
  );
  registerCommand(
    context,
    services,
    Commands.dryRunPool,
    async (ctx, arg): Promise<SandboxDryRunOutcome> => {
      const node = poolNodeOf(arg);
      const active = vscode.window.activeTextEditor?.document.uri;
      const pool = node ? undefined : arg instanceof vscode.Uri ? arg : active && /\.pool\.json$/i.test(active.fsPath) ? active : await ctx.prompter.openFile({ title: 'Dry-run which pool file?', filters: { 'Pool files': ['pool.json', 'json'] } });
      const where = pool ? vscode.workspace.asRelativePath(pool) : `pool ${node?.pool.id ?? ''}`;
      const crowd = await ctx.prompter.pick<CrowdChoice>(
        [
          { label: 'Default crowd', detail: '200 simulated Tolokers: careful, average, random clickers, constant spammers, fast submitters, skippers, learners, drifting', value: 'default' },
          { label: 'Fitted from a results TSV…', detail: "One simulated Toloker per Toloker of an earlier pool: their accuracy, time per task and skip rate", value: 'results' },
          { label: 'A crowd file…', detail: 'JSON: {"size": 200, "archetypes": [{"name", "share", "accuracy" or "confusion", "strategy", "secondsPerTask", "skipRate", …}]}', value: 'file' },
        ],
        { title: `Dry-run ${where} with which crowd?` },
      );
      const crowdFile = crowd === 'file' ? (await ctx.prompter.openFile({ title: 'The crowd file', filters: { 'Crowd files': ['json'] } })).fsPath : undefined;
      const crowdFrom = crowd === 'results' ? (await ctx.prompter.openFile({ title: "An earlier pool's results TSV", filters: { 'Results TSV': ['tsv'] } })).fsPath : undefined;
      const seedText = await ctx.prompter.input({
        title: 'Seed of the simulated crowd',
        prompt: 'The same seed gives the same run',
        value: '1',
        validate: (v) => (/^\d{1,9}$/.test(v.trim()) ? undefined : 'A whole number, 0 to 999999999'),
      });
      const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? os.tmpdir();
      const report = pool ? reportFileFor(pool.fsPath) : path.join(root, 'dry-runs', `pool-${node?.pool.id ?? ''}.dry-run.md`);
      ctx.onCancel(`Dry-run of ${where} cancelled; the report shows what happened until then.`);
      const outcome = await ctx.withProgress(`Dry-running ${where}`, async (signal, progress) => {
        let reported = 0;
        const onProgress = (done: number): void => {
          progress.report({ increment: done * 100 - reported, message: `${Math.round(done * 100)}% of the answers` });
          reported = done * 100;
        };
        const seed = Number(seedText.trim());
        let loaded;
        // A sample of a large tasks file: enough for every rule to show, small enough to copy in seconds.
        if (pool) loaded = await loadDryRun({ poolFile: pool.fsPath, crowdFile, crowdFrom, seed, signal, sample: SAMPLE_TASKS });
        else {
          progress.report({ message: `reading pool ${node?.pool.id ?? ''} and its tasks…` });
          const { client } = await services.connections.connection();
          loaded = await loadedFromRemote(await readRemote(client, node?.pool.id ?? '', signal), { seed, crowdFile, crowdFrom, signal });
        }
        progress.report({ message: 'copying it into the local sandbox…' });
        const local = await services.connections.local();
        return await runInSandbox(loaded, local.client, { report, signal, onProgress });
      });
      ctx.log.info(`dry-run of ${where}: report ${outcome.reportFile}, figures ${outcome.jsonFile}, in the local sandbox as project ${outcome.sandbox.project_id}, pool ${outcome.sandbox.pool_id}`);
      // The copied pool can be looked at where the extension is looking: in the local environment.
      const browsable = services.connections.settings().environment === 'local';
      if (browsable) void vscode.commands.executeCommand(Commands.refresh);
      reports.open(outcome.jsonFile);
      const r = outcome.report;
      const text = `Dry-run of ${where}: ${r.pool.status === 'CLOSED' ? 'completed' : 'not completed'} in ${r.simulatedHours.toFixed(1)} simulated hours, ${dollars(r.cost.total)}, ${r.bans.tolokers} Toloker(s) banned, ${r.recompletions.suites} suite(s) recompleted, ${r.findings.length} finding(s). In the local sandbox as pool ${outcome.sandbox.pool_id}.`;
      const actions = browsable ? ['Open Markdown Report', 'Open Pool Dashboard'] : ['Open Markdown Report'];
      void ctx.prompter.message(r.cancelled ? 'warning' : 'info', r.cancelled ? `${text} Cancelled before the end.` : text, ...actions).then(async (a) => {
        if (a === 'Open Markdown Report') await showMarkdown(markdownBeside(outcome.jsonFile));
        if (a === 'Open Pool Dashboard') {
          const { client } = await services.connections.connection();
          const copied = await client.pools.get(outcome.sandbox.pool_id);
          await vscode.commands.executeCommand(Commands.poolDashboard, { kind: 'pool', key: `pool/${outcome.sandbox.pool_id}`, pool: { ...copied, id: outcome.sandbox.pool_id }, busy: false });
        }
      }).catch((err: unknown) => {
        const why = `Could not open the dashboard of pool ${outcome.sandbox.pool_id}: ${err instanceof Error ? err.message : String(err)}`;
        ctx.log.error(why);
        void ctx.prompter.message('error', why);
      });
      return outcome;
    },
    { failure: 'Could not dry-run the pool' },
  );
}
