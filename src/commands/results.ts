import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { ClientProvider } from '../environment/clientProvider';
import { downloadAttachments, type AttachmentsResult } from '../files/attachments';
import { assignmentColumns, defaultAssignmentColumns, downloadResults, interruptedDownload, parseTimeRange, type AssignmentColumn, type DownloadResult } from '../files/results';
import { webOrigins } from '../toloka/client';
import { AssignmentStatus } from '../toloka/models';
import { Commands } from '../ids';
import { loadPoolWithSpec } from '../toloka/poolSpec';
import { pickPool, poolIdOf, resolveInWorkspace } from './pick';
import type { Prompter } from './prompter';
import { registerCommand, type CommandServices } from './registerCommand';

export interface ResultsDeps extends CommandServices {
  readonly connections: ClientProvider;
}

/** Files this large open slowly in an editor: reveal them instead. */
const OPEN_LIMIT_BYTES = 50 * 1024 * 1024;

const statusItems: ReadonlyArray<{ status: AssignmentStatus; label: string; detail: string }> = [
  { status: 'SUBMITTED', label: 'Submitted', detail: 'Done, not reviewed yet' },
  { status: 'ACCEPTED', label: 'Accepted', detail: '"APPROVED" in the file' },
  { status: 'REJECTED', label: 'Rejected', detail: '' },
  { status: 'ACTIVE', label: 'Active', detail: 'Being done now' },
  { status: 'SKIPPED', label: 'Skipped', detail: '' },
  { status: 'EXPIRED', label: 'Expired', detail: 'Time ran out or the Toloker returned it' },
];

interface Choices {
  readonly statuses: AssignmentStatus[];
  readonly startedFrom: string | undefined;
  readonly startedTo: string | undefined;
  readonly excludeBanned: boolean;
  readonly columns: AssignmentColumn[];
  readonly file: string;
}

/** The four questions of Download Results. */
async function ask(prompter: Prompter, poolId: string): Promise<Choices> {
  const statuses = await prompter.pickMany(
    statusItems.map((s) => ({ label: s.label, detail: s.detail, value: s.status, picked: s.status === 'SUBMITTED' || s.status === 'ACCEPTED' })),
    { title: `Download results of pool ${poolId} (1/4): which assignments?`, placeHolder: 'Statuses to include' },
  );
  if (statuses.length === 0) throw new Error('choose at least one assignment status');
  const rangeText = await prompter.input({
    title: `Download results of pool ${poolId} (2/4): start time`,
    prompt: 'Only assignments started in FROM..TO (UTC), e.g. 2026-11-01..2026-11-20T12:00. Leave empty for all.',
    validate: (v) => {
      const r = parseTimeRange(v);
      return typeof r === 'string' ? r : undefined;
    },
  });
  const range = parseTimeRange(rangeText);
  if (typeof range === 'string') throw new Error(range);
  const picked = await prompter.pickMany<AssignmentColumn | 'banned'>(
    [
      { label: 'Exclude assignments from banned Tolokers', value: 'banned', picked: false },
      { separator: 'ASSIGNMENT: columns' },
      ...assignmentColumns.map((c) => ({ label: `ASSIGNMENT:${c}`, value: c, picked: defaultAssignmentColumns.includes(c) })),
    ],
    { title: `Download results of pool ${poolId} (3/4): options and columns` },
  );
  const file = await prompter.input({
    title: `Download results of pool ${poolId} (4/4): where?`,
    value: `results/${poolId}.tsv`,
    prompt: 'A path in the workspace; end it in .jsonl for JSON Lines (one assignment per line)',
    validate: (v) => (/\.(tsv|jsonl)$/i.test(v.trim()) ? undefined : 'The file must end in .tsv or .jsonl'),
  });
  return {
    statuses, startedFrom: range.from, startedTo: range.to, excludeBanned: picked.includes('banned'),
    columns: picked.filter((c): c is AssignmentColumn => c !== 'banned'), file: file.trim(),
  };
}

async function openResult(uri: vscode.Uri, log: vscode.LogOutputChannel): Promise<void> {
  const size = fs.statSync(uri.fsPath).size;
  if (size > OPEN_LIMIT_BYTES) {
    log.info(`${uri.fsPath} is ${(size / 1048576).toFixed(0)} MiB: revealed rather than opened`);
    await vscode.commands.executeCommand('revealInExplorer', uri);
    return;
  }
  await vscode.window.showTextDocument(uri, { preview: false });
}

export function registerResults(context: vscode.ExtensionContext, deps: ResultsDeps): void {
  registerCommand(
    context,
    deps,
    Commands.downloadResults,
    async ({ prompter, log, withProgress }, arg): Promise<DownloadResult> => {
      const poolId = poolIdOf(arg) ?? (await pickPool(prompter, deps.connections, 'Download the results of which pool?'));
      const o = await ask(prompter, poolId);
      const uri = resolveInWorkspace(o.file);
      const format = /\.jsonl$/i.test(o.file) ? 'jsonl' : 'tsv';
      const { client, environment } = await deps.connections.connection();

      let resume = false;
      const interrupted = interruptedDownload({ file: uri.fsPath, poolId, format, statuses: o.statuses, startedFrom: o.startedFrom, startedTo: o.startedTo, excludeBanned: o.excludeBanned, columns: o.columns });
      if (interrupted) {
        resume = await prompter.pick(
          [
            { label: 'Continue', detail: `${interrupted.rows.toLocaleString()} rows are already in ${vscode.workspace.asRelativePath(uri)}; fetch the rest`, value: true },
            { label: 'Start over', detail: 'Replace the file', value: false },
          ],
          { title: 'An earlier download of these results was interrupted' },
        );
      }
      const target = await loadPoolWithSpec(client, poolId);
      const webOrigin = environment === 'production' || environment === 'sandbox' ? webOrigins[environment] : undefined;
      const where = vscode.workspace.asRelativePath(uri);
      const result = await withProgress(`Downloading results of pool ${target.title}`, (signal, progress) =>
        downloadResults({
          client, poolId, spec: target.spec, file: uri.fsPath, format, statuses: o.statuses, startedFrom: o.startedFrom, startedTo: o.startedTo,
          excludeBanned: o.excludeBanned, columns: o.columns, webOrigin, resume, signal,
          onProgress: (p) => progress.report({ message: `${p.rows.toLocaleString()} rows written${p.resumedRows ? ` (${p.resumedRows.toLocaleString()} before)` : ''}` }),
        }),
      );
      if (result.cancelled) {
        void prompter.message('info', `Download paused after ${result.rows.toLocaleString()} rows in ${where}. Run Download Results again with the same choices to continue: no row will be written twice.`);
        return result;
      }
      const summary = `Downloaded ${result.rows.toLocaleString()} ${format === 'tsv' ? 'rows' : 'assignments'} of pool ${target.title} to ${where}${result.resumed ? ` (continuing ${result.resumedRows.toLocaleString()} rows from before)` : ''}${result.skippedBanned ? `; ${result.skippedBanned.toLocaleString()} assignment(s) of banned Tolokers left out` : ''}.`;
      log.info(summary);
      await openResult(uri, log);
      void prompter.message('info', summary);
      return result;
    },
    { failure: 'Download stopped (run Download Results again to continue from the last page written)' },
  );

  registerCommand(
    context,
    deps,
    Commands.downloadAttachments,
    async ({ prompter, log, withProgress }, arg): Promise<AttachmentsResult> => {
      const poolId = poolIdOf(arg) ?? (await pickPool(prompter, deps.connections, 'Download the files Tolokers uploaded in which pool?'));
      const folderText = await prompter.input({ title: `Download attachments of pool ${poolId}`, value: `attachments/${poolId}`, prompt: 'A folder in the workspace; files already there are skipped' });
      const folder = resolveInWorkspace(folderText.trim());
      const { client } = await deps.connections.connection();
      const result = await withProgress(`Downloading attachments of pool ${poolId}`, (signal, progress) =>
        downloadAttachments({
          client, poolId, folder: folder.fsPath, signal,
          onProgress: (p) => progress.report({ message: `${p.downloaded.toLocaleString()} downloaded · ${p.skipped.toLocaleString()} already there${p.failed ? ` · ${p.failed} failed` : ''}` }),
        }),
      );
      for (const f of result.failures) log.warn(`Attachment ${f.id} ("${f.name}") of pool ${poolId} was not downloaded: ${f.error}`);
      const summary = `${result.cancelled ? 'Stopped: ' : ''}${result.downloaded.toLocaleString()} file(s) downloaded to ${vscode.workspace.asRelativePath(folder)}, ${result.skipped.toLocaleString()} already there${result.failed ? `, ${result.failed} failed (see Toloka: Show Logs)` : ''}.`;
      log.info(summary);
      void prompter.message(result.failed ? 'warning' : 'info', summary, 'Reveal Folder').then((a) => {
        if (a) void vscode.commands.executeCommand('revealInExplorer', folder);
      });
      return result;
    },
    { failure: 'Could not download the attachments', retry: true },
  );
}
