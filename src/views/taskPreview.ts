import * as vscode from 'vscode';
import { parse as parseJsonc } from 'jsonc-parser';
import { Commands } from '../ids';
import { checkTbConfig } from '../tb/check';
import type { Obj } from '../tb/evaluate';
import { defaultInput, findConfig } from '../tb/locate';
import { formatPath } from '../toloka/schemas';
import { PanelRegistry } from './panelRegistry';
import { showWebviewPage, type WebviewPageOptions } from './webviewPage';
import { FromWebview, PreviewState, type ToWebview } from '../webviews/tb/protocol';

export const PREVIEW_VIEW_TYPE = 'toloka.taskPreview';

/** How long typing must pause before the preview follows. */
const DEBOUNCE_MS = 50;

export interface PreviewDeps {
  readonly log: vscode.LogOutputChannel;
  readonly extensionUri: vscode.Uri;
}

/** What a preview last sent and received, for tests (through the test seam) and the benchmark. */
export interface PreviewProbe {
  readonly lastRender: Extract<ToWebview, { type: 'render' }> | undefined;
  readonly lastRendered: Extract<FromWebview, { type: 'rendered' }> | undefined;
  readonly lastSubmitted: Extract<FromWebview, { type: 'submitted' }> | undefined;
  readonly renders: number;
}

/**
 * The preview of one tb or project file: renders its config with a task's input, follows the
 * document as it is typed (debounced), and keeps the input chosen (a tasks file beside, pasted,
 * or made from input_spec) until another is chosen.
 */
export class TaskPreview implements PreviewProbe {
  #timer: NodeJS.Timeout | undefined;
  #input: { input: Obj; source: string } | undefined;
  #resetNext = true;
  #disposed = false;
  lastRender: Extract<ToWebview, { type: 'render' }> | undefined;
  lastRendered: Extract<FromWebview, { type: 'rendered' }> | undefined;
  lastSubmitted: Extract<FromWebview, { type: 'submitted' }> | undefined;
  renders = 0;
  readonly #subscriptions: vscode.Disposable[] = [];

  constructor(
    readonly uri: vscode.Uri,
    readonly panel: vscode.WebviewPanel,
    private readonly deps: PreviewDeps,
    private readonly onDispose: () => void,
  ) {
    showWebviewPage(panel, deps.extensionUri, (media, dist) => this.page(media, dist));
    panel.onDidDispose(() => this.dispose());
    this.#subscriptions.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.toString() === uri.toString()) this.schedule();
      }),
    );
  }

  private page(media: vscode.Uri, dist: vscode.Uri): WebviewPageOptions {
    const file = this.uri.fsPath.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
    // Task images and media are on the web, as Tolokers see them; scripts only ours.
    return {
      title: 'Preview',
      styles: [vscode.Uri.joinPath(media, 'tb-preview.css')],
      script: vscode.Uri.joinPath(dist, 'tb-preview.js'),
      main: `<main id="preview" data-file="${file}"></main>`,
      allow: { 'img-src': 'https:', 'media-src': 'https:' },
    };
  }

  private receive(raw: unknown): void {
    const parsed = FromWebview.safeParse(raw);
    if (!parsed.success) {
      this.deps.log.warn('Task preview: an unexpected message from the webview');
      return;
    }
    const m = parsed.data;
    if (m.type === 'ready') {
      this.#resetNext = false; // a reloaded webview keeps what was filled in
      void this.update();
    } else if (m.type === 'rendered') this.lastRendered = m;
    else if (m.type === 'submitted') this.lastSubmitted = m;
    else void vscode.commands.executeCommand(Commands.previewChooseInput, this.uri);
  }

  private schedule(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.update(), DEBOUNCE_MS);
  }

  /** Uses this input from now on, and starts the answers over. */
  setInput(input: Obj, source: string): Promise<void> {
    this.#input = { input, source };
    this.#resetNext = true;
    return this.update();
  }

  /** Reads the document (as typed, saved or not) and sends the config to the webview. */
  async update(): Promise<void> {
    if (this.#disposed) return;
    const doc = await vscode.workspace.openTextDocument(this.uri);
    const value: unknown = parseJsonc(doc.getText(), [], { allowTrailingComma: true });
    const found = findConfig(this.uri.fsPath, value);
    const problems = found?.stringError ? [`The config string is not JSON: ${found.stringError}`] : found ? checkTbConfig(found.config, found.specs).map((p) => `${formatPath(p.path)}: ${p.message}`) : ['This file has no Template Builder config (a *.tb.json file, or a project whose view_spec is "tb").'];
    this.#input ??= defaultInput(this.uri.fsPath, found?.inputSpec);
    const m: ToWebview = { type: 'render', file: this.uri.fsPath, config: found?.config, input: this.#input.input, inputSource: this.#input.source, problems, reset: this.#resetNext };
    this.#resetNext = false;
    this.lastRender = m;
    this.renders++;
    this.panel.title = `Preview ${this.uri.path.split('/').pop() ?? ''}`;
    void this.panel.webview.postMessage(m);
  }

  /** Presses the preview's Submit (the command palette and tests). */
  submit(): void {
    void this.panel.webview.postMessage({ type: 'submit' } satisfies ToWebview);
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    if (this.#timer) clearTimeout(this.#timer);
    for (const s of this.#subscriptions) s.dispose();
    this.onDispose();
  }
}

/** The open previews, one per file; restored after a window reload by the serializer. */
export class TaskPreviews {
  readonly #panels: PanelRegistry<TaskPreview, vscode.Uri>;

  constructor(deps: PreviewDeps) {
    this.#panels = new PanelRegistry({
      viewType: PREVIEW_VIEW_TYPE,
      extensionUri: deps.extensionUri,
      showOptions: { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      options: { enableScripts: true },
      create: (_key, panel, uri, onDispose) => new TaskPreview(uri, panel, deps, onDispose),
      reveal: (existing) => existing.panel.reveal(vscode.ViewColumn.Beside, true),
      restore: (state) => {
        const s = PreviewState.safeParse(state);
        if (!s.success) return undefined;
        const uri = vscode.Uri.file(s.data.file);
        return { key: uri.toString(), arg: uri };
      },
    });
  }

  register(context: vscode.ExtensionContext): void {
    this.#panels.register(context);
  }

  get(uri: vscode.Uri): TaskPreview | undefined {
    return this.#panels.get(uri.toString());
  }

  /** Shows the preview of a file beside its editor, creating it if needed. */
  open(uri: vscode.Uri): TaskPreview {
    return this.#panels.open(uri.toString(), 'Preview', uri);
  }
}
