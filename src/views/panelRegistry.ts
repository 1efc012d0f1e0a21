import * as vscode from 'vscode';

/** What a registry keeps for each open panel: the panel, and the object that runs it. */
export interface RegisteredPanel {
  readonly panel: vscode.WebviewPanel;
  /** Stops the object (its timers, listeners); it then calls the `onDispose` it was made with. */
  dispose(): void;
}

/** A panel the serializer brings back after a window reload: its key and what `create` needs besides. */
export interface RestoredPanel<A> {
  readonly key: string;
  readonly arg: A;
}

/** One kind of webview panel: its view type, how a panel opens, and how its object is made and restored. */
export interface PanelKind<P extends RegisteredPanel, A> {
  readonly viewType: string;
  /** For the panels' icon, media/toloka.svg. */
  readonly extensionUri: vscode.Uri;
  /** Where a new panel opens. */
  readonly showOptions: vscode.ViewColumn | { readonly viewColumn: vscode.ViewColumn; readonly preserveFocus?: boolean };
  readonly options: vscode.WebviewPanelOptions & vscode.WebviewOptions;
  /** Makes the object of a new or restored panel; it calls `onDispose` once, when disposed, so the registry forgets it. */
  readonly create: (key: string, panel: vscode.WebviewPanel, arg: A, onDispose: () => void) => P;
  /** Brings an open panel forward when it is opened again; by default `panel.reveal()`. */
  readonly reveal?: (existing: P) => void;
  /** The panel a restored panel's saved state names, or undefined when it cannot come back (it is closed). */
  readonly restore: (state: unknown) => RestoredPanel<A> | undefined | Promise<RestoredPanel<A> | undefined>;
  /** When the extension is deactivated: close the open panels (the default), or only dispose their objects. */
  readonly onDeactivate?: 'close' | 'dispose';
}

/**
 * The open panels of one kind, one per key: opening a key that is open already reveals its panel,
 * a closed panel is forgotten, and the serializer restores the panels after a window reload.
 */
export class PanelRegistry<P extends RegisteredPanel, A = void> implements vscode.WebviewPanelSerializer {
  readonly #panels = new Map<string, P>();

  constructor(private readonly kind: PanelKind<P, A>) {}

  register(context: vscode.ExtensionContext): void {
    const close = this.kind.onDeactivate === 'dispose' ? (p: P) => p.dispose() : (p: P) => p.panel.dispose();
    context.subscriptions.push(vscode.window.registerWebviewPanelSerializer(this.kind.viewType, this), { dispose: () => [...this.#panels.values()].forEach(close) });
  }

  get(key: string): P | undefined {
    return this.#panels.get(key);
  }

  /** Reveals the panel of `key`, or opens one titled `title`. */
  open(key: string, title: string, arg: A): P {
    const existing = this.#panels.get(key);
    if (existing) {
      if (this.kind.reveal) this.kind.reveal(existing);
      else existing.panel.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(this.kind.viewType, title, this.kind.showOptions, this.kind.options);
    return this.attach(key, panel, arg);
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const restored = await this.kind.restore(state);
    if (!restored) panel.dispose();
    else this.attach(restored.key, panel, restored.arg);
  }

  private attach(key: string, panel: vscode.WebviewPanel, arg: A): P {
    panel.iconPath = vscode.Uri.joinPath(this.kind.extensionUri, 'media', 'toloka.svg');
    const p = this.kind.create(key, panel, arg, () => this.#panels.delete(key));
    this.#panels.set(key, p);
    return p;
  }
}
