import * as vscode from 'vscode';
import type { ClientProvider } from '../../environment/clientProvider';
import { Commands, Views } from '../../ids';
import { describeError } from '../../toloka/errors';
import { localized, type MessageThread } from '../../toloka/models';

/** The Messages view: the inbox's threads, newest first, unread ones marked, the unread count as the view's badge. */
export class InboxView implements vscode.TreeDataProvider<MessageThread> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  items: MessageThread[] = [];
  readonly view: vscode.TreeView<MessageThread>;

  constructor(private readonly connections: ClientProvider) {
    this.view = vscode.window.createTreeView(Views.messages, { treeDataProvider: this });
  }

  get unread(): number {
    return this.items.filter((t) => t.folders?.includes('UNREAD')).length;
  }

  async load(): Promise<MessageThread[]> {
    try {
      const { client } = await this.connections.connection();
      const out: MessageThread[] = [];
      for await (const t of client.messages.all({ folder: ['INBOX'] })) out.push(t);
      this.items = out.reverse();
      const unread = this.unread;
      this.view.badge = unread > 0 ? { value: unread, tooltip: `${unread} unread message thread(s)` } : undefined;
      this.view.message = this.items.length === 0 ? 'No messages from Tolokers.' : '';
    } catch (err) {
      this.view.message = `Could not load messages: ${describeError(err)}`;
    }
    return this.items;
  }

  refresh(): void {
    this.changed.fire();
  }

  getChildren(element?: MessageThread): Promise<MessageThread[]> | MessageThread[] {
    return element ? [] : this.load();
  }

  getTreeItem(t: MessageThread): vscode.TreeItem {
    const unread = t.folders?.includes('UNREAD') ?? false;
    const item = new vscode.TreeItem(localized(t.topic) || '(no topic)', vscode.TreeItemCollapsibleState.None);
    item.id = t.id;
    const last = t.messages?.[0];
    item.description = `${unread ? '● unread · ' : ''}${last?.from?.myself ? 'you' : (last?.from?.id ?? '')}${last?.created ? ` · ${last.created.slice(0, 16).replace('T', ' ')}` : ''}`;
    item.tooltip = localized(last?.text);
    item.iconPath = new vscode.ThemeIcon(unread ? 'mail' : 'mail-read');
    item.contextValue = unread ? 'toloka.thread.unread' : 'toloka.thread';
    item.command = { command: Commands.readThread, title: 'Read', arguments: [t] };
    return item;
  }

  dispose(): void {
    this.view.dispose();
    this.changed.dispose();
  }
}
