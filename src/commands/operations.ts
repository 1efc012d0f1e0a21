import * as vscode from 'vscode';
import type { ClientProvider } from '../environment/clientProvider';
import { Commands } from '../ids';
import { describeError } from '../toloka/errors';
import type { Operation } from '../toloka/models';
import type { OperationsModel } from '../views/operations/model';
import { registerCommand, type CommandServices } from './registerCommand';

export interface OperationCommandDeps extends CommandServices {
  readonly connections: ClientProvider;
  readonly operations: OperationsModel;
}

/** Operation types whose log says which item became what. */
const LOGGED = new Set(['TASK.BATCH_CREATE', 'TASK_SUITE.BATCH_CREATE', 'USER_BONUS.BATCH_CREATE']);

function isOperation(arg: unknown): arg is Operation {
  return !!arg && typeof arg === 'object' && typeof (arg as Operation).id === 'string' && typeof (arg as Operation).type === 'string';
}

export function registerOperationCommands(context: vscode.ExtensionContext, deps: OperationCommandDeps): void {
  registerCommand(context, deps, Commands.refreshOperations, () => deps.operations.refresh(), { quiet: true });
  registerCommand(
    context,
    deps,
    Commands.showOperation,
    async (_ctx, op) => {
      if (!isOperation(op)) throw new Error('choose an operation in the Operations view');
      const { client } = await deps.connections.connection();
      const fresh = await client.operations.get(op.id);
      const log = LOGGED.has(fresh.type) ? await client.operations.log(op.id).catch((err: unknown) => `log not available: ${describeError(err)}`) : undefined;
      const doc = await vscode.workspace.openTextDocument({ language: 'json', content: `${JSON.stringify(log === undefined ? fresh : { operation: fresh, log }, null, 2)}\n` });
      await vscode.window.showTextDocument(doc, { preview: true });
    },
    { failure: 'Could not show the operation', retry: true },
  );
}
