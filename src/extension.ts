import * as vscode from 'vscode';
import { registerAggregate } from './commands/aggregate';
import { registerApps } from './commands/apps';
import { registerAuth } from './commands/auth';
import { registerDemo } from './commands/demo';
import { registerEnvironmentCommands } from './commands/environment';
import { registerPayloadCommands } from './commands/payloads';
import { registerPoolCommands } from './commands/pools';
import { registerResults } from './commands/results';
import { registerReview } from './commands/review';
import { registerUpload } from './commands/upload';
import { registerShowLogs } from './commands/showLogs';
import { ClientProvider } from './environment/clientProvider';
import { LocalSandboxService } from './environment/localSandbox';
import { registerExplorer, type Explorer } from './views/explorer';
import { registerOperationsView } from './views/operations';
import type { OperationsModel } from './views/operations/model';
import { registerStatusBar } from './views/statusBar';

/** What tests and other extensions can reach after activation. */
export interface TolokaExtensionApi {
  readonly log: vscode.LogOutputChannel;
  /** Folder of this extension's log files (the "Toloka" channel is written there). */
  readonly logUri: vscode.Uri;
  /** The client for the chosen environment. */
  readonly connections: ClientProvider;
  /** The built-in sandbox, started on demand. */
  readonly localSandbox: LocalSandboxService;
  readonly explorer: Explorer;
  readonly operations: OperationsModel;
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

  const localSandbox = new LocalSandboxService(context.globalStorageUri, log);
  const connections = new ClientProvider(context.secrets, localSandbox, log);
  context.subscriptions.push(localSandbox, connections);

  registerShowLogs(context, { log });
  registerEnvironmentCommands(context, { connections, localSandbox, log });
  registerAuth(context, { connections, secrets: context.secrets, log });
  registerStatusBar(context, connections);
  const explorer = registerExplorer(context, { connections, log });
  const operations = registerOperationsView(context, connections);
  registerPoolCommands(context, { connections, model: explorer.model, log });
  registerPayloadCommands(context);
  registerDemo(context, { connections, model: explorer.model, log });
  registerUpload(context, { connections, model: explorer.model, log });
  registerApps(context, { connections, log });
  registerResults(context, { connections, log });
  registerReview(context, { connections, log });
  registerAggregate(context, { connections, log, aggregationWorker: context.asAbsolutePath('dist/aggregationWorker.js') });

  const activationMs = performance.now() - started;
  log.info(`Toloka for VS Code ${String(context.extension.packageJSON.version)} activated in ${activationMs.toFixed(1)} ms`);
  return { log, logUri: context.logUri, connections, localSandbox, explorer, operations, activationMs };
}

export function deactivate(): void {
  // Everything is released through context.subscriptions.
}
