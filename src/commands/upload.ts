import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { ClientProvider } from '../environment/clientProvider';
import { formatOf, type Format } from '../files/records';
import { resultsFileFor, UploadLocked, uploadTasks, type ChangedFile, type ChangedFileChoice, type UploadProgress, type UploadResult } from '../files/upload';
import { describeError, isCancellation } from '../toloka/errors';
import { Commands } from '../ids';
import { loadPoolWithSpec } from '../toloka/poolSpec';
import type { TaskSpec } from '../toloka/models';
import type { ExplorerModel } from '../views/explorer/model';
import { lineDiagnostic, pickPoolOrTraining, pickWorkspaceFile, poolLikeNodeOf, uriOf, type PickedPool } from './pick';
import { registerCommand, type CommandContext, type CommandServices } from './registerCommand';

export interface UploadDeps extends CommandServices {
  readonly connections: ClientProvider;
  readonly model: ExplorerModel;
}

const SKIP = /\.toloka-(upload|results|problems)[\w.-]*\.(jsonl|lock)$|\.(project|pool|training|qc|suite|app-items)\.json$|package(-lock)?\.json$/;

function pickFile(ctx: CommandContext): Promise<vscode.Uri> {
  return pickWorkspaceFile(ctx.prompter, {
    extensions: ['json', 'jsonl', 'tsv'],
    skip: SKIP,
    title: 'Upload tasks from which file?',
    placeHolder: 'A JSON array, JSON Lines or Toloka TSV file',
    dialogLabel: 'Task files',
  });
}

/** Where the tasks go: a pool, or a training pool (its tasks carry known solutions and hints). */
interface Target {
  readonly pool: { readonly id: string; readonly project_id: string };
  readonly spec: TaskSpec;
  /** `pool "Name" (123)` or `training pool "Name" (123)`, for messages. */
  readonly title: string;
  readonly defaultOverlap: boolean;
  /** The listing to refresh when the tasks are in. */
  readonly parentKey: string;
}

async function loadTarget(deps: UploadDeps, arg: unknown, ctx: CommandContext): Promise<Target> {
  const { client } = await deps.connections.connection();
  const row = poolLikeNodeOf(arg);
  const target: PickedPool = row ? { kind: row.kind, id: row.pool.id ?? '' } : await pickPoolOrTraining(ctx.prompter, deps.connections, 'Upload tasks into which pool or training pool?');
  if (target.kind === 'training') {
    const trainingId = target.id;
    const pool = await client.trainings.get(trainingId);
    const project = await client.projects.get(pool.project_id);
    return { pool: { id: trainingId, project_id: pool.project_id }, spec: project.task_spec, title: `training pool "${pool.private_name}" (${trainingId})`, defaultOverlap: false, parentKey: `trainings/${pool.project_id}` };
  }
  const t = await loadPoolWithSpec(client, target.id);
  return { pool: t.pool, spec: t.spec, title: `pool ${t.title}`, defaultOverlap: t.pool.defaults.default_overlap_for_new_tasks !== undefined, parentKey: `project/${t.pool.project_id}` };
}

interface Plan {
  readonly file: vscode.Uri;
  readonly format: Format;
  readonly target: Target;
  readonly openPool: boolean;
  readonly allowDefaults: boolean;
}

/** The questions: which file, which pool, and the two options. */
async function plan(ctx: CommandContext, deps: UploadDeps, arg: unknown): Promise<Plan> {
  const file = uriOf(arg) ?? (await pickFile(ctx));
  const format = formatOf(file.fsPath);
  if (!format) throw new Error(`${vscode.workspace.asRelativePath(file)}: upload a .json (array), .jsonl or .tsv file`);
  const target = await loadTarget(deps, arg, ctx);
  const options = await ctx.prompter.pickMany(
    [
      { label: 'Open the pool when the tasks are in', value: 'open', picked: false },
      { label: "Take the overlap from the pool's defaults when a task has none", value: 'defaults', picked: target.defaultOverlap },
    ],
    { title: `Upload ${vscode.workspace.asRelativePath(file)} to ${target.title}`, placeHolder: 'Options (Enter to go on)' },
  );
  return { file, format, target, openPool: options.includes('open'), allowDefaults: options.includes('defaults') };
}

function summary(result: UploadResult, poolTitle: string): string {
  return `Uploaded ${result.created.toLocaleString()} task(s) to ${poolTitle}${result.resumed ? `, ${result.resumed.toLocaleString()} more were already in from an earlier run` : ''}${result.alreadyInPool ? `, ${result.alreadyInPool.toLocaleString()} left out as already in the pool from an earlier version of the file` : ''}${result.failed ? `, ${result.failed.toLocaleString()} refused by Toloka` : ''}${result.invalid ? `, ${result.invalid.toLocaleString()} invalid skipped` : ''}.`;
}

function progressText(u: UploadProgress): string {
  const counts = `${u.confirmed.toLocaleString()} of ${u.total.toLocaleString()} confirmed · ${u.sent.toLocaleString()} in flight`;
  if (u.waiting && u.waiting.until > Date.now()) {
    const seconds = Math.ceil((u.waiting.until - Date.now()) / 1000);
    const quota = u.waiting.quota === 'DAY' ? "Toloka's daily quota" : u.waiting.quota === 'HOUR' ? "Toloka's hourly quota" : u.waiting.quota === 'MIN' ? "Toloka's per-minute quota" : "Toloka's rate limit";
    return `${counts} · waiting ${seconds.toLocaleString()} s for ${quota} (until ${new Date(u.waiting.until).toLocaleTimeString()})`;
  }
  return `${counts} · ${Math.round(u.rate).toLocaleString()}/s`;
}

/** The question when the file changed since an upload into the same pool. */
async function onChangedFile(ctx: CommandContext, where: string, poolTitle: string, info: ChangedFile): Promise<ChangedFileChoice> {
  const unknown = info.unknownBatches ? ` and sent ${info.unknownBatches} more batch(es) whose outcome is not known yet` : '';
  return await ctx.prompter.pick<ChangedFileChoice>(
    [
      { label: 'Upload only the records not in the pool yet', detail: 'Records whose input values match a task that upload created are left out', value: 'only-new' },
      { label: 'Start over: upload every record again', detail: `The ${info.created.toLocaleString()} task(s) already created will be in the pool twice`, value: 'start-over' },
    ],
    { title: `${where} changed since an upload into ${poolTitle} (started ${info.since.slice(0, 16).replace('T', ' ')} UTC) that created ${info.created.toLocaleString()} task(s)${unknown}` },
  );
}

export function registerUpload(context: vscode.ExtensionContext, deps: UploadDeps): void {
  const problems = vscode.languages.createDiagnosticCollection('toloka-upload');
  context.subscriptions.push(problems);

  registerCommand(
    context,
    deps,
    Commands.uploadTasks,
    async (ctx, arg): Promise<UploadResult | undefined> => {
      const p = await plan(ctx, deps, arg);
      const { client } = await deps.connections.connection();
      const where = vscode.workspace.asRelativePath(p.file);
      ctx.onCancel('Upload paused. Run Upload Tasks again on the same file and pool to go on: nothing will be created twice.');
      const run = (skipInvalid: boolean): Promise<UploadResult> =>
        ctx.withProgress(`Uploading tasks to ${p.target.title}`, async (signal, progress) => {
          let reported = 0;
          progress.report({ message: 'checking every task…' });
          try {
            return await uploadTasks({
              client, file: p.file.fsPath, format: p.format, poolId: p.target.pool.id, spec: p.target.spec, openPool: p.openPool, allowDefaults: p.allowDefaults, skipInvalid, signal, logger: ctx.log,
              onChangedFile: (info) => onChangedFile(ctx, where, p.target.title, info),
              onProgress: (u) => {
                const share = u.total > 0 ? (u.confirmed / u.total) * 100 : 0;
                progress.report({ increment: share - reported, message: progressText(u) });
                reported = share;
              },
            });
          } catch (err) {
            if (isCancellation(err) || err instanceof UploadLocked) throw err;
            throw new Error(`${describeError(err)}. Run Upload Tasks again to resume: confirmed tasks are not sent twice`, { cause: err });
          }
        });

      let result = await run(false);
      problems.delete(p.file);
      if (!result.uploaded && result.invalid > 0) {
        const report = `${p.file.fsPath}.toloka-problems.jsonl`;
        fs.writeFileSync(report, result.problems.map((x) => JSON.stringify(x)).join('\n') + '\n');
        problems.set(p.file, result.problems.map((x) => lineDiagnostic(x.line, x.problems.join('; '), 'Toloka upload')));
        const first = result.problems[0];
        // Nothing valid at all (an empty file, a header alone, one bad task): that is the whole story.
        if (result.total === 0 && result.invalid === 1 && first) throw new Error(`${where}:${first.line}: ${first.problems.join('; ')}. Nothing was sent`);
        const uploadValid = 'Upload the Valid Ones';
        const answer = await ctx.prompter.message(
          'warning',
          `${result.invalid.toLocaleString()} task(s) in ${where} are invalid; nothing was uploaded. They are listed in the Problems panel and in ${vscode.workspace.asRelativePath(report)}.`,
          ...(result.total > 0 ? [uploadValid] : []),
          'Show Problems',
        );
        if (answer === 'Show Problems') await vscode.commands.executeCommand('workbench.actions.view.problems');
        if (answer !== uploadValid) return result;
        result = await run(true);
      }
      deps.model.refresh(p.target.parentKey);
      const text = summary(result, p.target.title);
      ctx.log.info(text);
      void ctx.prompter.message('info', text, 'Open Results').then((a) => {
        if (a) void vscode.window.showTextDocument(vscode.Uri.file(resultsFileFor(p.file.fsPath, p.target.pool.id, client.core.baseUrl)));
      });
      return result;
    },
    { failure: 'Upload stopped' },
  );
}
