import * as vscode from 'vscode';
import { z } from 'zod';
import type { ClientProvider } from '../environment/clientProvider';
import { applyReview, readReviewFile, type ReviewResult } from '../files/review';
import { describeError } from '../views/explorer';
import { Commands } from './ids';
import { lineDiagnostic, pickResultsFile } from './pick';
import { withCancellableProgress } from './progress';

export interface ReviewDeps {
  readonly connections: ClientProvider;
  readonly log: vscode.LogOutputChannel;
}

const ReviewArgs = z.object({
  file: z.string().optional(),
  /** Skip the confirmation (tests, scripts). */
  confirmed: z.boolean().optional(),
});


export function registerReview(context: vscode.ExtensionContext, deps: ReviewDeps): void {
  const diagnostics = vscode.languages.createDiagnosticCollection('toloka-review');
  context.subscriptions.push(
    diagnostics,
    vscode.commands.registerCommand(Commands.applyReview, async (arg?: unknown): Promise<ReviewResult | undefined> => {
      const given = ReviewArgs.parse(arg instanceof vscode.Uri ? { file: arg.fsPath } : (arg ?? {}));
      const uri = given.file ? vscode.Uri.file(given.file) : await pickResultsFile('Apply the ACCEPT:verdict column of which results file?');
      if (!uri) return undefined;
      const where = vscode.workspace.asRelativePath(uri);
      let review;
      try {
        review = await readReviewFile(uri.fsPath);
      } catch (err) {
        void vscode.window.showErrorMessage(`${where}: ${describeError(err)}`);
        return undefined;
      }
      diagnostics.delete(uri);
      if (review.problems.length > 0) {
        diagnostics.set(uri, review.problems.map((p) => lineDiagnostic(p.line, p.message, 'Toloka review')));
        const first = review.problems[0];
        void vscode.window.showErrorMessage(`${where}: ${review.problems.length} row(s) cannot be applied (line ${first?.line}: ${first?.message}). Nothing was sent; see the Problems panel.`);
        return undefined;
      }
      const accepts = review.decisions.filter((d) => d.accept).length;
      const rejects = review.decisions.length - accepts;
      if (review.decisions.length === 0) {
        void vscode.window.showInformationMessage(`${where} has no verdicts: put + or - in its ACCEPT:verdict column.`);
        return undefined;
      }
      if (!given.confirmed) {
        const go = await vscode.window.showWarningMessage(
          `Accept ${accepts.toLocaleString()} and reject ${rejects.toLocaleString()} assignment(s) from ${where}?`,
          { modal: true, detail: 'Tolokers are paid for accepted assignments and see the comments of rejected ones. A rejection can later be turned into an acceptance, not the other way round.' },
          'Apply Review',
        );
        if (go !== 'Apply Review') return undefined;
      }
      const { client } = await deps.connections.connection();
      const result = await withCancellableProgress(`Applying the review in ${where}`, (signal, progress) =>
        applyReview({
          client, decisions: review.decisions, signal,
          onProgress: (done) => progress.report({ increment: 100 / review.decisions.length, message: `${done.toLocaleString()} of ${review.decisions.length.toLocaleString()}` }),
        }),
      );
      for (const n of result.notes) deps.log.warn(`${where}:${n.line}: ${n.message}`);
      const c = result.counts;
      const summary = `${result.cancelled ? 'Stopped. ' : ''}Review of ${where}: ${c.accepted} accepted, ${c.rejected} rejected, ${c.unchanged} already so${c.refused ? `, ${c.refused} refused by Toloka` : ''}${c.failed ? `, ${c.failed} failed` : ''}.`;
      deps.log.info(summary);
      void (c.refused || c.failed ? vscode.window.showWarningMessage(`${summary} Details in Toloka: Show Logs.`) : vscode.window.showInformationMessage(summary));
      return result;
    }),
  );
}
