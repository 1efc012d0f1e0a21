import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ClientProvider } from '../environment/clientProvider';
import { fetchAppResults, sendItems } from '../files/appItems';
import { formatOf } from '../files/records';
import { collect } from '../toloka/paging';
import { describeError } from '../views/explorer';
import type { Node } from '../views/explorer/model';
import { Commands } from './ids';
import { withCancellableProgress } from './progress';

export interface AppDeps {
  readonly connections: ClientProvider;
  readonly log: vscode.LogOutputChannel;
}

interface AppArgs {
  readonly file?: vscode.Uri;
  readonly appProjectId?: string;
  readonly outFile?: vscode.Uri;
}

function argsOf(arg: unknown): AppArgs {
  if (arg instanceof vscode.Uri) return { file: arg };
  if (arg && typeof arg === 'object' && (arg as Node).kind === 'appProject') return { appProjectId: (arg as Extract<Node, { kind: 'appProject' }>).appProject.id };
  return (arg ?? {}) as AppArgs;
}

async function pickAppProject(deps: AppDeps): Promise<string | undefined> {
  const { client } = await deps.connections.connection();
  const projects = await collect(client.apps.projects({}, { limit: 1000 }));
  const pick = await vscode.window.showQuickPick(projects.filter((p) => p.status !== 'ARCHIVED').map((p) => ({ label: p.name, description: `${p.app_id} · ${p.id ?? ''}`, id: p.id ?? '' })), { title: 'Which app project?' });
  return pick?.id;
}

export function registerApps(context: vscode.ExtensionContext, deps: AppDeps): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(Commands.sendItems, async (arg?: unknown) => {
      const given = argsOf(arg);
      const file = given.file ?? (await vscode.window.showOpenDialog({ canSelectMany: false, filters: { Items: ['json', 'jsonl'] }, title: 'Send items from which file?' }))?.[0];
      if (!file) return undefined;
      const format = formatOf(file.fsPath);
      if (format !== 'json' && format !== 'jsonl') {
        void vscode.window.showErrorMessage(`${vscode.workspace.asRelativePath(file)}: send items from a .json array or a .jsonl file.`);
        return undefined;
      }
      const appProjectId = given.appProjectId ?? (await pickAppProject(deps));
      if (!appProjectId) return undefined;
      const { client } = await deps.connections.connection();
      return await withCancellableProgress(`Sending items to app project ${appProjectId}`, async (signal, progress) => {
        try {
          const r = await sendItems({ client, file: file.fsPath, format, appProjectId, signal, onProgress: (sent, total) => progress.report({ message: `${sent.toLocaleString()} of ${total.toLocaleString()}` }) });
          if (r.invalid.length > 0) {
            void vscode.window.showErrorMessage(`Nothing was sent: ${r.invalid.length} item(s) are not JSON objects, first at line ${r.invalid[0]?.line ?? '?'}: ${r.invalid[0]?.problem ?? ''}`);
          } else {
            const unknown = r.unknown.map((u) => `lines ${u.fromLine}–${u.toLine}`).join(', ');
            const text = `Sent ${r.sent.toLocaleString()} item(s) to app project ${appProjectId}${r.resumed ? ` (${r.resumed.toLocaleString()} were sent by an earlier run)` : ''}.${unknown ? ` An earlier run's answer for ${unknown} never came: check the app project for those items before sending them again.` : ''}`;
            deps.log.info(text);
            void (unknown ? vscode.window.showWarningMessage(text) : vscode.window.showInformationMessage(text));
          }
          return r;
        } catch (err) {
          if (signal.aborted) void vscode.window.showInformationMessage('Sending paused; run the command again on the same file to go on.');
          else void vscode.window.showErrorMessage(`Sending items stopped: ${describeError(err)}. Run it again to go on; sent batches are not sent twice.`);
          return undefined;
        }
      });
    }),
    vscode.commands.registerCommand(Commands.fetchAppResults, async (arg?: unknown) => {
      const given = argsOf(arg);
      const appProjectId = given.appProjectId ?? (await pickAppProject(deps));
      if (!appProjectId) return undefined;
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const outFile = given.outFile ?? (folder ? vscode.Uri.joinPath(folder, 'results', `${appProjectId}.items.jsonl`) : undefined);
      if (!outFile) {
        void vscode.window.showWarningMessage('Open a folder first: the results are written into the workspace.');
        return undefined;
      }
      const { client } = await deps.connections.connection();
      try {
        const r = await withCancellableProgress(`Fetching finished items of app project ${appProjectId}`, (signal, progress) =>
          fetchAppResults({ client, appProjectId, outFile: outFile.fsPath, signal, onProgress: (n) => progress.report({ message: `${n.toLocaleString()} items` }) }),
        );
        const rel = vscode.workspace.asRelativePath(outFile);
        void vscode.window.showInformationMessage(r.fetched > 0 ? `Appended ${r.fetched.toLocaleString()} finished item(s) to ${rel}.` : `No items have finished since the last fetch (${path.basename(rel)}).`, 'Open').then((a) => {
          if (a) void vscode.window.showTextDocument(outFile);
        });
        return r;
      } catch (err) {
        void vscode.window.showErrorMessage(`Fetching app results stopped: ${describeError(err)}. Run it again: it continues after the last item written.`);
        return undefined;
      }
    }),
  );
}
