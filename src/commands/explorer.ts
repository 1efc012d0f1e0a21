import * as vscode from 'vscode';
import type { ClientProvider } from '../environment/clientProvider';
import { Commands } from '../ids';
import { webOrigins } from '../toloka/client';
import { PoolStatus } from '../toloka/models';
import type { Explorer } from '../views/explorer';
import type { Node } from '../views/explorer/model';
import { copyableId } from '../views/explorer/nodes';
import { openPoolDocument } from './pools';
import { registerCommand, type CommandServices } from './registerCommand';

export interface ExplorerCommandDeps extends CommandServices {
  readonly connections: ClientProvider;
  readonly explorer: Explorer;
}

function isNode(arg: unknown): arg is Node {
  return !!arg && typeof arg === 'object' && typeof (arg as Node).kind === 'string' && typeof (arg as Node).key === 'string';
}

/** The explorer's own commands: refresh, paging, filter, find, copy and open in the browser. */
export function registerExplorerCommands(context: vscode.ExtensionContext, deps: ExplorerCommandDeps): void {
  const { model } = deps.explorer;
  registerCommand(context, deps, Commands.refresh, () => model.refresh(), { quiet: true });
  registerCommand(
    context,
    deps,
    Commands.refreshNode,
    (_ctx, node) => {
      if (!isNode(node)) return model.refresh();
      return model.refresh(node.kind === 'error' || node.kind === 'loadMore' ? (node.parentKey === 'root' ? undefined : node.parentKey) : node.key);
    },
    { quiet: true },
  );
  registerCommand(context, deps, Commands.loadMore, (_ctx, node) => (isNode(node) && node.kind === 'loadMore' ? model.loadMore(node.parentKey) : undefined), { quiet: true, failure: 'Could not load more rows' });
  registerCommand(context, deps, Commands.filter, async ({ prompter }) => {
    const statuses = await prompter.pickMany(
      PoolStatus.options.map((s) => ({ label: s, value: s, picked: model.filter.statuses.includes(s) })),
      { title: 'Show pools in these statuses (none picked: all)' },
    );
    const text = await prompter.input({ title: 'Show pools whose name or id contains (empty: all)', value: model.filter.text });
    deps.explorer.setFilter({ statuses, text: text.trim() });
  });
  registerCommand(context, deps, Commands.clearFilter, () => deps.explorer.setFilter({ statuses: [], text: '' }), { quiet: true });
  registerCommand(context, deps, Commands.copyId, async (_ctx, node) => {
    const id = isNode(node) ? copyableId(node) : undefined;
    if (!id) throw new Error('choose a project, pool, training or app project row to copy its id');
    await vscode.env.clipboard.writeText(id);
    return id;
  });
  registerCommand(context, deps, Commands.openInToloka, async ({ prompter }, node) => {
    const env = deps.connections.settings().environment;
    if (env !== 'production' && env !== 'sandbox') {
      void prompter.message('info', `The ${env} environment has no Toloka web interface to open.`);
      return;
    }
    const path = !isNode(node) ? undefined : node.kind === 'project' ? `project/${node.project.id}` : node.kind === 'pool' ? `project/${node.pool.project_id}/pool/${node.pool.id}` : undefined;
    if (!path) throw new Error('choose a project or pool row to open it in Toloka');
    await vscode.env.openExternal(vscode.Uri.parse(`${webOrigins[env]}/requester/${path}`));
  });
  registerCommand(
    context,
    deps,
    Commands.findPool,
    async ({ prompter }) => {
      const id = (await prompter.input({ title: 'Find pool by ID', prompt: 'The pool id, as shown in Toloka', validate: (v) => (/^\d+$/.test(v.trim()) ? undefined : 'A pool id is a number') })).trim();
      const { client } = await deps.connections.connection();
      const pool = await client.pools.get(id);
      await openPoolDocument(deps.connections, pool.id ?? id);
      const node = model.node(`pool/${pool.id ?? id}`);
      if (node) await deps.explorer.view.reveal(node, { select: true, focus: false });
      return pool.id;
    },
    { failure: 'Could not find the pool' },
  );
}
