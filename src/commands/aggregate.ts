import * as path from 'node:path';
import * as vscode from 'vscode';
import { methods } from '../aggregation';
import { runInWorker } from '../aggregation/runInWorker';
import type { ClientProvider } from '../environment/clientProvider';
import { aggregateOnToloka, aggregateResultsFile, type LocalAggregation } from '../files/aggregated';
import { readTsvRows } from '../files/records';
import { downloadResults } from '../files/results';
import { Commands } from '../ids';
import { CancelledError } from '../toloka/errors';
import type { TaskSpec } from '../toloka/models';
import { loadPoolWithSpec } from '../toloka/poolSpec';
import { pickPool, pickResultsFile, poolIdOf, resolveInWorkspace, uriOf } from './pick';
import { registerCommand, type CommandContext, type CommandServices } from './registerCommand';

export interface AggregateDeps extends CommandServices {
  readonly connections: ClientProvider;
  /** The bundled aggregation worker (`dist/aggregationWorker.js`). */
  readonly aggregationWorker: string;
}

/** Output types Toloka can aggregate: labels from a fixed set, booleans, narrow integer ranges. */
function aggregatable(spec: TaskSpec): string[] {
  return Object.entries(spec.output_spec)
    .filter(([, f]) => f.type === 'boolean' || ((f.type === 'string' || f.type === 'integer') && 'allowed_values' in f && !!f.allowed_values) || (f.type === 'integer' && f.min_value !== undefined && f.max_value !== undefined && f.max_value - f.min_value <= 32))
    .map(([name]) => name);
}

async function headersOf(file: string): Promise<string[]> {
  for await (const r of readTsvRows(file)) {
    if (r.error) throw new Error(`line ${r.line}: ${r.error}`);
    return (r.value as string[]).map((h) => h.trim());
  }
  return [];
}

/** The answers to aggregate: a results file given or chosen, or a pool whose accepted answers are downloaded first. */
async function inputFile(ctx: CommandContext, deps: AggregateDeps, arg: unknown): Promise<string> {
  const { prompter } = ctx;
  let file = uriOf(arg)?.fsPath;
  let poolId = poolIdOf(arg);
  if (!file && !poolId) {
    const source = await prompter.pick(
      [
        { label: '$(file) A results file…', detail: 'A results TSV with ASSIGNMENT:worker_id and OUTPUT: columns', value: 'file' as const },
        { label: '$(cloud-download) A pool…', detail: 'Downloads its accepted assignments first', value: 'pool' as const },
      ],
      { title: 'Aggregate which answers?' },
    );
    if (source === 'file') file = (await pickResultsFile(prompter, 'Aggregate the answers of which results file?')).fsPath;
    else poolId = await pickPool(prompter, deps.connections, 'Aggregate the accepted answers of which pool?');
  }
  if (file) return file;
  const id = poolId ?? '';
  const { client } = await deps.connections.connection();
  const target = await loadPoolWithSpec(client, id);
  const out = resolveInWorkspace(`results/${id}.accepted.tsv`).fsPath;
  const downloaded = await ctx.withProgress(`Downloading the accepted answers of pool ${target.title}`, (signal, progress) =>
    downloadResults({ client, poolId: id, spec: target.spec, file: out, format: 'tsv', statuses: ['ACCEPTED'], columns: ['task_id', 'worker_id'], resume: false, signal, onProgress: (p) => progress.report({ message: `${p.rows.toLocaleString()} rows` }) }),
  );
  if (downloaded.cancelled) throw new CancelledError();
  return out;
}

export function registerAggregate(context: vscode.ExtensionContext, deps: AggregateDeps): void {
  registerCommand(
    context,
    deps,
    Commands.aggregateResults,
    async (ctx, arg): Promise<LocalAggregation> => {
      const { prompter } = ctx;
      const input = await inputFile(ctx, deps, arg);
      const where = vscode.workspace.asRelativePath(input);
      const headers = await headersOf(input);
      const outputs = headers.filter((h) => h.startsWith('OUTPUT:')).map((h) => h.slice('OUTPUT:'.length));
      if (outputs.length === 0) throw new Error(`${where} has no OUTPUT: columns: aggregate a results file downloaded from Toloka`);
      const field = outputs.length === 1 && outputs[0] ? outputs[0] : await prompter.pick(outputs.map((o) => ({ label: o, value: o })), { title: 'Aggregate which output field?' });
      const method = await prompter.pick(methods.map((m) => ({ label: m.label, detail: m.detail, value: m.id })), { title: `Aggregate OUTPUT:${field} with which method?` });
      let excludeControl = false;
      if (headers.some((h) => h.startsWith('GOLDEN:'))) {
        excludeControl = await prompter.pick(
          [
            { label: 'Leave control tasks out', detail: 'Rows with a GOLDEN: value are not aggregated', value: true },
            { label: 'Aggregate every task', detail: 'Control tasks too', value: false },
          ],
          { title: 'Control tasks' },
        );
      }
      const output = resolveInWorkspace(path.join(path.dirname(vscode.workspace.asRelativePath(input)), `${path.basename(input, path.extname(input))}.${method}.tsv`));
      const chosen = methods.find((m) => m.id === method);
      const stages = { reading: `reading ${where}`, aggregating: 'aggregating', writing: `writing ${vscode.workspace.asRelativePath(output)}` };
      const result = await ctx.withProgress(`Aggregating ${where} (${chosen?.label ?? method})`, (signal, progress) =>
        aggregateResultsFile({
          input,
          field,
          method,
          output: output.fsPath,
          excludeControl,
          signal,
          // In a thread of its own: the extension host stays responsive, and Cancel stops it at once.
          run: (m, responses, s) => runInWorker(deps.aggregationWorker, m, responses, s),
          onStage: (stage) => progress.report({ message: stages[stage] }),
        }),
      );
      const summary = `${chosen?.label ?? method}: ${result.tasks.toLocaleString()} task(s) from ${result.responses.toLocaleString()} answers of ${result.workers.toLocaleString()} Tolokers${result.skippedControl ? `, ${result.skippedControl.toLocaleString()} control rows left out` : ''} → ${vscode.workspace.asRelativePath(output)}`;
      ctx.log.info(summary);
      await vscode.window.showTextDocument(output, { preview: false });
      void prompter.message('info', summary);
      return result;
    },
    { failure: 'Aggregation failed' },
  );

  registerCommand(
    context,
    deps,
    Commands.aggregateOnToloka,
    async (ctx, arg) => {
      const { prompter } = ctx;
      const poolId = poolIdOf(arg) ?? (await pickPool(prompter, deps.connections, "Run Toloka's aggregation on which pool?"));
      const { client } = await deps.connections.connection();
      const target = await loadPoolWithSpec(client, poolId);
      const fields = aggregatable(target.spec);
      if (fields.length === 0) throw new Error(`pool ${poolId}'s project has no output field Toloka can aggregate (labels with allowed values, booleans, or integers with a narrow range)`);
      const field = fields.length === 1 && fields[0] ? fields[0] : await prompter.pick(fields.map((f) => ({ label: f, value: f })), { title: 'Aggregate which output field?' });
      const type = await prompter.pick(
        [
          { label: 'Dawid-Skene', detail: 'From the answers alone', value: 'DAWID_SKENE' as const },
          { label: 'Weighted by skill', detail: "Weighs each Toloker's answer by a skill (WEIGHTED_DYNAMIC_OVERLAP)", value: 'WEIGHTED_DYNAMIC_OVERLAP' as const },
        ],
        { title: `Aggregate OUTPUT:${field} on Toloka` },
      );
      let how: { type: 'DAWID_SKENE' } | { type: 'WEIGHTED_DYNAMIC_OVERLAP'; skillId: string } = { type: 'DAWID_SKENE' };
      if (type === 'WEIGHTED_DYNAMIC_OVERLAP') {
        const skills: Array<{ label: string; description: string; value: string }> = [];
        for await (const s of client.skills.all()) if (s.id) skills.push({ label: s.name, description: s.id, value: s.id });
        if (skills.length === 0) throw new Error('there are no skills in this account to weigh the answers by');
        how = { type, skillId: await prompter.pick(skills, { title: 'Weigh the answers by which skill?' }) };
      }
      const output = resolveInWorkspace(`results/${poolId}.toloka-${type === 'DAWID_SKENE' ? 'ds' : 'skill'}.tsv`);
      const result = await ctx.withProgress(`Aggregating pool ${target.title} on Toloka`, (signal, progress) =>
        aggregateOnToloka({ client, poolId, spec: target.spec, field, how, output: output.fsPath, signal, onOperation: (op) => progress.report({ message: `operation ${op.id}…` }) }),
      );
      const summary = `Toloka aggregated ${result.tasks.toLocaleString()} task(s) of pool ${target.title} → ${vscode.workspace.asRelativePath(output)}`;
      ctx.log.info(`${summary} (operation ${result.operation.id})`);
      await vscode.window.showTextDocument(output, { preview: false });
      void prompter.message('info', summary);
      return result;
    },
    { failure: 'Aggregation on Toloka failed', retry: true },
  );
}
