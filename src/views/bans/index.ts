import * as vscode from 'vscode';
import type { ClientProvider } from '../../environment/clientProvider';
import { Views } from '../../ids';
import { describeError } from '../../toloka/errors';
import type { UserRestriction } from '../../toloka/models';

export type Ban = UserRestriction & { id: string };

function where(b: Ban): string {
  if (b.scope === 'POOL') return `pool ${b.pool_id ?? '?'}`;
  if (b.scope === 'PROJECT') return `project ${b.project_id ?? '?'}`;
  return b.scope === 'ALL_PROJECTS' ? 'all projects' : 'system';
}

/** The Bans view: every ban of the account, newest first, with its scope, end and private comment. */
export class BansView implements vscode.TreeDataProvider<Ban> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  items: Ban[] = [];
  error: string | undefined;
  readonly view: vscode.TreeView<Ban>;

  constructor(private readonly connections: ClientProvider) {
    this.view = vscode.window.createTreeView(Views.bans, { treeDataProvider: this });
  }

  async load(): Promise<Ban[]> {
    try {
      const { client } = await this.connections.connection();
      const out: Ban[] = [];
      for await (const r of client.userRestrictions.all()) if (r.id) out.push({ ...r, id: r.id });
      this.items = out.reverse();
      this.error = undefined;
    } catch (err) {
      this.error = describeError(err);
    }
    this.view.message = this.error ? `Could not load bans: ${this.error}` : this.items.length === 0 ? 'No Toloker is banned.' : '';
    return this.items;
  }

  refresh(): void {
    this.changed.fire();
  }

  getChildren(element?: Ban): Promise<Ban[]> | Ban[] {
    return element ? [] : this.load();
  }

  getTreeItem(b: Ban): vscode.TreeItem {
    const t = new vscode.TreeItem(b.user_id, vscode.TreeItemCollapsibleState.None);
    t.id = b.id;
    t.description = `${where(b)} · ${b.will_expire ? `until ${b.will_expire.slice(0, 16).replace('T', ' ')} UTC` : 'until lifted'}`;
    t.tooltip = `Toloker ${b.user_id}\nbanned from ${where(b)}${b.created ? ` on ${b.created.slice(0, 16).replace('T', ' ')} UTC` : ''}${b.private_comment ? `\n${b.private_comment}` : ''}`;
    t.iconPath = new vscode.ThemeIcon('circle-slash');
    t.contextValue = b.scope === 'SYSTEM' ? 'toloka.ban.system' : 'toloka.ban';
    return t;
  }

  dispose(): void {
    this.view.dispose();
    this.changed.dispose();
  }
}
