import * as vscode from 'vscode';
import type { ClientProvider } from '../environment/clientProvider';
import { applyReview, readReviewFile, type ReviewResult } from '../files/review';
import { Commands } from '../ids';
import { lineDiagnostic, pickResultsFile, uriOf } from './pick';
import { registerCommand, type CommandServices } from './registerCommand';

export interface ReviewDeps extends CommandServices {
  readonly connections: ClientProvider;
}

/**
 * Apply Review from TSV: every row checked first (problems by line, nothing sent), then one
 * confirmation, always: accepting pays Tolokers and a rejection cannot be taken back.
 */
export function registerReview(context: vscode.ExtensionContext, deps: ReviewDeps): void {
  const diagnostics = vscode.languages.createDiagnosticCollection('toloka-review');
  context.subscriptions.push(diagnostics);
  registerCommand(
    context,
    deps,
    Commands.applyReview,
    async ({ prompter, log, withProgress }, arg): Promise<ReviewResult | undefined> => {
      const uri = uriOf(arg) ?? (await pickResultsFile(prompter, 'Apply the ACCEPT:verdict column of which results file?'));
      const where = vscode.workspace.asRelativePath(uri);
      const review = await readReviewFile(uri.fsPath).catch((err: unknown) => {
        throw new Error(`${where}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      });
      diagnostics.delete(uri);
      if (review.problems.length > 0) {
        diagnostics.set(uri, review.problems.map((p) => lineDiagnostic(p.line, p.message, 'Toloka review')));
        const first = review.problems[0];
        throw new Error(`${where}: ${review.problems.length} row(s) cannot be applied (line ${first?.line}: ${first?.message}). Nothing was sent; see the Problems panel`);
      }
      if (review.decisions.length === 0) {
        void prompter.message('info', `${where} has no verdicts: put + or - in its ACCEPT:verdict column.`);
        return undefined;
      }
      const accepts = review.decisions.filter((d) => d.accept).length;
      const rejects = review.decisions.length - accepts;
      await prompter.confirm({
        message: `Accept ${accepts.toLocaleString()} and reject ${rejects.toLocaleString()} assignment(s) from ${where}?`,
        detail: 'Tolokers are paid for accepted assignments and see the comments of rejected ones. A rejection can later be turned into an acceptance, not the other way round.',
        action: 'Apply Review',
      });
      const { client } = await deps.connections.connection();
      const result = await withProgress(`Applying the review in ${where}`, (signal, progress) =>
        applyReview({
          client, decisions: review.decisions, signal,
          onProgress: (done) => progress.report({ increment: 100 / review.decisions.length, message: `${done.toLocaleString()} of ${review.decisions.length.toLocaleString()}` }),
        }),
      );
      for (const n of result.notes) log.warn(`${where}:${n.line}: ${n.message}`);
      const c = result.counts;
      const summary = `${result.cancelled ? 'Stopped. ' : ''}Review of ${where}: ${c.accepted} accepted, ${c.rejected} rejected, ${c.unchanged} already so${c.refused ? `, ${c.refused} refused by Toloka` : ''}${c.failed ? `, ${c.failed} failed` : ''}.`;
      log.info(summary);
      void prompter.message(c.refused || c.failed ? 'warning' : 'info', c.refused || c.failed ? `${summary} Details in Toloka: Show Logs.` : summary);
      return result;
    },
    { failure: 'Could not apply the review' },
  );
}
