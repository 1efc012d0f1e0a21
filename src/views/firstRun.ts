import * as vscode from 'vscode';
import { Views } from '../ids';

const SHOWN = 'toloka.firstRun.shown';

/**
 * The first time the extension runs in a profile, the Toloka view is shown (its welcome
 * content leads to the walkthrough), unless the user is already busy with a file.
 */
export function registerFirstRun(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): void {
  if (context.globalState.get<boolean>(SHOWN)) return;
  void context.globalState.update(SHOWN, true);
  if (vscode.window.activeTextEditor) return;
  log.info('First run in this profile: showing the Toloka view');
  void vscode.commands.executeCommand(`workbench.view.extension.${Views.container}`);
}
