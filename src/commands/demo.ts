import * as vscode from 'vscode';
import type { ClientProvider } from '../environment/clientProvider';
import { Commands } from '../ids';
import { seedDemo } from '../sandbox/demo';
import type { ExplorerModel } from '../views/explorer/model';
import { registerCommand, type CommandServices } from './registerCommand';

export interface DemoDeps extends CommandServices {
  readonly connections: ClientProvider;
  readonly model: ExplorerModel;
}

/** `Toloka: Create Demo Project`: a classification project with pools, in the local sandbox only. */
export function registerDemo(context: vscode.ExtensionContext, deps: DemoDeps): void {
  registerCommand(
    context,
    deps,
    Commands.createDemoProject,
    async ({ prompter, log }) => {
      const { environment, apiRoot } = await deps.connections.connection();
      if (environment !== 'local') {
        void prompter.message('info', 'The demo project is made in the local sandbox only, never in a real account. Switch the environment to local first.');
        return undefined;
      }
      const ids = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Creating the demo project; simulated Tolokers finish its first pool…' }, () => seedDemo(apiRoot));
      log.info(`Demo project ${ids.projectId} created in the local sandbox`);
      deps.model.refresh();
      return ids;
    },
    { failure: 'Could not create the demo project' },
  );
}
