import * as vscode from 'vscode';
import type { ClientProvider } from '../environment/clientProvider';
import { collect } from '../toloka/paging';
import type { Node } from '../views/explorer/model';

/** The pool id of an Explorer pool row, if that is what a command was handed. */
export function poolIdOf(arg: unknown): string | undefined {
  return arg && typeof arg === 'object' && (arg as Node).kind === 'pool' ? (arg as Extract<Node, { kind: 'pool' }>).pool.id : undefined;
}

/** A quick pick of the pools of active projects (archived pools left out). */
export async function pickPool(connections: ClientProvider, title: string): Promise<string | undefined> {
  const { client } = await connections.connection();
  const items = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Loading pools…' }, async () => {
    const rows: Array<vscode.QuickPickItem & { id: string }> = [];
    for (const project of await collect(client.projects.all({ status: 'ACTIVE' }, { limit: 300 }))) {
      for await (const pool of client.pools.all({ project_id: project.id ?? '' }, { limit: 300 })) {
        if (pool.status === 'ARCHIVED') continue;
        rows.push({ id: pool.id ?? '', label: pool.private_name, description: `${(pool.status ?? '').toLowerCase()} · ${pool.id ?? ''}`, detail: project.public_name });
        if (rows.length >= 2000) return rows;
      }
    }
    return rows;
  });
  const pick = await vscode.window.showQuickPick(items, { title, matchOnDescription: true, matchOnDetail: true });
  return pick?.id;
}

/** The first workspace folder, where results files go by default. */
export function workspaceRoot(): vscode.Uri | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri;
}

/**
 * A workspace-relative path (or an absolute one) as a file URI. With no folder open a
 * relative path has nowhere to go: that is an error the user is told about.
 */
export function resolveInWorkspace(p: string): vscode.Uri {
  const root = workspaceRoot();
  if (p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p)) return vscode.Uri.file(p);
  if (!root) throw new Error(`Open a folder first, or give an absolute path: "${p}" is relative to the workspace`);
  return vscode.Uri.joinPath(root, p);
}

/**
 * A quick pick of the workspace's files with the given extensions (minus those `skip`
 * matches), or Browse… for any file.
 */
export async function pickWorkspaceFile(o: { extensions: readonly string[]; title: string; placeHolder: string; dialogLabel: string; skip?: RegExp }): Promise<vscode.Uri | undefined> {
  const glob = o.extensions.length === 1 ? `**/*.${o.extensions[0]}` : `**/*.{${o.extensions.join(',')}}`;
  const files = (await vscode.workspace.findFiles(glob, '**/{node_modules,.git}/**', 500)).filter((f) => !o.skip?.test(f.path));
  const browse = { label: '$(folder-opened) Browse…', uri: undefined };
  const pick = await vscode.window.showQuickPick([...files.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })), browse], { title: o.title, placeHolder: o.placeHolder });
  if (!pick) return undefined;
  if (pick.uri) return pick.uri;
  return (await vscode.window.showOpenDialog({ canSelectMany: false, filters: { [o.dialogLabel]: [...o.extensions] } }))?.[0];
}

/** A quick pick of the workspace's TSV files, or Browse…. */
export function pickResultsFile(title: string): Promise<vscode.Uri | undefined> {
  return pickWorkspaceFile({ extensions: ['tsv'], title, placeHolder: 'A results TSV', dialogLabel: 'Results TSV' });
}

/** An error on a whole line of a file (1-based), for the Problems panel. */
export function lineDiagnostic(line: number, message: string, source: string): vscode.Diagnostic {
  const d = new vscode.Diagnostic(new vscode.Range(line - 1, 0, line - 1, 10_000), message, vscode.DiagnosticSeverity.Error);
  d.source = source;
  return d;
}
