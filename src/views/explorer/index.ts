import * as vscode from 'vscode';
import type { ClientProvider } from '../../environment/clientProvider';
import { Views } from '../../ids';
import { describeError } from '../../toloka/errors';
import { ExplorerModel, type Filter, type Node } from './model';
import { ExplorerTreeProvider } from './provider';

export interface ExplorerDeps {
  readonly connections: ClientProvider;
  readonly log: vscode.LogOutputChannel;
}

export interface Explorer {
  readonly model: ExplorerModel;
  readonly provider: ExplorerTreeProvider;
  readonly view: vscode.TreeView<Node>;
  /** Applies a filter and shows it in the view's description. */
  setFilter(filter: Filter): void;
}

/** The Projects tree: its model, provider and view, and the welcome-view state they drive. */
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

  const setFilter = (filter: Filter): void => {
    model.setFilter(filter);
    const parts = [...(filter.statuses.length > 0 ? [filter.statuses.join(', ').toLowerCase()] : []), ...(filter.text ? [`"${filter.text}"`] : [])];
    view.description = parts.length > 0 ? `filter: ${parts.join(' · ')}` : '';
    void vscode.commands.executeCommand('setContext', 'toloka.filtered', parts.length > 0);
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
  );
  return { model, provider, view, setFilter };
}
