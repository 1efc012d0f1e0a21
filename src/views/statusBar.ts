import * as vscode from 'vscode';
import { Commands } from '../ids';
import type { ClientProvider } from '../environment/clientProvider';

/** Shows the current environment; a click switches it. */
export function registerStatusBar(context: vscode.ExtensionContext, connections: ClientProvider): void {
  const item = vscode.window.createStatusBarItem('toloka.environment', vscode.StatusBarAlignment.Left, 50);
  item.name = 'Toloka Environment';
  item.command = Commands.selectEnvironment;
  const update = (): void => {
    const env = connections.settings().environment;
    item.text = `$(${env === 'production' ? 'cloud' : env === 'local' ? 'beaker' : 'cloud-upload'}) Toloka: ${env}`;
    item.tooltip = `Toloka environment: ${env}. Click to switch.`;
  };
  update();
  item.show();
  context.subscriptions.push(item, connections.onDidChange(update));
}
