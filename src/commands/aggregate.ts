import * as path from 'node:path';
import * as vscode from 'vscode';
import { z } from 'zod';
import { methods, type MethodId } from '../aggregation';
import { runInWorker } from '../aggregation/runInWorker';
import type { ClientProvider } from '../environment/clientProvider';
import { aggregateOnToloka, aggregateResultsFile, type LocalAggregation } from '../files/aggregated';
import { readTsvRows } from '../files/records';
import { downloadResults } from '../files/results';
import type { TaskSpec } from '../toloka/models';
import { describeError } from '../views/explorer';
import { Commands } from './ids';
import { pickPool, pickResultsFile, poolIdOf, resolveInWorkspace } from './pick';
import { withCancellableProgress } from './progress';

export interface AggregateDeps {
  readonly connections: ClientProvider;
  readonly log: vscode.LogOutputChannel;
  /** The bundled aggregation worker (`dist/aggregationWorker.js`). */
  readonly aggregationWorker: string;
}

const AggregateArgs = z.object({
  file: z.string().optional(),
  poolId: z.string().optional(),
  field: z.string().optional(),
  method: z.enum(['mv', 'wawa', 'ds', 'glad']).optional(),
  excludeControl: z.boolean().optional(),
  output: z.string().optional(),
  open: z.boolean().optional(),
});

const ServerArgs = z.object({
  poolId: z.string().optional(),
  field: z.string().optional(),
  type: z.enum(['DAWID_SKENE', 'WEIGHTED_DYNAMIC_OVERLAP']).optional(),
  skillId: z.string().optional(),
  output: z.string().optional(),
  open: z.boolean().optional(),
});

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

export function registerAggregate(context: vscode.ExtensionContext, deps: AggregateDeps): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(Commands.aggregateResults, async (arg?: unknown): Promise<LocalAggregation | undefined> => {
      const given = AggregateArgs.parse(arg instanceof vscode.Uri ? { file: arg.fsPath } : poolIdOf(arg) ? { poolId: poolIdOf(arg) } : (arg ?? {}));
      let file = given.file;
      let poolId = given.poolId;
      if (!file && !poolId) {
        const source = await vscode.window.showQuickPick(
          [
            { label: '$(file) A results file…', detail: 'A results TSV with ASSIGNMENT:worker_id and OUTPUT: columns', key: 'file' },
            { label: '$(cloud-download) A pool…', detail: 'Downloads its accepted assignments first', key: 'pool' },
          ],
          { title: 'Aggregate which answers?' },
        );
        if (!source) return undefined;
        if (source.key === 'file') file = (await pickResultsFile('Aggregate the answers of which results file?'))?.fsPath;
        else poolId = await pickPool(deps.connections, 'Aggregate the accepted answers of which pool?');
        if (!file && !poolId) return undefined;
      }
      try {
        if (!file && poolId) {
          const id = poolId;
          const { client } = await deps.connections.connection();
          const pool = await client.pools.get(id);
          const spec = (await client.projects.get(pool.project_id)).task_spec;
          const target = resolveInWorkspace(`results/${id}.accepted.tsv`).fsPath;
          const downloaded = await withCancellableProgress(`Downloading the accepted answers of pool "${pool.private_name}"`, (signal, progress) =>
            downloadResults({ client, poolId: id, spec, file: target, format: 'tsv', statuses: ['ACCEPTED'], columns: ['task_id', 'worker_id'], resume: false, signal, onProgress: (p) => progress.report({ message: `${p.rows.toLocaleString()} rows` }) }),
          );
          if (downloaded.cancelled) return undefined;
          file = target;
        }
        if (!file) return undefined;
        const input = file;
        const where = vscode.workspace.asRelativePath(input);
        const headers = await headersOf(input);
        const outputs = headers.filter((h) => h.startsWith('OUTPUT:')).map((h) => h.slice('OUTPUT:'.length));
        if (outputs.length === 0) {
          void vscode.window.showErrorMessage(`${where} has no OUTPUT: columns: aggregate a results file downloaded from Toloka.`);
          return undefined;
        }
        const field = given.field ?? (outputs.length === 1 ? outputs[0] : (await vscode.window.showQuickPick(outputs, { title: 'Aggregate which output field?' })));
        if (!field) return undefined;
        const method = given.method ?? (await vscode.window.showQuickPick(methods.map((m) => ({ label: m.label, detail: m.detail, id: m.id })), { title: `Aggregate OUTPUT:${field} with which method?` }))?.id;
        if (!method) return undefined;
        let excludeControl = given.excludeControl;
        if (excludeControl === undefined && headers.some((h) => h.startsWith('GOLDEN:'))) {
          const choice = await vscode.window.showQuickPick(
            [
              { label: 'Leave control tasks out', detail: 'Rows with a GOLDEN: value are not aggregated', exclude: true },
              { label: 'Aggregate every task', detail: 'Control tasks too', exclude: false },
            ],
            { title: 'Control tasks' },
          );
          if (!choice) return undefined;
          excludeControl = choice.exclude;
        }
        const output = resolveInWorkspace(given.output ?? path.join(path.dirname(vscode.workspace.asRelativePath(input)), `${path.basename(input, path.extname(input))}.${method}.tsv`));
        const chosen = methods.find((m) => m.id === method);
        const stages = { reading: `reading ${where}`, aggregating: 'aggregating', writing: `writing ${vscode.workspace.asRelativePath(output)}` };
        const result = await withCancellableProgress(`Aggregating ${where} (${chosen?.label ?? method})`, (signal, progress) =>
          aggregateResultsFile({
            input,
            field,
            method: method as MethodId,
            output: output.fsPath,
            excludeControl: excludeControl ?? false,
            signal,
            // In a thread of its own: the extension host stays responsive, and Cancel stops it at once.
            run: (m, responses, s) => runInWorker(deps.aggregationWorker, m, responses, s),
            onStage: (stage) => progress.report({ message: stages[stage] }),
          }),
        );
        const summary = `${chosen?.label ?? method}: ${result.tasks.toLocaleString()} task(s) from ${result.responses.toLocaleString()} answers of ${result.workers.toLocaleString()} Tolokers${result.skippedControl ? `, ${result.skippedControl.toLocaleString()} control rows left out` : ''} → ${vscode.workspace.asRelativePath(output)}`;
        deps.log.info(summary);
        if (given.open !== false) await vscode.window.showTextDocument(output, { preview: false });
        void vscode.window.showInformationMessage(summary);
        return result;
      } catch (err) {
        if (err instanceof Error && err.message === 'cancelled') return undefined;
        deps.log.error(`Aggregation failed: ${describeError(err)}`);
        void vscode.window.showErrorMessage(`Aggregation failed: ${describeError(err)}`);
        return undefined;
      }
    }),

    vscode.commands.registerCommand(Commands.aggregateOnToloka, async (arg?: unknown) => {
      const given = ServerArgs.parse(poolIdOf(arg) ? { poolId: poolIdOf(arg) } : (arg ?? {}));
      const poolId = given.poolId ?? (await pickPool(deps.connections, "Run Toloka's aggregation on which pool?"));
      if (!poolId) return undefined;
      try {
        const { client } = await deps.connections.connection();
        const pool = await client.pools.get(poolId);
        const spec = (await client.projects.get(pool.project_id)).task_spec;
        const fields = aggregatable(spec);
        if (fields.length === 0) {
          void vscode.window.showErrorMessage(`Pool ${poolId}'s project has no output field Toloka can aggregate (labels with allowed values, booleans, or integers with a narrow range).`);
          return undefined;
        }
        const field = given.field ?? (fields.length === 1 ? fields[0] : await vscode.window.showQuickPick(fields, { title: 'Aggregate which output field?' }));
        if (!field) return undefined;
        const type =
          given.type ??
          (
            await vscode.window.showQuickPick(
              [
                { label: 'Dawid-Skene', detail: 'From the answers alone', type: 'DAWID_SKENE' as const },
                { label: 'Weighted by skill', detail: "Weighs each Toloker's answer by a skill (WEIGHTED_DYNAMIC_OVERLAP)", type: 'WEIGHTED_DYNAMIC_OVERLAP' as const },
              ],
              { title: `Aggregate OUTPUT:${field} on Toloka` },
            )
          )?.type;
        if (!type) return undefined;
        let skillId = given.skillId;
        if (type === 'WEIGHTED_DYNAMIC_OVERLAP' && !skillId) {
          const skills: Array<vscode.QuickPickItem & { id: string }> = [];
          for await (const s of client.skills.all()) if (s.id) skills.push({ label: s.name, description: s.id, id: s.id });
          skillId = (await vscode.window.showQuickPick(skills, { title: 'Weigh the answers by which skill?' }))?.id;
          if (!skillId) return undefined;
        }
        const output = resolveInWorkspace(given.output ?? `results/${poolId}.toloka-${type === 'DAWID_SKENE' ? 'ds' : 'skill'}.tsv`);
        const how = type === 'DAWID_SKENE' ? { type } : { type, skillId: skillId ?? '' };
        const result = await withCancellableProgress(`Aggregating pool "${pool.private_name}" on Toloka`, (signal, progress) =>
          aggregateOnToloka({ client, poolId, spec, field, how, output: output.fsPath, signal, onOperation: (op) => progress.report({ message: `operation ${op.id}…` }) }),
        );
        const summary = `Toloka aggregated ${result.tasks.toLocaleString()} task(s) of pool "${pool.private_name}" → ${vscode.workspace.asRelativePath(output)}`;
        deps.log.info(`${summary} (operation ${result.operation.id})`);
        if (given.open !== false) await vscode.window.showTextDocument(output, { preview: false });
        void vscode.window.showInformationMessage(summary);
        return result;
      } catch (err) {
        if (err instanceof Error && /abort|cancel/i.test(err.name + err.message)) return undefined;
        deps.log.error(`Aggregation on Toloka failed: ${describeError(err)}`);
        void vscode.window.showErrorMessage(`Aggregation on Toloka failed: ${describeError(err)}`);
        return undefined;
      }
    }),
  );
}
