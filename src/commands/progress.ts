import * as vscode from 'vscode';

export type Report = vscode.Progress<{ message?: string; increment?: number }>;

/**
 * A cancellable progress notification whose Cancel button aborts the signal handed to the
 * work; the cancellation listener is released however the work ends.
 */
export function withCancellableProgress<T>(title: string, work: (signal: AbortSignal, progress: Report) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const controller = new AbortController();
    const cancel = token.onCancellationRequested(() => controller.abort());
    try {
      return await work(controller.signal, progress);
    } finally {
      cancel.dispose();
    }
  });
}
