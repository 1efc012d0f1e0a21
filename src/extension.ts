import * as vscode from 'vscode';
import { registerAggregate } from './commands/aggregate';
import { registerApps } from './commands/apps';
import { registerAuth } from './commands/auth';
import { registerBanCommands } from './commands/bans';
import { registerBonusCommands } from './commands/bonuses';
import { registerCostEstimates } from './commands/costEstimate';
import { registerDashboardCommands } from './commands/dashboard';
import { registerDemo } from './commands/demo';
import { registerDeploy } from './commands/deploy';
import { registerDryRun } from './commands/dryRun';
import { registerEnvironmentCommands } from './commands/environment';
import { registerExplorerCommands } from './commands/explorer';
import { registerHelp } from './commands/help';
import { registerMessageCommands } from './commands/messages';
import { registerOperationCommands } from './commands/operations';
import { registerPayloadCommands } from './commands/payloads';
import { registerPoolCommands } from './commands/pools';
import { PrompterSlot, VsCodePrompter } from './commands/prompter';
import { registerResults } from './commands/results';
import { registerTaskInterfaces } from './commands/taskInterface';
import { registerReview } from './commands/review';
import { registerUpload } from './commands/upload';
import { registerWebhookCommands } from './commands/webhooks';
import { PayloadDiagnostics } from './editors/payloadDiagnostics';
import { PoolFileSystem } from './editors/poolFileSystem';
import { registerSchemaFileSystem } from './editors/schemaFileSystem';
import { ClientProvider } from './environment/clientProvider';
import { LocalSandboxService } from './environment/localSandbox';
import { extensionExports, type ExtensionRunMode } from './exportsPolicy';
import { isCancellation } from './toloka/errors';
import { buildTestSeam, type TolokaTestApi } from './testSeam';
import { Dashboards } from './views/dashboard/panel';
import { registerExplorer } from './views/explorer';
import { registerFirstRun } from './views/firstRun';
import { registerOperationsView } from './views/operations';
import { registerStatusBar } from './views/statusBar';

function runMode(mode: vscode.ExtensionMode): ExtensionRunMode {
  return mode === vscode.ExtensionMode.Test ? 'test' : mode === vscode.ExtensionMode.Development ? 'development' : 'production';
}

/**
 * Composition root: builds the shared services once and hands them to one register…()
 * function per feature. Features never reach for globals. In production it exports nothing.
 */
export function activate(context: vscode.ExtensionContext): TolokaTestApi | undefined {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('Toloka', { log: true });
  context.subscriptions.push(log);

  const prompts = new PrompterSlot(new VsCodePrompter());
  const localSandbox = new LocalSandboxService(context.asAbsolutePath('dist/sandbox.js'), context.globalStorageUri, log);
  const connections = new ClientProvider(context.secrets, localSandbox, log, (q) =>
    prompts.current.confirm({ message: `Send your Toloka ${q.environment} API key to ${q.now}?`, detail: `It was entered for ${q.enteredFor}. Send it only to a server you trust with your account.`, action: 'Send It There' }).then(
      () => true,
      (err: unknown) => (isCancellation(err) ? false : Promise.reject(err instanceof Error ? err : new Error(String(err)))),
    ),
  );
  context.subscriptions.push(localSandbox, connections);
  const services = { log, prompts };

  registerHelp(context, services);
  registerEnvironmentCommands(context, { ...services, connections, localSandbox });
  registerAuth(context, { ...services, connections, secrets: context.secrets });
  registerStatusBar(context, connections);
  const explorer = registerExplorer(context, { connections, log });
  registerExplorerCommands(context, { ...services, connections, explorer });
  const operations = registerOperationsView(context, connections);
  registerOperationCommands(context, { ...services, connections, operations });
  new PoolFileSystem({ ...services, connections, model: explorer.model }).register(context);
  registerPoolCommands(context, { ...services, connections, model: explorer.model });
  registerSchemaFileSystem(context);
  const diagnostics = new PayloadDiagnostics();
  diagnostics.register(context);
  registerPayloadCommands(context, { ...services, diagnostics });
  registerDemo(context, { ...services, connections, model: explorer.model });
  registerDeploy(context, { ...services, connections });
  registerUpload(context, { ...services, connections, model: explorer.model });
  registerDryRun(context, { ...services, connections });
  registerApps(context, { ...services, connections, model: explorer.model });
  registerResults(context, { ...services, connections });
  registerReview(context, { ...services, connections });
  registerBonusCommands(context, { ...services, connections });
  registerBanCommands(context, { ...services, connections });
  registerWebhookCommands(context, { ...services, connections });
  registerMessageCommands(context, { ...services, connections });
  registerAggregate(context, { ...services, connections, aggregationWorker: context.asAbsolutePath('dist/aggregationWorker.js') });

  const dashboards = new Dashboards({ connections, log, workerFile: context.asAbsolutePath('dist/statsWorker.js'), extensionUri: context.extensionUri });
  dashboards.register(context);
  registerDashboardCommands(context, { ...services, connections, dashboards });
  registerCostEstimates(context, { ...services, connections });
  const previews = registerTaskInterfaces(context, { ...services, extensionUri: context.extensionUri });
  registerFirstRun(context, log);

  const activationMs = performance.now() - started;
  log.info(`Toloka for VS Code ${String(context.extension.packageJSON.version)} activated in ${activationMs.toFixed(1)} ms`);
  return extensionExports(runMode(context.extensionMode), () => buildTestSeam({ log, logUri: context.logUri, activationMs, connections, explorer, operations, localSandbox, prompts, dashboards, previews }));
}

export function deactivate(): void {
  // Everything is released through context.subscriptions.
}
