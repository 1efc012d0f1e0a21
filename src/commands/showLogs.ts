import type * as vscode from 'vscode';
import { Commands } from '../ids';
import { registerCommand, type CommandServices } from './registerCommand';

/** `Toloka: Show Logs` reveals the "Toloka" output channel without stealing focus from the editor. */
export function registerShowLogs(context: vscode.ExtensionContext, deps: CommandServices): void {
  registerCommand(context, deps, Commands.showLogs, () => deps.log.show(true), { quiet: true });
}
