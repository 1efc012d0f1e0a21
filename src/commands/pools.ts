import * as vscode from 'vscode';
import { poolDocumentUri } from '../editors/poolFileSystem';
import type { ClientProvider } from '../environment/clientProvider';
import { Commands } from '../ids';
import type { Operation } from '../toloka/models';
import type { ExplorerModel } from '../views/explorer/model';
import { poolLikeNodeOf, poolNodeOf, type PoolLikeNode, type PoolNode } from './pick';
import { registerCommand, type CommandContext, type CommandServices } from './registerCommand';

export interface PoolCommandDeps extends CommandServices {
  readonly connections: ClientProvider;
  readonly model: ExplorerModel;
}

type Action = 'open' | 'close' | 'archive' | 'clone';
const verbs: Record<Action, [string, string]> = { open: ['Opening', 'opened'], close: ['Closing', 'closed'], archive: ['Archiving', 'archived'], clone: ['Cloning', 'cloned'] };

function detailOf(op: Operation, key: string): string | undefined {
  const v = op.details?.[key];
  return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
}

/** Runs a pool or training pool operation with a cancellable notification, a spinner on the row, and a refresh at the end. */
async function runPoolAction(ctx: CommandContext, deps: PoolCommandDeps, action: Action, node: PoolLikeNode): Promise<Operation | undefined> {
  const { pool } = node;
  const training = node.kind === 'training';
  const what = training ? 'training pool' : 'pool';
  const [doing, done] = verbs[action];
  ctx.onCancel(`Stopped waiting for ${what} ${pool.id}; an operation already started goes on in Toloka.`);
  return await ctx.withProgress(`${doing} ${what} "${pool.private_name}" (${pool.id})`, async (signal, progress) => {
    deps.model.setBusy(pool.id, true);
    try {
      const { client } = await deps.connections.connection();
      const api = training ? client.trainings : client.pools;
      const started = action === 'clone' ? await api.clone(pool.id, { signal }) : await api[action](pool.id, { signal });
      if (!started) {
        void ctx.prompter.message('info', `${training ? 'Training pool' : 'Pool'} ${pool.id} is already ${done}.`);
        return undefined;
      }
      ctx.log.info(`${doing} ${what} ${pool.id}: operation ${started.id}`);
      let last = 0;
      const op = await client.operations.wait(started, {
        signal,
        onProgress: (o) => {
          const p = o.progress ?? 0;
          progress.report({ increment: p - last, message: o.status.toLowerCase() });
          last = p;
        },
      });
      if (op.status === 'FAIL') throw new Error(`the ${op.type} operation ${op.id} failed${detailOf(op, 'error') ? `: ${detailOf(op, 'error')}` : ''}`);
      if (action === 'clone') {
        deps.model.refresh(`${training ? 'trainings' : 'project'}/${pool.project_id}`);
        void ctx.prompter.message('info', `${training ? 'Training pool' : 'Pool'} ${pool.id} cloned: the copy is ${what} ${detailOf(op, training ? 'training_id' : 'pool_id') ?? '(id not reported)'}.`);
      }
      return op;
    } finally {
      deps.model.setBusy(pool.id, false);
      const reload = training ? deps.model.reloadTraining(pool.id) : deps.model.reloadPool(pool.id);
      await reload.catch(() => deps.model.refresh(`${training ? 'trainings' : 'project'}/${pool.project_id}`));
    }
  });
}

/** Opens a pool as an editable JSON document (a `toloka-pool:` URI). */
export async function openPoolDocument(connections: ClientProvider, poolId: string): Promise<vscode.TextEditor> {
  const { apiRoot } = await connections.connection();
  const doc = await vscode.workspace.openTextDocument(poolDocumentUri(connections.settings().environment, apiRoot, poolId));
  await vscode.languages.setTextDocumentLanguage(doc, 'json');
  return await vscode.window.showTextDocument(doc, { preview: false });
}

function requirePool(arg: unknown, what: string): PoolNode {
  const node = poolNodeOf(arg);
  if (!node) throw new Error(`choose a pool in the Toloka explorer to ${what} it`);
  return node;
}

function requirePoolLike(arg: unknown, what: string): PoolLikeNode {
  const node = poolLikeNodeOf(arg);
  if (!node) throw new Error(`choose a pool or training pool in the Toloka explorer to ${what} it`);
  return node;
}

export function registerPoolCommands(context: vscode.ExtensionContext, deps: PoolCommandDeps): void {
  const lifecycle = (id: string, action: Action): void =>
    registerCommand(
      context,
      deps,
      id,
      async (ctx, arg) => {
        const node = requirePoolLike(arg, action);
        if (action === 'archive') {
          const what = node.kind === 'training' ? 'training pool' : 'pool';
          await ctx.prompter.confirm({
            message: `Archive ${what} "${node.pool.private_name}" (${node.pool.id})?`,
            detail: `An archived ${what} cannot be opened again; clone it to reuse its settings.`,
            action: 'Archive',
          });
        }
        return await runPoolAction(ctx, deps, action, node);
      },
      { failure: `Could not ${action} the pool` },
    );
  lifecycle(Commands.openPool, 'open');
  lifecycle(Commands.closePool, 'close');
  lifecycle(Commands.archivePool, 'archive');
  lifecycle(Commands.clonePool, 'clone');
  registerCommand(context, deps, Commands.openPoolAsJson, (_ctx, arg) => openPoolDocument(deps.connections, requirePool(arg, 'open').pool.id), { failure: 'Could not open the pool', retry: true });
}
