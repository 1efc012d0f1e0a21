import * as vscode from 'vscode';
import { describeError, isCancellation, isTolokaError } from '../toloka/errors';
import { Commands } from '../ids';
import type { Prompter, PrompterSlot } from './prompter';

export type Report = vscode.Progress<{ message?: string; increment?: number }>;

/** What every command run gets from the wrapper. */
export interface CommandContext {
  readonly prompter: Prompter;
  readonly log: vscode.LogOutputChannel;
  /** `toloka.uploadTasks#3`: names this run in the log. */
  readonly runId: string;
  /**
   * A notification with a Cancel button that aborts `signal`; the listener is released
   * however the work ends.
   */
  readonly withProgress: <T>(title: string, work: (signal: AbortSignal, report: Report) => Promise<T>) => Promise<T>;
  /** What to tell the user if this run ends by cancellation (by default nothing is said). */
  readonly onCancel: (message: string) => void;
}

/** What the wrapper needs from the composition root. */
export interface CommandServices {
  readonly log: vscode.LogOutputChannel;
  readonly prompts: PrompterSlot;
}

export interface CommandOptions {
  /** Running the command again is harmless: a failure offers Retry. */
  readonly retry?: boolean;
  /** How a failure message starts, e.g. "Could not upload tasks"; the default names the command. */
  readonly failure?: string;
  /** Log start and end at debug rather than info (frequent, trivial commands such as Refresh). */
  readonly quiet?: boolean;
}

export type CommandHandler = (ctx: CommandContext, ...args: unknown[]) => unknown;

let runs = 0;

/** The short name of a command id for messages: `toloka.pool.archive` → `pool.archive`. */
function shortName(id: string): string {
  return id.replace(/^toloka\./, '');
}

/**
 * Registers a command through the one wrapper every command uses: it logs the run's start,
 * end and duration; turns a failure into one message naming what went wrong, with Show Logs
 * (and Retry where running again is harmless); stops silently on cancellation; and hands the
 * handler the prompter it must ask through.
 */
export function registerCommand(context: vscode.ExtensionContext, services: CommandServices, id: string, handler: CommandHandler, options: CommandOptions = {}): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      const runId = `${id}#${++runs}`;
      const started = Date.now();
      const say = options.quiet ? services.log.debug.bind(services.log) : services.log.info.bind(services.log);
      let cancelMessage: string | undefined;
      const prompter = services.prompts.current;
      const ctx: CommandContext = {
        prompter,
        log: services.log,
        runId,
        withProgress: (title, work) =>
          Promise.resolve(
            vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
              const controller = new AbortController();
              const listener = token.onCancellationRequested(() => controller.abort());
              try {
                return await work(controller.signal, progress);
              } finally {
                listener.dispose();
              }
            }),
          ),
        onCancel: (message) => {
          cancelMessage = message;
        },
      };
      say(`${runId} started`);
      try {
        const result = await handler(ctx, ...args);
        say(`${runId} finished in ${Date.now() - started} ms`);
        return result;
      } catch (err) {
        if (isCancellation(err)) {
          say(`${runId} cancelled after ${Date.now() - started} ms`);
          if (cancelMessage) void prompter.message('info', cancelMessage);
          return undefined;
        }
        const message = describeError(err);
        const request = isTolokaError(err) && err.requestId && !message.includes(err.requestId) ? ` (request ${err.requestId})` : '';
        services.log.error(`${runId} failed after ${Date.now() - started} ms: ${message}${request}`);
        if (err instanceof Error && err.stack) services.log.debug(err.stack);
        const showLogs = 'Show Logs';
        const retry = 'Retry';
        const text = `${options.failure ?? `Toloka: ${shortName(id)} failed`}: ${message}`;
        void prompter.message('error', text, showLogs, ...(options.retry ? [retry] : [])).then((answer) => {
          if (answer === showLogs) void vscode.commands.executeCommand(Commands.showLogs);
          if (answer === retry) void vscode.commands.executeCommand(id, ...args);
        });
        return undefined;
      }
    }),
  );
}
