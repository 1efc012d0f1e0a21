import * as vscode from 'vscode';
import type { ClientProvider } from '../environment/clientProvider';
import { CostEstimates } from '../editors/costEstimate';
import { Commands } from '../ids';
import { registerCommand, type CommandServices } from './registerCommand';

export interface CostEstimateDeps extends CommandServices {
  readonly connections: ClientProvider;
}

/** The cost lens and hover on pool files, and the lens's command: the working of the estimate, in words. */
export function registerCostEstimates(context: vscode.ExtensionContext, deps: CostEstimateDeps): CostEstimates {
  const estimates = new CostEstimates(deps.connections, deps.log);
  estimates.register(context);
  registerCommand(
    context,
    deps,
    Commands.explainCost,
    async ({ prompter }, arg) => {
      const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
      const doc = uri && vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      const e = doc ? await estimates.estimate(doc) : undefined;
      if (!e) throw new Error('Open a pool file (*.pool.json) with a reward_per_assignment to estimate its cost');
      const text = [e.cost.headline, ...e.cost.explanation, ...(e.hourly ? [e.hourly.message] : [])].join('. ');
      void prompter.message(e.hourly?.tooLow ? 'warning' : 'info', text);
      return e.cost.total;
    },
    { failure: 'Could not estimate the pool\'s cost', quiet: true },
  );
  return estimates;
}
