import * as vscode from 'vscode';
import { Commands, WALKTHROUGH } from '../ids';
import { registerCommand, type CommandServices } from './registerCommand';

/** `Toloka: Show Logs` and `Toloka: Get Started with Toloka`. */
export function registerHelp(context: vscode.ExtensionContext, deps: CommandServices): void {
  // The log channel, revealed without taking focus from the editor.
  registerCommand(context, deps, Commands.showLogs, () => deps.log.show(true), { quiet: true });
  registerCommand(context, deps, Commands.openWalkthrough, () => vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH, false));
}
