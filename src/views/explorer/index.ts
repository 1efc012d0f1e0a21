import * as vscode from 'vscode';
import { Commands, Views } from '../../commands/ids';
import type { ClientProvider } from '../../environment/clientProvider';
import { webOrigins } from '../../toloka/client';
import { isTolokaError } from '../../toloka/errors';
import { PoolStatus } from '../../toloka/models';
import { ExplorerModel, noFilter, type Node } from './model';
import { ExplorerTreeProvider } from './provider';

export interface ExplorerDeps {
  readonly connections: ClientProvider;
  readonly log: vscode.LogOutputChannel;
}

export interface Explorer {
  readonly model: ExplorerModel;
  readonly provider: ExplorerTreeProvider;
  readonly view: vscode.TreeView<Node>;
}

/** A user-facing reason for a failed load: what happened, never `{}`. */
export function describeError(err: unknown): string {
  if (isTolokaError(err)) {
    if (err.kind === 'unauthorized') return 'Toloka refused the token: sign in again';
    if (err.kind === 'network') return `Toloka did not answer (${err.code})`;
    return err.message;
  }
  return err instanceof Error ? err.message : String(err);
}

function idOf(node: Node): string | undefined {
  switch (node.kind) {
    case 'project':
      return node.project.id;
    case 'pool':
    case 'training':
      return node.pool.id;
    case 'appProject':
      return node.appProject.id;
    default:
      return undefined;
  }
}

export function registerExplorer(context: vscode.ExtensionContext, deps: ExplorerDeps): Explorer {
  const pageSize = (): number => vscode.workspace.getConfiguration('toloka').get<number>('explorer.pageSize', 50);
  const model = new ExplorerModel(async () => (await deps.connections.connection()).client, pageSize(), describeError);
  // The welcome views follow the state of the root listing.
  const setState = (): void => {
    let state: string = model.rootState();
    const error = model.rootError() ?? '';
    if (state === 'error' && /^Not signed in/.test(error)) state = 'signedOut';
    void vscode.commands.executeCommand('setContext', 'toloka.explorerState', state);
    view.message = state === 'error' ? `Could not load projects: ${error}` : '';
  };
  const provider = new ExplorerTreeProvider(model, () => deps.connections.settings().environment, () => setState());
  const view = vscode.window.createTreeView(Views.projects, { treeDataProvider: provider, showCollapseAll: true });

  const describeFilter = (): void => {
    const f = model.filter;
    const parts = [...(f.statuses.length > 0 ? [f.statuses.join(', ').toLowerCase()] : []), ...(f.text ? [`"${f.text}"`] : [])];
    view.description = parts.length > 0 ? `filter: ${parts.join(' · ')}` : '';
    void vscode.commands.executeCommand('setContext', 'toloka.filtered', parts.length > 0);
  };

  const withClient = async <T>(run: (c: Awaited<ReturnType<ClientProvider['connection']>>) => Promise<T>): Promise<T | undefined> => {
    try {
      return await run(await deps.connections.connection());
    } catch (err) {
      const message = describeError(err);
      deps.log.error(message);
      void vscode.window.showErrorMessage(`Toloka: ${message}`);
      return undefined;
    }
  };

  context.subscriptions.push(
    view,
    provider,
    deps.connections.onDidChange(() => {
      model.pageSize = pageSize();
      model.refresh();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('toloka.explorer.pageSize')) {
        model.pageSize = pageSize();
        model.refresh();
      }
    }),
    vscode.commands.registerCommand(Commands.refresh, () => model.refresh()),
    vscode.commands.registerCommand(Commands.refreshNode, (node?: Node) => {
      if (!node) return model.refresh();
      return model.refresh(node.kind === 'error' || node.kind === 'loadMore' ? (node.parentKey === 'root' ? undefined : node.parentKey) : node.key);
    }),
    vscode.commands.registerCommand(Commands.loadMore, (node?: Node) => (node?.kind === 'loadMore' ? model.loadMore(node.parentKey) : undefined)),
    vscode.commands.registerCommand(Commands.filter, async (preset?: { statuses?: PoolStatus[]; text?: string }) => {
      let filter = preset ? { ...noFilter, ...preset } : undefined;
      if (!filter) {
        const picked = await vscode.window.showQuickPick(
          PoolStatus.options.map((s) => ({ label: s, picked: model.filter.statuses.includes(s) })),
          { canPickMany: true, title: 'Show pools in these statuses (none picked: all)' },
        );
        if (!picked) return;
        const text = await vscode.window.showInputBox({ title: 'Show pools whose name or id contains (empty: all)', value: model.filter.text });
        if (text === undefined) return;
        filter = { statuses: picked.map((p) => p.label as PoolStatus), text: text.trim() };
      }
      model.setFilter(filter);
      describeFilter();
    }),
    vscode.commands.registerCommand(Commands.clearFilter, () => {
      model.setFilter(noFilter);
      describeFilter();
    }),
    vscode.commands.registerCommand(Commands.copyId, async (node?: Node) => {
      const id = node ? idOf(node) : undefined;
      if (id) await vscode.env.clipboard.writeText(id);
    }),
    vscode.commands.registerCommand(Commands.openInToloka, async (node?: Node) => {
      const env = deps.connections.settings().environment;
      if (!node || (env !== 'production' && env !== 'sandbox')) {
        void vscode.window.showInformationMessage(`The ${env} environment has no Toloka web interface to open.`);
        return;
      }
      const path = node.kind === 'project' ? `project/${node.project.id}` : node.kind === 'pool' ? `project/${node.pool.project_id}/pool/${node.pool.id}` : undefined;
      if (path) await vscode.env.openExternal(vscode.Uri.parse(`${webOrigins[env]}/requester/${path}`));
    }),
    vscode.commands.registerCommand(Commands.findPool, async (given?: string) => {
      const id = given ?? (await vscode.window.showInputBox({ title: 'Find pool by ID', prompt: 'The pool id, as shown in Toloka', validateInput: (v) => (/^\d+$/.test(v.trim()) ? undefined : 'A pool id is a number') }))?.trim();
      if (!id) return;
      await withClient(async ({ client }) => {
        const pool = await client.pools.get(id);
        await vscode.commands.executeCommand(Commands.openPoolAsJson, pool.id);
        const node = model.node(`pool/${pool.id ?? ''}`);
        if (node) await view.reveal(node, { select: true, focus: false });
        return pool;
      });
    }),
  );
  return { model, provider, view };
}
