import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { z } from 'zod';
import type { ClientProvider } from '../environment/clientProvider';
import { downloadAttachments, type AttachmentsResult } from '../files/attachments';
import { assignmentColumns, defaultAssignmentColumns, downloadResults, interruptedDownload, parseTimeRange, type AssignmentColumn, type DownloadResult } from '../files/results';
import { webOrigins } from '../toloka/client';
import { AssignmentStatus } from '../toloka/models';
import { describeError } from '../views/explorer';
import { Commands } from './ids';
import { pickPool, poolIdOf, resolveInWorkspace } from './pick';
import { withCancellableProgress } from './progress';

export interface ResultsDeps {
  readonly connections: ClientProvider;
  readonly log: vscode.LogOutputChannel;
}

/** What Download Results can be handed instead of asking (tests, other commands). */
const DownloadArgs = z.object({
  poolId: z.string().optional(),
  statuses: z.array(AssignmentStatus).min(1).optional(),
  startedFrom: z.string().optional(),
  startedTo: z.string().optional(),
  excludeBanned: z.boolean().optional(),
  columns: z.array(z.enum(assignmentColumns)).optional(),
  /** Workspace-relative or absolute; `.jsonl` for JSON Lines. */
  file: z.string().optional(),
  /** Continue an interrupted download of the same file without asking (true), or start over (false). */
  resume: z.boolean().optional(),
  /** Open the file when done (default true). */
  open: z.boolean().optional(),
});
type DownloadArgs = z.infer<typeof DownloadArgs>;

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
  readonly resume: boolean | undefined;
  readonly open: boolean | undefined;
}

/**
 * The four questions of Download Results. Handed the statuses (tests, scripts), it asks
 * nothing and takes the defaults for whatever else was not given.
 */
async function ask(poolId: string, given: DownloadArgs): Promise<Choices | undefined> {
  if (given.statuses) {
    return {
      statuses: given.statuses, startedFrom: given.startedFrom, startedTo: given.startedTo, excludeBanned: given.excludeBanned ?? false,
      columns: given.columns ?? [...defaultAssignmentColumns], file: given.file ?? `results/${poolId}.tsv`, resume: given.resume, open: given.open,
    };
  }
  const picked = await vscode.window.showQuickPick(
    statusItems.map((s) => ({ ...s, picked: s.status === 'SUBMITTED' || s.status === 'ACCEPTED' })),
    { title: `Download results of pool ${poolId} (1/4): which assignments?`, canPickMany: true, placeHolder: 'Statuses to include' },
  );
  if (!picked || picked.length === 0) return undefined;
  const statuses = picked.map((p) => p.status);
  const rangeText = await vscode.window.showInputBox({
    title: `Download results of pool ${poolId} (2/4): start time`,
    prompt: 'Only assignments started in FROM..TO (UTC), e.g. 2026-11-01..2026-11-20T12:00. Leave empty for all.',
    validateInput: (v) => {
      const r = parseTimeRange(v);
      return typeof r === 'string' ? r : undefined;
    },
  });
  if (rangeText === undefined) return undefined;
  const range = parseTimeRange(rangeText);
  if (typeof range === 'string') return undefined;
  const startedFrom = range.from;
  const startedTo = range.to;
  let columns = given.columns;
  let excludeBanned = given.excludeBanned ?? false;
  if (!columns) {
    const banned = { label: 'Exclude assignments from banned Tolokers', key: 'banned', picked: excludeBanned, kind: vscode.QuickPickItemKind.Default };
    const picked = await vscode.window.showQuickPick(
      [banned, { label: 'ASSIGNMENT: columns', kind: vscode.QuickPickItemKind.Separator, key: '', picked: false }, ...assignmentColumns.map((c) => ({ label: `ASSIGNMENT:${c}`, key: c, picked: defaultAssignmentColumns.includes(c), kind: vscode.QuickPickItemKind.Default }))],
      { title: `Download results of pool ${poolId} (3/4): options and columns`, canPickMany: true },
    );
    if (!picked) return undefined;
    excludeBanned = picked.some((p) => p.key === 'banned');
    columns = picked.filter((p) => p.key !== 'banned' && p.key !== '').map((p) => p.key as AssignmentColumn);
  }
  let file = given.file;
  if (!file) {
    file = await vscode.window.showInputBox({
      title: `Download results of pool ${poolId} (4/4): where?`,
      value: `results/${poolId}.tsv`,
      prompt: 'A path in the workspace; end it in .jsonl for JSON Lines (one assignment per line)',
      validateInput: (v) => (/\.(tsv|jsonl)$/i.test(v.trim()) ? undefined : 'The file must end in .tsv or .jsonl'),
    });
    if (!file) return undefined;
  }
  return { statuses, startedFrom, startedTo, columns, excludeBanned, file: file.trim(), resume: given.resume, open: given.open };
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
  context.subscriptions.push(
    vscode.commands.registerCommand(Commands.downloadResults, async (arg?: unknown): Promise<DownloadResult | undefined> => {
      const parsed = DownloadArgs.safeParse(poolIdOf(arg) ? { poolId: poolIdOf(arg) } : (arg ?? {}));
      if (!parsed.success) throw new Error(`Download Results was given bad arguments: ${parsed.error.message}`);
      const poolId = parsed.data.poolId ?? (await pickPool(deps.connections, 'Download the results of which pool?'));
      if (!poolId) return undefined;
      const o = await ask(poolId, parsed.data);
      if (!o) return undefined;
      let uri: vscode.Uri;
      try {
        uri = resolveInWorkspace(o.file);
      } catch (err) {
        void vscode.window.showErrorMessage(describeError(err));
        return undefined;
      }
      const format = /\.jsonl$/i.test(o.file) ? 'jsonl' : 'tsv';
      const { client, environment } = await deps.connections.connection();

      let resume = o.resume;
      const interrupted = interruptedDownload({ file: uri.fsPath, poolId, format, statuses: o.statuses, startedFrom: o.startedFrom, startedTo: o.startedTo, excludeBanned: o.excludeBanned, columns: o.columns });
      if (interrupted && resume === undefined) {
        const choice = await vscode.window.showQuickPick(
          [
            { label: 'Continue', detail: `${interrupted.rows.toLocaleString()} rows are already in ${vscode.workspace.asRelativePath(uri)}; fetch the rest`, resume: true },
            { label: 'Start over', detail: 'Replace the file', resume: false },
          ],
          { title: 'An earlier download of these results was interrupted' },
        );
        if (!choice) return undefined;
        resume = choice.resume;
      }

      let spec;
      let poolName = poolId;
      try {
        const pool = await client.pools.get(poolId);
        poolName = `"${pool.private_name}"`;
        spec = (await client.projects.get(pool.project_id)).task_spec;
      } catch (err) {
        void vscode.window.showErrorMessage(`Could not read pool ${poolId}: ${describeError(err)}`);
        return undefined;
      }
      const webOrigin = environment === 'production' || environment === 'sandbox' ? webOrigins[environment] : undefined;

      const result = await withCancellableProgress(`Downloading results of pool ${poolName}`, async (signal, progress) => {
        try {
          return await downloadResults({
            client, poolId, spec, file: uri.fsPath, format, statuses: o.statuses, startedFrom: o.startedFrom, startedTo: o.startedTo,
            excludeBanned: o.excludeBanned, columns: o.columns, webOrigin, resume: resume ?? false, signal,
            onProgress: (p) => progress.report({ message: `${p.rows.toLocaleString()} rows written${p.resumedRows ? ` (${p.resumedRows.toLocaleString()} before)` : ''}` }),
          });
        } catch (err) {
          deps.log.error(`Download of pool ${poolId}'s results failed: ${describeError(err)}`);
          void vscode.window.showErrorMessage(`Download stopped: ${describeError(err)}. Run Download Results again to continue from the last page written.`);
          return undefined;
        }
      });
      if (!result) return undefined;
      const where = vscode.workspace.asRelativePath(uri);
      if (result.cancelled) {
        void vscode.window.showInformationMessage(`Download paused after ${result.rows.toLocaleString()} rows in ${where}. Run Download Results again with the same choices to continue: no row will be written twice.`);
        return result;
      }
      const summary = `Downloaded ${result.rows.toLocaleString()} ${format === 'tsv' ? 'rows' : 'assignments'} of pool ${poolName} to ${where}${result.resumed ? ` (continuing ${result.resumedRows.toLocaleString()} rows from before)` : ''}${result.skippedBanned ? `; ${result.skippedBanned.toLocaleString()} assignment(s) of banned Tolokers left out` : ''}.`;
      deps.log.info(summary);
      if (o.open !== false) await openResult(uri, deps.log);
      void vscode.window.showInformationMessage(summary);
      return result;
    }),

    vscode.commands.registerCommand(Commands.downloadAttachments, async (arg?: unknown): Promise<AttachmentsResult | undefined> => {
      const given = z.object({ poolId: z.string().optional(), folder: z.string().optional() }).parse(poolIdOf(arg) ? { poolId: poolIdOf(arg) } : (arg ?? {}));
      const poolId = given.poolId ?? (await pickPool(deps.connections, 'Download the files Tolokers uploaded in which pool?'));
      if (!poolId) return undefined;
      const folderText =
        given.folder ??
        (await vscode.window.showInputBox({ title: `Download attachments of pool ${poolId}`, value: `attachments/${poolId}`, prompt: 'A folder in the workspace; files already there are skipped' }));
      if (!folderText) return undefined;
      let folder: vscode.Uri;
      try {
        folder = resolveInWorkspace(folderText.trim());
      } catch (err) {
        void vscode.window.showErrorMessage(describeError(err));
        return undefined;
      }
      const { client } = await deps.connections.connection();
      const result = await withCancellableProgress(`Downloading attachments of pool ${poolId}`, async (signal, progress) => {
        try {
          return await downloadAttachments({
            client, poolId, folder: folder.fsPath, signal,
            onProgress: (p) => progress.report({ message: `${p.downloaded.toLocaleString()} downloaded · ${p.skipped.toLocaleString()} already there${p.failed ? ` · ${p.failed} failed` : ''}` }),
          });
        } catch (err) {
          deps.log.error(`Attachments of pool ${poolId}: ${describeError(err)}`);
          void vscode.window.showErrorMessage(`Could not list the attachments of pool ${poolId}: ${describeError(err)}`);
          return undefined;
        }
      });
      if (!result) return undefined;
      for (const f of result.failures) deps.log.warn(`Attachment ${f.id} ("${f.name}") of pool ${poolId} was not downloaded: ${f.error}`);
      const summary = `${result.cancelled ? 'Stopped: ' : ''}${result.downloaded.toLocaleString()} file(s) downloaded to ${vscode.workspace.asRelativePath(folder)}, ${result.skipped.toLocaleString()} already there${result.failed ? `, ${result.failed} failed (see Toloka: Show Logs)` : ''}.`;
      deps.log.info(summary);
      const show = result.failed ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
      void show(summary, 'Reveal Folder').then((a) => {
        if (a) void vscode.commands.executeCommand('revealInExplorer', folder);
      });
      return result;
    }),
  );
}
