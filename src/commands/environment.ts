import * as vscode from 'vscode';
import type { ClientProvider } from '../environment/clientProvider';
import type { LocalSandboxService } from '../environment/localSandbox';
import { EnvironmentName } from '../environment/settings';
import { Commands } from './ids';

export interface EnvironmentDeps {
  readonly connections: ClientProvider;
  readonly localSandbox: LocalSandboxService;
  readonly log: vscode.LogOutputChannel;
}

const descriptions: Record<EnvironmentName, string> = {
  local: 'The built-in sandbox with simulated Tolokers: no account, no internet, no cost',
  sandbox: "Toloka's sandbox (sandbox.toloka.dev): real API, test money",
  production: 'Toloka (toloka.dev): real Tolokers, real money',
  custom: 'Another Toloka-compatible server (toloka.customUrl)',
};

export function registerEnvironmentCommands(context: vscode.ExtensionContext, deps: EnvironmentDeps): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(Commands.selectEnvironment, async (picked?: string) => {
      const current = deps.connections.settings().environment;
      const choice = picked ?? (await vscode.window.showQuickPick(
        EnvironmentName.options.map((name) => ({ label: name, description: name === current ? '(current)' : '', detail: descriptions[name] })),
        { title: 'Toloka environment', placeHolder: `Now: ${current}` },
      ))?.label;
      if (!choice) return;
      const env = EnvironmentName.safeParse(choice);
      if (!env.success) throw new Error(`Unknown Toloka environment "${choice}"; choose one of ${EnvironmentName.options.join(', ')}`);
      await vscode.workspace.getConfiguration('toloka').update('environment', env.data, vscode.ConfigurationTarget.Global);
      deps.log.info(`Environment set to ${env.data}`);
    }),
    vscode.commands.registerCommand(Commands.startLocalSandbox, async () => {
      const sandbox = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: 'Starting the local Toloka sandbox…' },
        () => deps.localSandbox.ensureStarted(),
      );
      const copy = 'Copy API URL';
      void vscode.window.showInformationMessage(`The local Toloka sandbox is running at ${sandbox.apiRoot}`, copy).then(async (a) => {
        if (a === copy) await vscode.env.clipboard.writeText(sandbox.apiRoot);
      });
      return sandbox.apiRoot;
    }),
    vscode.commands.registerCommand(Commands.stopLocalSandbox, async () => {
      await deps.localSandbox.stop();
      deps.connections.reset();
    }),
  );
}
