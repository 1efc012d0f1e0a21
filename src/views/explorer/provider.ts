import * as vscode from 'vscode';
import { Commands } from '../../ids';
import type { ExplorerModel, Node } from './model';
import { contextValueOf } from './nodes';

const statusIcon: Record<string, vscode.ThemeIcon> = {
  OPEN: new vscode.ThemeIcon('play-circle', new vscode.ThemeColor('testing.iconPassed')),
  CLOSED: new vscode.ThemeIcon('debug-pause'),
  ARCHIVED: new vscode.ThemeIcon('archive', new vscode.ThemeColor('disabledForeground')),
  LOCKED: new vscode.ThemeIcon('lock'),
};

/** Maps explorer nodes to tree items: stable ids (expansion survives refresh) and context values for menus. */
export class ExplorerTreeProvider implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    private readonly model: ExplorerModel,
    private readonly environment: () => string,
    /** Called after each load of the root rows (for welcome-view state). */
    private readonly onRootLoaded: () => void = () => undefined,
  ) {
    model.onDidChange((key) => this.changed.fire(key === undefined ? undefined : model.node(key)));
  }

  async getChildren(element?: Node): Promise<Node[]> {
    const rows = await this.model.children(element);
    if (element) return rows;
    this.onRootLoaded();
    // Without projects the view shows its welcome content rather than a lone section or error row.
    const state = this.model.rootState();
    return state === 'error' || state === 'empty' ? [] : rows;
  }

  getParent(element: Node): Node | undefined {
    return this.model.parentOf(element);
  }

  getTreeItem(node: Node): vscode.TreeItem {
    const C = vscode.TreeItemCollapsibleState;
    const item = (label: string, state: vscode.TreeItemCollapsibleState): vscode.TreeItem => {
      const t = new vscode.TreeItem(label, state);
      t.id = `${this.environment()}/${node.key}`;
      t.contextValue = contextValueOf(node);
      return t;
    };
    switch (node.kind) {
      case 'project': {
        const t = item(node.project.public_name, C.Collapsed);
        t.description = node.project.id;
        t.iconPath = new vscode.ThemeIcon('project');
        t.tooltip = new vscode.MarkdownString(`**${node.project.public_name}**\n\nProject ${node.project.id}${node.project.public_description ? `\n\n${node.project.public_description}` : ''}`);
        return t;
      }
      case 'pool': {
        const p = node.pool;
        const t = item(p.private_name, C.Collapsed);
        const status = p.status ?? 'CLOSED';
        t.description = `${status.toLowerCase()}${p.last_close_reason && status === 'CLOSED' ? ` (${p.last_close_reason.toLowerCase().replace(/_/g, ' ')})` : ''} · ${p.id}`;
        t.iconPath = node.busy ? new vscode.ThemeIcon('loading~spin') : (statusIcon[status] ?? new vscode.ThemeIcon('circle-outline'));
        t.tooltip = new vscode.MarkdownString(`**${p.private_name}**\n\nPool ${p.id} · ${status}\n\n$${p.reward_per_assignment} per task suite, overlap ${p.defaults.default_overlap_for_new_tasks ?? p.defaults.default_overlap_for_new_task_suites}`);
        return t;
      }
      case 'trainings': {
        const t = item('Training pools', C.Collapsed);
        t.iconPath = new vscode.ThemeIcon('mortar-board');
        return t;
      }
      case 'training': {
        const p = node.pool;
        const t = item(p.private_name, C.Collapsed);
        const status = p.status ?? 'CLOSED';
        t.description = `${status.toLowerCase()}${p.last_close_reason && status === 'CLOSED' ? ` (${p.last_close_reason.toLowerCase().replace(/_/g, ' ')})` : ''} · ${p.id}`;
        t.iconPath = node.busy ? new vscode.ThemeIcon('loading~spin') : (statusIcon[status] ?? new vscode.ThemeIcon('circle-outline'));
        t.tooltip = new vscode.MarkdownString(`**${p.private_name}**\n\nTraining pool ${p.id} · ${status}\n\n${p.training_tasks_in_task_suite_count} training task(s) per suite`);
        return t;
      }
      case 'appProjects': {
        const t = item('App projects', C.Collapsed);
        t.iconPath = new vscode.ThemeIcon('extensions');
        return t;
      }
      case 'appProject': {
        const t = item(node.appProject.name, C.Collapsed);
        t.description = `${(node.appProject.status ?? '').toLowerCase()} · ${node.appProject.app_id}`;
        t.iconPath = new vscode.ThemeIcon('symbol-event');
        return t;
      }
      case 'appBatches': {
        const t = item('Batches', C.Collapsed);
        t.iconPath = new vscode.ThemeIcon('layers');
        return t;
      }
      case 'appBatch': {
        const b = node.batch;
        const t = item(b.name ?? b.id, C.None);
        const processed = b.items_processed_count ?? 0;
        t.description = `${(b.status ?? 'NEW').toLowerCase()} · ${(b.item_count ?? 0).toLocaleString()} item(s)${processed ? `, ${processed.toLocaleString()} done` : ''} · ${b.id}`;
        t.iconPath = new vscode.ThemeIcon(({ COMPLETED: 'pass', NEW: 'circle-outline', STOPPING: 'debug-pause', STOPPED: 'debug-pause', ARCHIVE: 'archive' } as Partial<Record<string, string>>)[b.status ?? 'NEW'] ?? 'sync');
        const perState = Object.entries(b.items_per_state ?? {}).map(([k, v]) => `${k.toLowerCase()} ${v}`).join(', ');
        t.tooltip = new vscode.MarkdownString(`**${b.name ?? b.id}**\n\nBatch ${b.id} · ${b.status ?? 'NEW'} · priority ${b.priority_order ?? 'FIVE'}${perState ? `\n\nItems: ${perState}` : ''}`);
        return t;
      }
      case 'skills': {
        const t = item('Skills', C.Collapsed);
        t.iconPath = new vscode.ThemeIcon('star-empty');
        return t;
      }
      case 'skill': {
        const t = item(node.skill.name, C.Collapsed);
        t.description = `${node.skill.hidden ? 'hidden · ' : ''}${node.skill.id}`;
        t.iconPath = new vscode.ThemeIcon('star-full');
        t.tooltip = new vscode.MarkdownString(`**${node.skill.name}**\n\nSkill ${node.skill.id}${node.skill.private_comment ? `\n\n${node.skill.private_comment}` : ''}`);
        return t;
      }
      case 'detail': {
        const t = item(node.label, C.None);
        t.description = node.value;
        return t;
      }
      case 'loadMore': {
        const t = item('Load more…', C.None);
        t.iconPath = new vscode.ThemeIcon('ellipsis');
        t.command = { command: Commands.loadMore, title: 'Load more', arguments: [node] };
        return t;
      }
      case 'error': {
        const t = item(`Could not load: ${node.message}`, C.None);
        t.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
        t.tooltip = node.message;
        t.command = { command: Commands.refreshNode, title: 'Retry', arguments: [node] };
        return t;
      }
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}
