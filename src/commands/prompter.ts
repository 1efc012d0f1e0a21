import * as vscode from 'vscode';
import { CancelledError } from '../toloka/errors';

/** One row of a quick pick, carrying the value a command gets when it is chosen. */
export interface Choice<T> {
  readonly label: string;
  readonly description?: string | undefined;
  readonly detail?: string | undefined;
  /** Pre-selected in a multi-select pick. */
  readonly picked?: boolean | undefined;
  readonly value: T;
}

/** A heading row between choices. */
export interface Separator {
  readonly separator: string;
}

export interface PickOptions {
  readonly title: string;
  readonly placeHolder?: string | undefined;
  readonly matchOnDescription?: boolean | undefined;
  readonly matchOnDetail?: boolean | undefined;
}

export interface InputOptions {
  readonly title: string;
  readonly prompt?: string | undefined;
  readonly value?: string | undefined;
  readonly placeHolder?: string | undefined;
  readonly password?: boolean | undefined;
  /** A message when the text cannot be used, undefined when it can. */
  readonly validate?: ((value: string) => string | undefined) | undefined;
}

export interface ConfirmOptions {
  readonly message: string;
  readonly detail?: string | undefined;
  /** The button that goes ahead, e.g. "Archive". Anything else stops the command. */
  readonly action: string;
}

export interface OpenFileOptions {
  readonly title: string;
  readonly filters: Readonly<Record<string, readonly string[]>>;
}

export type MessageKind = 'info' | 'warning' | 'error';

/**
 * Every question a command asks, and every message it shows. Commands get one from the
 * command wrapper; tests replace it with a scripted one instead of passing answers as command
 * arguments. A question the user dismisses throws a CancelledError, which the wrapper treats
 * as a silent stop.
 */
export interface Prompter {
  pick<T>(choices: ReadonlyArray<Choice<T> | Separator>, options: PickOptions): Promise<T>;
  /** The chosen values (possibly none, when the user accepts an empty selection). */
  pickMany<T>(choices: ReadonlyArray<Choice<T> | Separator>, options: PickOptions): Promise<T[]>;
  input(options: InputOptions): Promise<string>;
  /** A modal question; resolves only when the user chose `action`. */
  confirm(options: ConfirmOptions): Promise<void>;
  openFile(options: OpenFileOptions): Promise<vscode.Uri>;
  /**
   * A notification with optional buttons: the button chosen, or undefined when it was closed.
   * Callers that do not need the answer must not wait for it (a notification may stay unanswered).
   */
  message(kind: MessageKind, text: string, ...actions: string[]): Promise<string | undefined>;
}

export function isSeparator<T>(c: Choice<T> | Separator): c is Separator {
  return 'separator' in c;
}

type Item<T> = vscode.QuickPickItem & { value?: T };

/** The object without its undefined properties (VS Code's option types are exact). */
function defined<T extends object>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}

function toItems<T>(choices: ReadonlyArray<Choice<T> | Separator>): Array<Item<T>> {
  return choices.map((c): Item<T> =>
    isSeparator(c)
      ? { label: c.separator, kind: vscode.QuickPickItemKind.Separator }
      : { label: c.label, ...defined({ description: c.description, detail: c.detail, picked: c.picked }), value: c.value },
  );
}

/** The prompter of a real session: VS Code's quick picks, input boxes, dialogs and notifications. */
export class VsCodePrompter implements Prompter {
  async pick<T>(choices: ReadonlyArray<Choice<T> | Separator>, o: PickOptions): Promise<T> {
    const picked = await vscode.window.showQuickPick(toItems(choices), { title: o.title, ...defined({ placeHolder: o.placeHolder, matchOnDescription: o.matchOnDescription, matchOnDetail: o.matchOnDetail }) });
    if (!picked || !('value' in picked)) throw new CancelledError();
    return picked.value as T;
  }

  async pickMany<T>(choices: ReadonlyArray<Choice<T> | Separator>, o: PickOptions): Promise<T[]> {
    const picked = await vscode.window.showQuickPick(toItems(choices), { title: o.title, canPickMany: true, ...defined({ placeHolder: o.placeHolder, matchOnDescription: o.matchOnDescription, matchOnDetail: o.matchOnDetail }) });
    if (!picked) throw new CancelledError();
    return picked.filter((p) => 'value' in p).map((p) => p.value as T);
  }

  async input(o: InputOptions): Promise<string> {
    const value = await vscode.window.showInputBox({ title: o.title, ignoreFocusOut: o.password === true, ...defined({ prompt: o.prompt, value: o.value, placeHolder: o.placeHolder, password: o.password, validateInput: o.validate }) });
    if (value === undefined) throw new CancelledError();
    return value;
  }

  async confirm(o: ConfirmOptions): Promise<void> {
    const answer = await vscode.window.showWarningMessage(o.message, { modal: true, ...defined({ detail: o.detail }) }, o.action);
    if (answer !== o.action) throw new CancelledError();
  }

  async openFile(o: OpenFileOptions): Promise<vscode.Uri> {
    const filters: Record<string, string[]> = {};
    for (const [name, exts] of Object.entries(o.filters)) filters[name] = [...exts];
    const picked = await vscode.window.showOpenDialog({ title: o.title, canSelectMany: false, filters });
    if (!picked?.[0]) throw new CancelledError();
    return picked[0];
  }

  async message(kind: MessageKind, text: string, ...actions: string[]): Promise<string | undefined> {
    const show = kind === 'error' ? vscode.window.showErrorMessage : kind === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    return await show(text, ...actions);
  }
}

/** Holds the prompter commands use; the test seam swaps it. */
export class PrompterSlot {
  #current: Prompter;

  constructor(private readonly real: Prompter) {
    this.#current = real;
  }

  get current(): Prompter {
    return this.#current;
  }

  /** Uses `p` until the returned disposable is disposed (or `undefined` restores the real one). */
  use(p: Prompter | undefined): vscode.Disposable {
    this.#current = p ?? this.real;
    return new vscode.Disposable(() => {
      if (this.#current === p) this.#current = this.real;
    });
  }
}
