/**
 * A prompter that answers the extension's questions from a script, in order, and records
 * every question and message. Tests install it through the test seam instead of handing
 * commands their answers as arguments: a command must ask, and the test says what a person
 * would answer.
 */
import * as vscode from 'vscode';
import type { Choice, ConfirmOptions, InputOptions, MessageKind, OpenFileOptions, PickOptions, Prompter, Separator } from '../../src/commands/prompter';
import { CancelledError } from '../../src/toloka/errors';
import type { TolokaTestApi } from '../../src/testSeam';

type Label = string | RegExp;

export type Answer =
  /** The choice whose label (or description) matches. */
  | { readonly pick: Label }
  /** These choices; `'defaults'` keeps the pre-selected ones. */
  | { readonly pickMany: readonly Label[] | 'defaults' }
  | { readonly input: string }
  /** true: press the action button; false: dismiss the dialog. */
  | { readonly confirm: boolean }
  | { readonly openFile: vscode.Uri }
  /** Dismiss the question (Escape). */
  | 'cancel';

export interface Step {
  /** The question's title (or a confirmation's message) must match this. */
  readonly title?: RegExp;
  readonly answer: Answer;
}

export interface Shown {
  readonly kind: MessageKind;
  readonly text: string;
  readonly actions: readonly string[];
}

function matches(label: Label, text: string | undefined): boolean {
  if (text === undefined) return false;
  return typeof label === 'string' ? text === label : label.test(text);
}

export class ScriptedPrompter implements Prompter {
  readonly asked: string[] = [];
  readonly shown: Shown[] = [];
  readonly problems: string[] = [];

  /**
   * `steps` answer the questions in order; `onMessage` answers notifications (by default none
   * is answered, as when a person lets them go).
   */
  constructor(
    private readonly steps: Step[],
    private readonly onMessage: (m: Shown) => string | undefined = () => undefined,
  ) {}

  private next(kind: string, title: string): Exclude<Answer, 'cancel'> {
    this.asked.push(`${kind}: ${title}`);
    const step = this.steps.shift();
    if (!step) return this.fail(`unexpected ${kind} "${title}": the script has no more answers`);
    if (step.title && !step.title.test(title)) return this.fail(`expected a question matching ${String(step.title)}, got ${kind} "${title}"`);
    if (step.answer === 'cancel') throw new CancelledError();
    return step.answer;
  }

  private fail(problem: string): never {
    this.problems.push(problem);
    throw new Error(`scripted prompter: ${problem}`);
  }

  async pick<T>(choices: ReadonlyArray<Choice<T> | Separator>, o: PickOptions): Promise<T> {
    const a = this.next('pick', o.title);
    if (!('pick' in a)) return this.fail(`"${o.title}" is a pick, the script answers ${JSON.stringify(a)}`);
    const options = choices.filter((c): c is Choice<T> => !('separator' in c));
    const chosen = options.find((c) => matches(a.pick, c.label) || matches(a.pick, c.description));
    if (!chosen) return this.fail(`no choice of "${o.title}" matches ${String(a.pick)}; the choices are ${options.map((c) => `"${c.label}"`).join(', ')}`);
    return chosen.value;
  }

  async pickMany<T>(choices: ReadonlyArray<Choice<T> | Separator>, o: PickOptions): Promise<T[]> {
    const a = this.next('pickMany', o.title);
    if (!('pickMany' in a)) return this.fail(`"${o.title}" is a multiple pick, the script answers ${JSON.stringify(a)}`);
    const options = choices.filter((c): c is Choice<T> => !('separator' in c));
    if (a.pickMany === 'defaults') return options.filter((c) => c.picked).map((c) => c.value);
    return a.pickMany.map((label) => {
      const chosen = options.find((c) => matches(label, c.label));
      if (!chosen) return this.fail(`no choice of "${o.title}" matches ${String(label)}; the choices are ${options.map((c) => `"${c.label}"`).join(', ')}`);
      return chosen.value;
    });
  }

  async input(o: InputOptions): Promise<string> {
    const a = this.next('input', o.title);
    if (!('input' in a)) return this.fail(`"${o.title}" is an input box, the script answers ${JSON.stringify(a)}`);
    const refused = o.validate?.(a.input);
    if (refused) return this.fail(`the input box "${o.title}" refuses ${JSON.stringify(a.input)}: ${refused}`);
    return a.input;
  }

  async confirm(o: ConfirmOptions): Promise<void> {
    const a = this.next('confirm', o.message);
    if (!('confirm' in a)) return this.fail(`"${o.message}" is a confirmation, the script answers ${JSON.stringify(a)}`);
    if (!a.confirm) throw new CancelledError();
  }

  async openFile(o: OpenFileOptions): Promise<vscode.Uri> {
    const a = this.next('openFile', o.title);
    if (!('openFile' in a)) return this.fail(`"${o.title}" is an open dialog, the script answers ${JSON.stringify(a)}`);
    return a.openFile;
  }

  async message(kind: MessageKind, text: string, ...actions: string[]): Promise<string | undefined> {
    const m = { kind, text, actions };
    this.shown.push(m);
    return this.onMessage(m);
  }

  /** Error notifications shown so far. */
  errors(): string[] {
    return this.shown.filter((m) => m.kind === 'error').map((m) => m.text);
  }

  /** Fails when a question was unexpected or an answer was left unused. */
  assertDone(): void {
    const left = this.steps.map((s) => `${String(s.title ?? '(any)')} → ${JSON.stringify(s.answer)}`);
    if (this.problems.length > 0 || left.length > 0) {
      throw new Error(`scripted prompter: ${[...this.problems, ...left.map((l) => `unused answer ${l}`)].join('; ')}. Asked: ${this.asked.join(' | ') || 'nothing'}. Errors shown: ${this.errors().join(' | ') || 'none'}`);
    }
  }
}

/**
 * Runs `work` with the extension asking `prompter`, then puts the real prompter back and
 * checks that every scripted answer was used and no question came unexpected.
 */
export async function answering<T>(api: TolokaTestApi, steps: Step[], work: (p: ScriptedPrompter) => PromiseLike<T>, onMessage?: (m: Shown) => string | undefined): Promise<T> {
  const prompter = new ScriptedPrompter(steps, onMessage);
  const installed = api.usePrompter(prompter);
  try {
    const result = await work(prompter);
    prompter.assertDone();
    return result;
  } finally {
    installed.dispose();
  }
}
