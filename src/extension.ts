import * as vscode from 'vscode';
import { registerShowLogs } from './commands/showLogs';
import { registerProjectsView } from './views/projectsView';

/** What tests and other extensions can reach after activation. */
export interface TolokaExtensionApi {
  readonly log: vscode.LogOutputChannel;
  /** Folder of this extension's log files (the "Toloka" channel is written there). */
  readonly logUri: vscode.Uri;
  /** Milliseconds spent inside `activate()`. */
  readonly activationMs: number;
}

/**
 * Composition root: builds the shared services once and hands them to one register…()
 * function per feature. Features never reach for globals.
 */
export function activate(context: vscode.ExtensionContext): TolokaExtensionApi {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('Toloka', { log: true });
  context.subscriptions.push(log);

  registerShowLogs(context, { log });
  registerProjectsView(context);

  const activationMs = performance.now() - started;
  log.info(`Toloka for VS Code ${String(context.extension.packageJSON.version)} activated in ${activationMs.toFixed(1)} ms`);
  return { log, logUri: context.logUri, activationMs };
}

export function deactivate(): void {
  // Everything is released through context.subscriptions.
}
