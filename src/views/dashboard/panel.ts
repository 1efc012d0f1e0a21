import * as vscode from 'vscode';
import type { ClientProvider } from '../../environment/clientProvider';
import { Commands } from '../../ids';
import { DashboardData } from '../../insights/dashboardData';
import type { TolokaClient } from '../../toloka/client';
import { describeError, isCancellation } from '../../toloka/errors';
import { PanelRegistry } from '../panelRegistry';
import { showWebviewPage, type WebviewPageOptions } from '../webviewPage';
import { DashboardState, FromWebview, type DashboardDetails, type DashboardSummary, type ToWebview } from '../../webviews/dashboard/protocol';

export const DASHBOARD_VIEW_TYPE = 'toloka.poolDashboard';

export interface DashboardDeps {
  readonly connections: ClientProvider;
  readonly log: vscode.LogOutputChannel;
  /** dist/statsWorker.js */
  readonly workerFile: string;
  readonly extensionUri: vscode.Uri;
}

function refreshSeconds(): number {
  const v = vscode.workspace.getConfiguration('toloka').get<number>('dashboard.refreshSeconds', 15);
  return Number.isFinite(v) && v >= 2 ? v : 15;
}

/**
 * One pool's dashboard: a webview panel that shows Toloka's analytics at once and the figures
 * computed from the pool's assignments as they are read, refreshed every few seconds while it
 * is visible and the pool is open, and never otherwise.
 */
export class DashboardPanel {
  readonly #data: DashboardData;
  #timer: NodeJS.Timeout | undefined;
  #running: AbortController | undefined;
  #status = '';
  #disposed = false;
  /** The last messages sent, for tests (through the test seam) and for a webview that reloads. */
  lastSummary: DashboardSummary | undefined;
  lastDetails: DashboardDetails | undefined;
  readonly #listeners = new Set<(m: ToWebview) => void>();

  constructor(
    readonly poolId: string,
    readonly panel: vscode.WebviewPanel,
    private readonly deps: DashboardDeps,
    client: Awaited<ReturnType<ClientProvider['connection']>>['client'],
    private readonly onDispose: () => void,
  ) {
    this.#data = new DashboardData(client, poolId, deps.workerFile);
    showWebviewPage(panel, deps.extensionUri, (media, dist) => this.page(media, dist));
    panel.onDidDispose(() => this.dispose());
    panel.onDidChangeViewState(() => this.schedule());
    panel.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw));
  }

  /** Every message sent to the webview, as it is sent. */
  onMessage(listener: (m: ToWebview) => void): vscode.Disposable {
    this.#listeners.add(listener);
    return new vscode.Disposable(() => this.#listeners.delete(listener));
  }

  private page(media: vscode.Uri, dist: vscode.Uri): WebviewPageOptions {
    return {
      title: `Pool ${this.poolId}`,
      styles: [vscode.Uri.joinPath(dist, 'dashboard.css'), vscode.Uri.joinPath(media, 'dashboard.css')],
      script: vscode.Uri.joinPath(dist, 'dashboard.js'),
      main: `<main id="dashboard" data-pool-id="${this.poolId}" aria-live="polite"></main>`,
    };
  }

  private post(m: ToWebview): void {
    if (this.#disposed) return;
    if (m.type === 'summary') this.lastSummary = m.summary;
    if (m.type === 'details') this.lastDetails = m.details;
    for (const l of this.#listeners) l(m);
    void this.panel.webview.postMessage(m);
  }

  private async receive(raw: unknown): Promise<void> {
    const parsed = FromWebview.safeParse(raw);
    if (!parsed.success) {
      this.deps.log.warn(`Pool dashboard ${this.poolId}: an unexpected message from the webview`);
      return;
    }
    const m = parsed.data;
    if (m.type === 'ready' || m.type === 'refresh') return this.refresh();
    const target = { poolId: this.poolId, workerId: 'workerId' in m ? m.workerId : '' };
    const command = m.type === 'open' ? Commands.dashboardOpenPool : m.type === 'close' ? Commands.dashboardClosePool : m.type === 'ban' ? Commands.banToloker : m.type === 'bonus' ? Commands.dashboardBonus : Commands.unbanToloker;
    await vscode.commands.executeCommand(command, target);
    await this.refresh();
  }

  /** Reads the summary, then the details; a refresh already running is not doubled. */
  async refresh(): Promise<void> {
    if (this.#running || this.#disposed) return;
    const controller = new AbortController();
    this.#running = controller;
    this.post({ type: 'busy', busy: true });
    const seconds = refreshSeconds();
    try {
      const s = await this.#data.summary({ signal: controller.signal });
      this.#status = s.status;
      this.post({ type: 'summary', summary: { ...s, refreshSeconds: seconds, live: s.status === 'OPEN' } });
      const d = await this.#data.details({
        signal: controller.signal,
        onPartial: (snap) => this.post({ type: 'details', details: { ...snap, partial: true } }),
      });
      this.post({ type: 'details', details: { ...d, partial: false } });
      const top = [...d.tolokers].sort((a, b) => b.assignments - a.assignments).map((t) => t.workerId);
      this.post({ type: 'profiles', profiles: await this.#data.profiles(top, { signal: controller.signal }) });
    } catch (err) {
      if (!isCancellation(err)) {
        this.deps.log.warn(`Pool dashboard ${this.poolId}: ${describeError(err)}`);
        this.post({ type: 'error', message: `Could not refresh: ${describeError(err)}` });
      }
    } finally {
      this.#running = undefined;
      this.post({ type: 'busy', busy: false });
      this.schedule();
    }
  }

  /** The next refresh, only while the panel is visible and the pool open. */
  private schedule(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#disposed || !this.panel.visible || this.#status !== 'OPEN') return;
    this.#timer = setTimeout(() => void this.refresh(), refreshSeconds() * 1000);
  }

  /** Whether a refresh is waiting to run (tests: the dashboard stops refreshing when hidden or closed). */
  get scheduled(): boolean {
    return this.#timer !== undefined;
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#running?.abort();
    this.#data.dispose();
    this.#listeners.clear();
    this.onDispose();
  }
}

/** The open dashboards, one per pool; restored after a window reload by the serializer. */
export class Dashboards {
  readonly #panels: PanelRegistry<DashboardPanel, TolokaClient>;

  constructor(private readonly deps: DashboardDeps) {
    this.#panels = new PanelRegistry({
      viewType: DASHBOARD_VIEW_TYPE,
      extensionUri: deps.extensionUri,
      showOptions: vscode.ViewColumn.Active,
      options: { enableScripts: true, retainContextWhenHidden: false },
      create: (poolId, panel, client, onDispose) => new DashboardPanel(poolId, panel, deps, client, onDispose),
      restore: async (state) => {
        const s = DashboardState.safeParse(state);
        return s.success ? { key: s.data.poolId, arg: await this.client() } : undefined;
      },
      // Only stops the refreshes and the stats worker; the panels are left as they are.
      onDeactivate: 'dispose',
    });
  }

  register(context: vscode.ExtensionContext): void {
    this.#panels.register(context);
  }

  get(poolId: string): DashboardPanel | undefined {
    return this.#panels.get(poolId);
  }

  /** Shows a pool's dashboard, creating it if needed. */
  async open(poolId: string, title: string): Promise<DashboardPanel> {
    return this.#panels.open(poolId, title, await this.client());
  }

  /** The connection's client: the one Open Pool Dashboard has made already (concurrent callers share one). */
  private async client(): Promise<TolokaClient> {
    return (await this.deps.connections.connection()).client;
  }
}
