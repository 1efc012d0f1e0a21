import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { ClientProvider } from '../environment/clientProvider';
import { formatOf } from '../files/records';
import { resultsFileFor, uploadTasks, type UploadResult } from '../files/upload';
import { describeError } from '../views/explorer';
import type { ExplorerModel } from '../views/explorer/model';
import { Commands } from './ids';
import { lineDiagnostic, pickPool, pickWorkspaceFile, poolIdOf } from './pick';
import { withCancellableProgress } from './progress';

export interface UploadDeps {
  readonly connections: ClientProvider;
  readonly model: ExplorerModel;
  readonly log: vscode.LogOutputChannel;
}

/** What the command can be handed instead of asking (tests, other commands, menus). */
interface UploadArgs {
  readonly file?: vscode.Uri;
  readonly poolId?: string;
  readonly openPool?: boolean;
  readonly allowDefaults?: boolean;
  /** When some tasks are invalid: upload the valid ones without asking. */
  readonly uploadValid?: boolean;
}

function argsOf(arg: unknown): UploadArgs {
  if (arg instanceof vscode.Uri) return { file: arg };
  const poolId = poolIdOf(arg);
  if (poolId) return { poolId };
  return (arg ?? {}) as UploadArgs;
}

function pickFile(): Promise<vscode.Uri | undefined> {
  return pickWorkspaceFile({
    extensions: ['json', 'jsonl', 'tsv'],
    skip: /\.toloka-(upload|results|problems)\.jsonl$|\.(project|pool|training|qc|suite|app-items)\.json$|package(-lock)?\.json$/,
    title: 'Upload tasks from which file?',
    placeHolder: 'A JSON array, JSON Lines or Toloka TSV file',
    dialogLabel: 'Task files',
  });
}

export function registerUpload(context: vscode.ExtensionContext, deps: UploadDeps): void {
  const problems = vscode.languages.createDiagnosticCollection('toloka-upload');
  context.subscriptions.push(
    problems,
    vscode.commands.registerCommand(Commands.uploadTasks, async (arg?: unknown): Promise<UploadResult | undefined> => {
      const given = argsOf(arg);
      const file = given.file ?? (await pickFile());
      if (!file) return undefined;
      const format = formatOf(file.fsPath);
      if (!format) {
        void vscode.window.showErrorMessage(`${vscode.workspace.asRelativePath(file)}: upload a .json (array), .jsonl or .tsv file.`);
        return undefined;
      }
      const poolId = given.poolId ?? (await pickPool(deps.connections, 'Upload tasks into which pool?'));
      if (!poolId) return undefined;
      const { client } = await deps.connections.connection();
      let spec;
      let poolName = poolId;
      let hasDefault = false;
      try {
        const pool = await client.pools.get(poolId);
        poolName = `"${pool.private_name}" (${poolId})`;
        hasDefault = pool.defaults.default_overlap_for_new_tasks !== undefined;
        spec = (await client.projects.get(pool.project_id)).task_spec;
      } catch (err) {
        void vscode.window.showErrorMessage(`Could not read pool ${poolId}: ${describeError(err)}`);
        return undefined;
      }
      let openPool = given.openPool;
      let allowDefaults = given.allowDefaults ?? hasDefault;
      if (openPool === undefined) {
        const options = await vscode.window.showQuickPick(
          [
            { label: 'Open the pool when the tasks are in', key: 'open', picked: false },
            { label: 'Take the overlap from the pool\'s defaults when a task has none', key: 'defaults', picked: allowDefaults },
          ],
          { title: `Upload ${vscode.workspace.asRelativePath(file)} to pool ${poolName}`, canPickMany: true, placeHolder: 'Options (Enter to go on)' },
        );
        if (!options) return undefined;
        openPool = options.some((o) => o.key === 'open');
        allowDefaults = options.some((o) => o.key === 'defaults');
      }

      const run = (skipInvalid: boolean): Thenable<UploadResult | undefined> =>
        withCancellableProgress(`Uploading tasks to pool ${poolName}`, async (signal, progress) => {
          let reported = 0;
          progress.report({ message: 'checking every task…' });
          try {
            return await uploadTasks({
              client, file: file.fsPath, format, poolId, spec, openPool, allowDefaults, skipInvalid, signal, logger: deps.log,
              onProgress: (p) => {
                const share = p.total > 0 ? (p.confirmed / p.total) * 100 : 0;
                progress.report({ increment: share - reported, message: `${p.confirmed.toLocaleString()} of ${p.total.toLocaleString()} confirmed · ${p.sent.toLocaleString()} in flight · ${Math.round(p.rate).toLocaleString()}/s` });
                reported = share;
              },
            });
          } catch (err) {
            if (signal.aborted) {
              void vscode.window.showInformationMessage('Upload paused. Run Upload Tasks again on the same file and pool to go on: nothing will be created twice.');
            } else {
              deps.log.error(`Upload of ${file.fsPath} failed: ${describeError(err)}`);
              void vscode.window.showErrorMessage(`Upload stopped: ${describeError(err)}. Run it again to resume; confirmed tasks are not sent twice.`);
            }
            return undefined;
          }
        });

      let result = await run(false);
      if (!result) return undefined;
      problems.delete(file);
      if (!result.uploaded && result.invalid > 0) {
        const report = `${file.fsPath}.toloka-problems.jsonl`;
        fs.writeFileSync(report, result.problems.map((p) => JSON.stringify(p)).join('\n') + '\n');
        problems.set(file, result.problems.map((p) => lineDiagnostic(p.line, p.problems.join('; '), 'Toloka upload')));
        const uploadValid = 'Upload the Valid Ones';
        if (!given.uploadValid) {
          // The command ends here; the answer, whenever it comes, starts the follow-up upload.
          void vscode.window.showWarningMessage(
            `${result.invalid.toLocaleString()} task(s) in ${vscode.workspace.asRelativePath(file)} are invalid; nothing was uploaded. They are listed in the Problems panel and in ${vscode.workspace.asRelativePath(report)}.`,
            ...(result.total > 0 ? [uploadValid] : []),
            'Show Problems',
          ).then((answer) => {
            if (answer === 'Show Problems') void vscode.commands.executeCommand('workbench.actions.view.problems');
            if (answer === uploadValid) void vscode.commands.executeCommand(Commands.uploadTasks, { file, poolId, openPool, allowDefaults, uploadValid: true });
          });
          return result;
        }
        result = await run(true);
        if (!result) return undefined;
      }
      deps.model.refresh(`project/${(await client.pools.get(poolId)).project_id}`);
      const summary = `Uploaded ${result.created.toLocaleString()} task(s) to pool ${poolName}${result.resumed ? `, ${result.resumed.toLocaleString()} more were already in from an earlier run` : ''}${result.failed ? `, ${result.failed.toLocaleString()} refused by Toloka` : ''}${result.invalid ? `, ${result.invalid.toLocaleString()} invalid skipped` : ''}.`;
      deps.log.info(summary);
      void vscode.window.showInformationMessage(summary, 'Open Results').then((a) => {
        if (a) void vscode.window.showTextDocument(vscode.Uri.file(resultsFileFor(file.fsPath)));
      });
      return result;
    }),
  );
}
