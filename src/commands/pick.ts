import * as vscode from 'vscode';
import type { ClientProvider } from '../environment/clientProvider';
import { collect } from '../toloka/paging';
import type { Node } from '../views/explorer/model';
import type { Choice, Prompter } from './prompter';

export type PoolNode = Extract<Node, { kind: 'pool' }>;
export type TrainingNode = Extract<Node, { kind: 'training' }>;
export type PoolLikeNode = PoolNode | TrainingNode;
export type AppProjectNode = Extract<Node, { kind: 'appProject' }>;

export function nodeOfKind<K extends Node['kind']>(arg: unknown, kind: K): Extract<Node, { kind: K }> | undefined {
  return arg && typeof arg === 'object' && (arg as Node).kind === kind ? (arg as Extract<Node, { kind: K }>) : undefined;
}

/** The Explorer pool row a command was run on, if any. */
export function poolNodeOf(arg: unknown): PoolNode | undefined {
  return nodeOfKind(arg, 'pool');
}

/** The Explorer pool or training pool row a command was run on, if any. */
export function poolLikeNodeOf(arg: unknown): PoolLikeNode | undefined {
  return nodeOfKind(arg, 'pool') ?? nodeOfKind(arg, 'training');
}

/** The pool id of an Explorer pool row, if that is what a command was handed. */
export function poolIdOf(arg: unknown): string | undefined {
  return poolNodeOf(arg)?.pool.id;
}

export function appProjectIdOf(arg: unknown): string | undefined {
  return nodeOfKind(arg, 'appProject')?.appProject.id;
}

/** The file a command was run on from the Explorer's context menu, if any. */
export function uriOf(arg: unknown): vscode.Uri | undefined {
  return arg instanceof vscode.Uri ? arg : undefined;
}

/** What a pool picker returns: a pool, or (where asked for) a training pool. */
export interface PickedPool {
  readonly kind: 'pool' | 'training';
  readonly id: string;
}

/** The pools (and training pools, when `trainings`) of active projects, archived ones left out, as quick-pick choices. */
async function poolChoices(connections: ClientProvider, trainings: boolean): Promise<Array<Choice<PickedPool>>> {
  const { client } = await connections.connection();
  return await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Loading pools…' }, async () => {
    const rows: Array<Choice<PickedPool>> = [];
    for (const project of await collect(client.projects.all({ status: 'ACTIVE' }, { limit: 300 }))) {
      const lists = [{ kind: 'pool' as const, all: client.pools.all({ project_id: project.id ?? '' }, { limit: 300 }) }, ...(trainings ? [{ kind: 'training' as const, all: client.trainings.all({ project_id: project.id ?? '' }, { limit: 300 }) }] : [])];
      for (const { kind, all } of lists) {
        for await (const pool of all) {
          if (pool.status === 'ARCHIVED' || !pool.id) continue;
          rows.push({ value: { kind, id: pool.id }, label: pool.private_name, description: `${kind === 'training' ? 'training pool · ' : ''}${(pool.status ?? '').toLowerCase()} · ${pool.id}`, detail: project.public_name });
          if (rows.length >= 2000) return rows;
        }
      }
    }
    return rows;
  });
}

/** A quick pick of the pools of active projects (archived pools left out). */
export async function pickPool(prompter: Prompter, connections: ClientProvider, title: string): Promise<string> {
  const items = await poolChoices(connections, false);
  if (items.length === 0) throw new Error('there are no pools in this environment yet');
  return (await prompter.pick(items, { title, matchOnDescription: true, matchOnDetail: true })).id;
}

/** A quick pick of the pools and training pools of active projects, trainings labelled as such. */
export async function pickPoolOrTraining(prompter: Prompter, connections: ClientProvider, title: string): Promise<PickedPool> {
  const items = await poolChoices(connections, true);
  if (items.length === 0) throw new Error('there are no pools or training pools in this environment yet');
  return await prompter.pick(items, { title, matchOnDescription: true, matchOnDetail: true });
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
  if (!root) throw new Error(`open a folder first, or give an absolute path: "${p}" is relative to the workspace`);
  return vscode.Uri.joinPath(root, p);
}

/**
 * A quick pick of the workspace's files with the given extensions (minus those `skip`
 * matches), or Browse… for any file.
 */
export async function pickWorkspaceFile(prompter: Prompter, o: { extensions: readonly string[]; title: string; placeHolder: string; dialogLabel: string; skip?: RegExp }): Promise<vscode.Uri> {
  const glob = o.extensions.length === 1 ? `**/*.${o.extensions[0]}` : `**/*.{${o.extensions.join(',')}}`;
  const files = (await vscode.workspace.findFiles(glob, '**/{node_modules,.git}/**', 500)).filter((f) => !o.skip?.test(f.path));
  const picked = await prompter.pick<vscode.Uri | undefined>([...files.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), value: uri })), { label: '$(folder-opened) Browse…', value: undefined }], {
    title: o.title,
    placeHolder: o.placeHolder,
  });
  return picked ?? (await prompter.openFile({ title: o.title, filters: { [o.dialogLabel]: o.extensions } }));
}

/** A quick pick of the workspace's TSV files, or Browse…. */
export function pickResultsFile(prompter: Prompter, title: string): Promise<vscode.Uri> {
  return pickWorkspaceFile(prompter, { extensions: ['tsv'], title, placeHolder: 'A results TSV', dialogLabel: 'Results TSV' });
}

/** An error on a whole line of a file (1-based), for the Problems panel. */
export function lineDiagnostic(line: number, message: string, source: string): vscode.Diagnostic {
  const d = new vscode.Diagnostic(new vscode.Range(line - 1, 0, line - 1, 10_000), message, vscode.DiagnosticSeverity.Error);
  d.source = source;
  return d;
}
