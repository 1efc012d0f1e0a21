import * as vscode from 'vscode';
import type { ClientProvider } from '../environment/clientProvider';
import { seedDemo } from '../sandbox/demo';
import { describeError } from '../views/explorer';
import type { ExplorerModel } from '../views/explorer/model';
import { Commands } from './ids';

export interface DemoDeps {
  readonly connections: ClientProvider;
  readonly model: ExplorerModel;
  readonly log: vscode.LogOutputChannel;
}

/** `Toloka: Create Demo Project`: a classification project with pools, in the local sandbox only. */
export function registerDemo(context: vscode.ExtensionContext, deps: DemoDeps): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(Commands.createDemoProject, async () => {
      const { environment, apiRoot } = await deps.connections.connection();
      if (environment !== 'local') {
        void vscode.window.showInformationMessage('The demo project is made in the local sandbox only, never in a real account. Switch the environment to local first.');
        return undefined;
      }
      try {
        const ids = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: 'Creating the demo project; simulated Tolokers finish its first pool…' },
          () => seedDemo(apiRoot),
        );
        deps.log.info(`Demo project ${ids.projectId} created in the local sandbox`);
        deps.model.refresh();
        return ids;
      } catch (err) {
        void vscode.window.showErrorMessage(`Could not create the demo project: ${describeError(err)}`);
        return undefined;
      }
    }),
  );
}
