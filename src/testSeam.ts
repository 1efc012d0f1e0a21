import type * as vscode from 'vscode';
import type { Prompter, PrompterSlot } from './commands/prompter';
import type { ClientProvider, Connection } from './environment/clientProvider';
import type { LocalSandbox, LocalSandboxService } from './environment/localSandbox';
import type { Settings } from './environment/settings';
import type { Dashboards } from './views/dashboard/panel';
import type { PreviewProbe, TaskPreviews } from './views/taskPreview';
import type { Explorer } from './views/explorer';
import type { DashboardDetails, DashboardSummary, ToWebview } from './webviews/dashboard/protocol';
import type { ExplorerModel } from './views/explorer/model';
import type { ExplorerTreeProvider } from './views/explorer/provider';
import type { OperationsModel } from './views/operations/model';

/**
 * What the extension-host tests reach, and only they: `activate` returns it when VS Code runs
 * the extension in test mode. No credential is reachable from it (the HTTP layer keeps the
 * token in a private field), and questions are answered by replacing the prompter, never by
 * passing answers to commands.
 */
export interface TolokaTestApi {
  readonly log: vscode.LogOutputChannel;
  /** Folder of this extension's log files (the "Toloka" channel is written there). */
  readonly logUri: vscode.Uri;
  /** Milliseconds spent inside `activate()`. */
  readonly activationMs: number;
  /** The connection to the environment in the settings. */
  connection(): Promise<Connection>;
  settings(): Settings;
  readonly explorer: { readonly model: ExplorerModel; readonly provider: ExplorerTreeProvider };
  readonly operations: OperationsModel;
  readonly localSandbox: {
    readonly dataFile: string;
    /** The sandbox process while it runs. */
    current(): Promise<LocalSandbox | undefined>;
  };
  /** Commands ask `p` until the returned disposable is disposed. */
  usePrompter(p: Prompter): vscode.Disposable;
  /** An open pool dashboard: what it last sent its webview, and whether a refresh is scheduled. */
  dashboard(poolId: string): DashboardProbe | undefined;
  /** The open task preview of a file: what it last sent and heard from its webview. */
  taskPreview(uri: vscode.Uri): PreviewProbe | undefined;
}

export interface DashboardProbe {
  readonly summary: DashboardSummary | undefined;
  readonly details: DashboardDetails | undefined;
  readonly scheduled: boolean;
  readonly visible: boolean;
  onMessage(listener: (m: ToWebview) => void): vscode.Disposable;
  refresh(): Promise<void>;
}

export interface TestSeamParts {
  readonly log: vscode.LogOutputChannel;
  readonly logUri: vscode.Uri;
  readonly activationMs: number;
  readonly connections: ClientProvider;
  readonly explorer: Explorer;
  readonly operations: OperationsModel;
  readonly localSandbox: LocalSandboxService;
  readonly prompts: PrompterSlot;
  readonly dashboards: Dashboards;
  readonly previews: TaskPreviews;
}

export function buildTestSeam(p: TestSeamParts): TolokaTestApi {
  return {
    log: p.log,
    logUri: p.logUri,
    activationMs: p.activationMs,
    connection: () => p.connections.connection(),
    settings: () => p.connections.settings(),
    explorer: { model: p.explorer.model, provider: p.explorer.provider },
    operations: p.operations,
    localSandbox: { dataFile: p.localSandbox.dataFile, current: () => p.localSandbox.current() },
    usePrompter: (prompter) => p.prompts.use(prompter),
    taskPreview: (uri) => p.previews.get(uri),
    dashboard: (poolId) => {
      const d = p.dashboards.get(poolId);
      if (!d) return undefined;
      return {
        get summary() {
          return d.lastSummary;
        },
        get details() {
          return d.lastDetails;
        },
        get scheduled() {
          return d.scheduled;
        },
        get visible() {
          return d.panel.visible;
        },
        onMessage: (l) => d.onMessage(l),
        refresh: () => d.refresh(),
      };
    },
  };
}
