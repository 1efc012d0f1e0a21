import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { ClientProvider } from '../environment/clientProvider';
import type { LocalSandboxService } from '../environment/localSandbox';
import { EnvironmentName } from '../environment/settingsSchema';
import { Commands } from '../ids';
import type { Prompter } from './prompter';
import { registerCommand, type CommandServices } from './registerCommand';

export interface EnvironmentDeps extends CommandServices {
  readonly connections: ClientProvider;
  readonly localSandbox: LocalSandboxService;
}

const descriptions: Record<EnvironmentName, string> = {
  local: 'The built-in sandbox with simulated Tolokers: no account, no internet, no cost',
  sandbox: "Toloka's sandbox (sandbox.toloka.dev): real API, test money",
  production: 'Toloka (toloka.dev): real Tolokers, real money',
  custom: 'Another Toloka-compatible server (toloka.customUrl)',
};

/**
 * Sets `toloka.environment` where it takes effect: a value in the workspace (or folder)
 * settings wins over the user's, so writing only the user setting would change nothing.
 */
async function setEnvironment(env: EnvironmentName, prompter: Prompter, log: vscode.LogOutputChannel): Promise<void> {
  const config = vscode.workspace.getConfiguration('toloka');
  const seen = config.inspect<string>('environment');
  const target =
    seen?.workspaceFolderValue !== undefined ? vscode.ConfigurationTarget.WorkspaceFolder : seen?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await config.update('environment', env, target);
  const where = target === vscode.ConfigurationTarget.Global ? 'user settings' : target === vscode.ConfigurationTarget.Workspace ? 'workspace settings' : 'folder settings';
  log.info(`Environment set to ${env} in the ${where}`);
  if (target !== vscode.ConfigurationTarget.Global) {
    void prompter.message('info', `Toloka environment set to ${env} in this workspace's settings, where it was already set (they win over your user settings).`);
  }
}

export function registerEnvironmentCommands(context: vscode.ExtensionContext, deps: EnvironmentDeps): void {
  registerCommand(context, deps, Commands.selectEnvironment, async ({ prompter, log }) => {
    const current = deps.connections.settings().environment;
    const env = await prompter.pick(
      EnvironmentName.options.map((name) => ({ label: name, value: name, description: name === current ? '(current)' : '', detail: descriptions[name] })),
      { title: 'Toloka environment', placeHolder: `Now: ${current}` },
    );
    await setEnvironment(env, prompter, log);
  });
  registerCommand(context, deps, Commands.useLocalSandbox, ({ prompter, log }) => setEnvironment('local', prompter, log));
  registerCommand(
    context,
    deps,
    Commands.startLocalSandbox,
    async ({ prompter }) => {
      const sandbox = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Starting the local Toloka sandbox…' }, () => deps.localSandbox.ensureStarted());
      const copy = 'Copy API URL';
      void prompter.message('info', `The local Toloka sandbox is running at ${sandbox.apiRoot}`, copy).then(async (a) => {
        if (a === copy) await vscode.env.clipboard.writeText(sandbox.apiRoot);
      });
      return sandbox.apiRoot;
    },
    { failure: 'The local sandbox did not start', retry: true },
  );
  registerCommand(context, deps, Commands.stopLocalSandbox, async () => {
    await deps.localSandbox.stop();
    deps.connections.reset();
  });
  // Dry-runs and experiments pile up in the built-in sandbox: this empties it, after asking.
  registerCommand(
    context,
    deps,
    Commands.resetLocalSandbox,
    async ({ prompter, log }) => {
      const file = deps.localSandbox.dataFile;
      const elsewhere = deps.connections.settings().localUrl.trim();
      await prompter.confirm({
        message: 'Reset the built-in local sandbox?',
        detail: `Everything in it goes: projects, pools, tasks, answers, dry-runs, skills, bans, bonuses and messages (its data file ${file}). This cannot be undone.${elsewhere ? ` The local environment uses ${elsewhere}, which is not touched.` : ''}`,
        action: 'Reset',
      });
      await deps.localSandbox.stop();
      fs.rmSync(file, { force: true });
      deps.connections.reset();
      log.info(`reset the built-in local sandbox: removed ${file}`);
      void vscode.commands.executeCommand(Commands.refresh);
      void prompter.message('info', 'The built-in local sandbox is empty; it starts again when it is needed.');
      return file;
    },
    { failure: 'Could not reset the local sandbox' },
  );
}
