import * as vscode from 'vscode';
import { Commands, Views } from '../../ids';
import { describeError } from '../../toloka/errors';
import { plainText } from '../../toloka/text';
import type { ClientProvider } from '../../environment/clientProvider';
import type { Operation } from '../../toloka/models';
import { OperationsModel } from './model';

const icons: Record<string, vscode.ThemeIcon> = {
  PENDING: new vscode.ThemeIcon('loading~spin'),
  RUNNING: new vscode.ThemeIcon('loading~spin'),
  SUCCESS: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  FAIL: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
};

function target(op: Operation): string {
  const p = op.parameters ?? {};
  const id = p['pool_id'] ?? p['training_id'] ?? p['project_id'];
  return id === undefined ? '' : ` · ${p['pool_id'] !== undefined ? 'pool' : p['training_id'] !== undefined ? 'training' : 'project'} ${plainText(id)}`;
}

class OperationsProvider implements vscode.TreeDataProvider<Operation> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly model: OperationsModel) {
    model.onDidChange(() => this.changed.fire());
  }

  async getChildren(element?: Operation): Promise<Operation[]> {
    if (element) return [];
    if (this.model.items.length === 0 && !this.model.error) await this.model.refresh();
    return this.model.items;
  }

  getTreeItem(op: Operation): vscode.TreeItem {
    const t = new vscode.TreeItem(op.type, vscode.TreeItemCollapsibleState.None);
    t.id = op.id;
    const progress = op.status === 'RUNNING' && op.progress !== undefined ? ` ${op.progress}%` : '';
    t.description = `${op.status.toLowerCase()}${progress}${target(op)}`;
    t.iconPath = icons[op.status] ?? new vscode.ThemeIcon('circle-outline');
    t.tooltip = `${op.type} ${op.id}\n${op.status}${op.submitted ? `\nsubmitted ${op.submitted}` : ''}${op.finished ? `\nfinished ${op.finished}` : ''}`;
    t.contextValue = `toloka.operation.${op.status.toLowerCase()}`;
    t.command = { command: Commands.showOperation, title: 'Show Operation', arguments: [op] };
    return t;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export function registerOperationsView(context: vscode.ExtensionContext, connections: ClientProvider): OperationsModel {
  const model = new OperationsModel(async () => (await connections.connection()).client, describeError);
  const provider = new OperationsProvider(model);
  const view = vscode.window.createTreeView(Views.operations, { treeDataProvider: provider });
  model.onDidChange(() => {
    view.message = model.error ? `Could not load operations: ${model.error}` : model.items.length === 0 ? 'No operations yet.' : '';
  });
  context.subscriptions.push(
    view,
    provider,
    model,
    connections.onDidChange(() => {
      model.items = [];
      void model.refresh();
    }),
  );
  return model;
}
