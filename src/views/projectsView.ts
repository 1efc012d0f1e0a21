import * as vscode from 'vscode';
import { Views } from '../commands/ids';

/**
 * The Projects tree. Until an account is connected it has no rows, so VS Code shows the
 * view's welcome content (contributed in package.json) explaining what to do first.
 */
class EmptyProjectsProvider implements vscode.TreeDataProvider<never> {
  getTreeItem(element: never): vscode.TreeItem {
    return element;
  }

  getChildren(): never[] {
    return [];
  }
}

export function registerProjectsView(context: vscode.ExtensionContext): void {
  const view = vscode.window.createTreeView(Views.projects, {
    treeDataProvider: new EmptyProjectsProvider(),
    showCollapseAll: true,
  });
  context.subscriptions.push(view);
}
