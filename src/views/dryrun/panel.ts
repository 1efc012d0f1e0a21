import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DryRunReport } from '../../sandbox/dryrun/report';
import { FromWebview, ReportData, ReportState, type ToWebview } from '../../webviews/dryrun/protocol';
import { PanelRegistry } from '../panelRegistry';
import { showWebviewPage } from '../webviewPage';

export const DRY_RUN_REPORT_VIEW_TYPE = 'toloka.dryRunReport';

// The webview's schema describes the report the dry-run writes: a change to one must change the other.
type DeepReadonly<T> = T extends Array<infer U> ? ReadonlyArray<DeepReadonly<U>> : T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;
export const reportAsData = (r: DryRunReport): DeepReadonly<ReportData> => r;
export const dataAsReport = (r: DeepReadonly<ReportData>): DryRunReport => r;

export interface DryRunReportDeps {
  readonly log: vscode.LogOutputChannel;
  readonly extensionUri: vscode.Uri;
}

/** `x.dry-run.json` → `x.dry-run.md`, the same report as Markdown. */
export function markdownBeside(jsonFile: string): string {
  return jsonFile.replace(/\.json$/i, '.md');
}

/** A `*.dry-run.json`, checked: a message naming the file and the field when it is not a report. */
export function readReport(file: string): ToWebview {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    return { type: 'error', message: `${path.basename(file)}: ${err instanceof Error ? err.message : String(err)}` };
  }
  const parsed = ReportData.safeParse(raw);
  if (parsed.success) return { type: 'report', file: path.basename(file), report: parsed.data };
  const issue = parsed.error.issues[0];
  return { type: 'error', message: `${path.basename(file)} is not a dry-run report: ${issue ? `${issue.path.join('.') || '(the top level)'}: ${issue.message}` : 'unreadable'}` };
}

/**
 * One dry-run report in a webview: the figures of a `*.dry-run.json` as cards and charts. The
 * report is read when the webview says it is ready, so a reload or a rerun shows the file as it is.
 */
export class DryRunReportPanel {
  #disposed = false;
  /** The last message sent to the webview (tests read it; it equals the file's report). */
  lastMessage: ToWebview | undefined;
  readonly #listeners = new Set<(m: ToWebview) => void>();

  constructor(
    readonly file: string,
    readonly panel: vscode.WebviewPanel,
    private readonly deps: DryRunReportDeps,
    private readonly onDispose: () => void,
  ) {
    const attr = file.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
    showWebviewPage(panel, deps.extensionUri, (media, dist) => ({
      title: 'Dry-run report',
      styles: [vscode.Uri.joinPath(dist, 'dryrun.css'), vscode.Uri.joinPath(media, 'dashboard.css'), vscode.Uri.joinPath(media, 'dryrun.css')],
      script: vscode.Uri.joinPath(dist, 'dryrun.js'),
      main: `<main id="dry-run" data-file="${attr}" aria-live="polite"></main>`,
    }));
    panel.onDidDispose(() => this.dispose());
    panel.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw));
  }

  /** Every message sent to the webview, as it is sent. */
  onMessage(listener: (m: ToWebview) => void): vscode.Disposable {
    this.#listeners.add(listener);
    return new vscode.Disposable(() => this.#listeners.delete(listener));
  }

  /** Reads the file again and sends it. */
  reload(): void {
    if (this.#disposed) return;
    const m = readReport(this.file);
    if (m.type === 'error') this.deps.log.warn(`Dry-run report: ${m.message}`);
    this.lastMessage = m;
    for (const l of this.#listeners) l(m);
    void this.panel.webview.postMessage(m);
  }

  private async receive(raw: unknown): Promise<void> {
    const parsed = FromWebview.safeParse(raw);
    if (!parsed.success) {
      this.deps.log.warn(`Dry-run report ${this.file}: an unexpected message from the webview`);
      return;
    }
    if (parsed.data.type !== 'openMarkdown') return this.reload();
    const md = vscode.Uri.file(markdownBeside(this.file));
    try {
      await vscode.commands.executeCommand('markdown.showPreview', md);
    } catch {
      await vscode.window.showTextDocument(md, { preview: true });
    }
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#listeners.clear();
    this.onDispose();
  }
}

/** The open reports, one per file; restored after a window reload by the serializer. */
export class DryRunReports {
  readonly #panels: PanelRegistry<DryRunReportPanel>;

  constructor(deps: DryRunReportDeps) {
    this.#panels = new PanelRegistry({
      viewType: DRY_RUN_REPORT_VIEW_TYPE,
      extensionUri: deps.extensionUri,
      showOptions: vscode.ViewColumn.Active,
      options: { enableScripts: true },
      create: (file, panel, _arg, onDispose) => new DryRunReportPanel(file, panel, deps, onDispose),
      // An open report reads its file again.
      reveal: (existing) => {
        existing.panel.reveal();
        existing.reload();
      },
      restore: (state) => {
        const s = ReportState.safeParse(state);
        return s.success && fs.existsSync(s.data.file) ? { key: s.data.file, arg: undefined } : undefined;
      },
    });
  }

  register(context: vscode.ExtensionContext): void {
    this.#panels.register(context);
  }

  /** Shows a report, creating its panel if needed; an open one reads its file again. */
  open(file: string): DryRunReportPanel {
    return this.#panels.open(file, `Dry-run: ${path.basename(file).replace(/\.dry-run\.json$/i, '')}`);
  }
}
