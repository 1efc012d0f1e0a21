import * as vscode from 'vscode';
import { Commands } from './ids';

export interface ShowLogsDeps {
  readonly log: vscode.LogOutputChannel;
}

/** `Toloka: Show Logs` reveals the "Toloka" output channel without stealing focus from the editor. */
export function registerShowLogs(context: vscode.ExtensionContext, deps: ShowLogsDeps): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(Commands.showLogs, () => {
      deps.log.show(true);
    }),
  );
}
