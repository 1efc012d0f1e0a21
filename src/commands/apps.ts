import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ClientProvider } from '../environment/clientProvider';
import { fetchAppResults, sendItems, type SendItemsResult } from '../files/appItems';
import { formatOf } from '../files/records';
import { Commands } from '../ids';
import { collect } from '../toloka/paging';
import { appProjectIdOf, uriOf, workspaceRoot } from './pick';
import type { Prompter } from './prompter';
import { registerCommand, type CommandServices } from './registerCommand';

export interface AppDeps extends CommandServices {
  readonly connections: ClientProvider;
}

async function pickAppProject(prompter: Prompter, deps: AppDeps): Promise<string> {
  const { client } = await deps.connections.connection();
  const projects = (await collect(client.apps.projects({}, { limit: 1000 }))).filter((p) => p.status !== 'ARCHIVED' && p.id);
  if (projects.length === 0) throw new Error('there are no app projects in this environment');
  return await prompter.pick(projects.map((p) => ({ label: p.name, description: `${p.app_id} · ${p.id ?? ''}`, value: p.id ?? '' })), { title: 'Which app project?' });
}

export function registerApps(context: vscode.ExtensionContext, deps: AppDeps): void {
  registerCommand(
    context,
    deps,
    Commands.sendItems,
    async ({ prompter, log, withProgress, onCancel }, arg): Promise<SendItemsResult> => {
      const file = uriOf(arg) ?? (await prompter.openFile({ title: 'Send items from which file?', filters: { Items: ['json', 'jsonl'] } }));
      const format = formatOf(file.fsPath);
      if (format !== 'json' && format !== 'jsonl') throw new Error(`${vscode.workspace.asRelativePath(file)}: send items from a .json array or a .jsonl file`);
      const appProjectId = appProjectIdOf(arg) ?? (await pickAppProject(prompter, deps));
      const { client } = await deps.connections.connection();
      onCancel('Sending paused; run the command again on the same file to go on.');
      const r = await withProgress(`Sending items to app project ${appProjectId}`, (signal, progress) =>
        sendItems({ client, file: file.fsPath, format, appProjectId, signal, onProgress: (sent, total) => progress.report({ message: `${sent.toLocaleString()} of ${total.toLocaleString()}` }) }),
      );
      if (r.invalid.length > 0) {
        throw new Error(`nothing was sent: ${r.invalid.length} item(s) are not JSON objects, first at line ${r.invalid[0]?.line ?? '?'}: ${r.invalid[0]?.problem ?? ''}`);
      }
      const unknown = r.unknown.map((u) => `lines ${u.fromLine}–${u.toLine}`).join(', ');
      const text = `Sent ${r.sent.toLocaleString()} item(s) to app project ${appProjectId}${r.resumed ? ` (${r.resumed.toLocaleString()} were sent by an earlier run)` : ''}.${unknown ? ` An earlier run's answer for ${unknown} never came: check the app project for those items before sending them again.` : ''}`;
      log.info(text);
      void prompter.message(unknown ? 'warning' : 'info', text);
      return r;
    },
    { failure: 'Sending items stopped (run it again to go on: sent batches are not sent twice)' },
  );
  registerCommand(
    context,
    deps,
    Commands.fetchAppResults,
    async ({ prompter, withProgress }, arg) => {
      const appProjectId = appProjectIdOf(arg) ?? (await pickAppProject(prompter, deps));
      const folder = workspaceRoot();
      if (!folder) throw new Error('open a folder first: the results are written into the workspace');
      const outFile = vscode.Uri.joinPath(folder, 'results', `${appProjectId}.items.jsonl`);
      const { client } = await deps.connections.connection();
      const r = await withProgress(`Fetching finished items of app project ${appProjectId}`, (signal, progress) =>
        fetchAppResults({ client, appProjectId, outFile: outFile.fsPath, signal, onProgress: (n) => progress.report({ message: `${n.toLocaleString()} items` }) }),
      );
      const rel = vscode.workspace.asRelativePath(outFile);
      void prompter.message('info', r.fetched > 0 ? `Appended ${r.fetched.toLocaleString()} finished item(s) to ${rel}.` : `No items have finished since the last fetch (${path.basename(rel)}).`, 'Open').then((a) => {
        if (a) void vscode.window.showTextDocument(outFile);
      });
      return r;
    },
    { failure: 'Fetching app results stopped (run it again: it continues after the last item written)', retry: true },
  );
}
