import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ClientProvider } from '../environment/clientProvider';
import { fetchAppResults, sendItems, type SendItemsResult } from '../files/appItems';
import { formatOf } from '../files/records';
import { Commands } from '../ids';
import type { TolokaClient } from '../toloka/client';
import { AppBatchPriority, type AppBatch, type AppBatchStatus } from '../toloka/models';
import { collect } from '../toloka/paging';
import type { ExplorerModel, Node } from '../views/explorer/model';
import { appProjectIdOf, nodeOfKind, uriOf, workspaceRoot } from './pick';
import type { Prompter } from './prompter';
import { registerCommand, type CommandContext, type CommandServices } from './registerCommand';

export interface AppDeps extends CommandServices {
  readonly connections: ClientProvider;
  readonly model: ExplorerModel;
}

async function pickAppProject(prompter: Prompter, deps: AppDeps): Promise<string> {
  const { client } = await deps.connections.connection();
  const projects = (await collect(client.apps.projects({}, { limit: 1000 }))).filter((p) => p.status !== 'ARCHIVED' && p.id);
  if (projects.length === 0) throw new Error('there are no app projects in this environment');
  return await prompter.pick(projects.map((p) => ({ label: p.name, description: `${p.app_id} · ${p.id ?? ''}`, value: p.id ?? '' })), { title: 'Which app project?' });
}

/** An items file given to the command, or asked for: a JSON array or JSON Lines. */
async function itemsFile(prompter: Prompter, arg: unknown, title: string): Promise<{ file: vscode.Uri; format: 'json' | 'jsonl' }> {
  const file = uriOf(arg) ?? (await prompter.openFile({ title, filters: { Items: ['json', 'jsonl'] } }));
  const format = formatOf(file.fsPath);
  if (format !== 'json' && format !== 'jsonl') throw new Error(`${vscode.workspace.asRelativePath(file)}: send items from a .json array or a .jsonl file`);
  return { file, format };
}

/**
 * Sends a file's items (streaming, or into a new batch) under a cancellable notification, and
 * says what was sent; `describe` words the outcome, before a note on batches whose answer was lost.
 */
async function send(ctx: CommandContext, deps: AppDeps, o: { file: vscode.Uri; format: 'json' | 'jsonl'; appProjectId: string; title: string; batch?: { name: string } }, describe: (r: SendItemsResult) => string): Promise<SendItemsResult> {
  const { client } = await deps.connections.connection();
  const r = await ctx.withProgress(o.title, (signal, progress) =>
    sendItems({ client, file: o.file.fsPath, format: o.format, appProjectId: o.appProjectId, ...(o.batch ? { batch: o.batch } : {}), signal, onProgress: (sent, total) => progress.report({ message: `${sent.toLocaleString()} of ${total.toLocaleString()}` }) }),
  );
  if (r.invalid.length > 0) {
    throw new Error(`nothing was sent: ${r.invalid.length} item(s) are not JSON objects, first at line ${r.invalid[0]?.line ?? '?'}: ${r.invalid[0]?.problem ?? ''}`);
  }
  const unknown = r.unknown.map((u) => `lines ${u.fromLine}–${u.toLine}`).join(', ');
  const text = `${describe(r)}${unknown ? ` An earlier run's answer for ${unknown} never came: check the app project for those items before sending them again.` : ''}`;
  ctx.log.info(text);
  void ctx.prompter.message(unknown ? 'warning' : 'info', text);
  return r;
}

function registerBatches(context: vscode.ExtensionContext, deps: AppDeps): void {
  registerCommand(
    context,
    deps,
    Commands.createAppBatch,
    async (ctx, arg): Promise<SendItemsResult> => {
      const { file, format } = await itemsFile(ctx.prompter, arg, 'Create a batch from which file?');
      const appProjectId = appProjectIdOf(arg) ?? nodeOfKind(arg, 'appBatches')?.appProjectId ?? (await pickAppProject(ctx.prompter, deps));
      const name = await ctx.prompter.input({ title: 'Name of the new batch', value: path.basename(file.fsPath).replace(/\.(json|jsonl)$/, ''), validate: (v) => (v.trim() ? undefined : 'a batch needs a name') });
      ctx.onCancel('Paused; run Create Batch from File again on the same file to add the rest to the same batch.');
      const r = await send(ctx, deps, { file, format, appProjectId, title: `Adding items to a new batch of app project ${appProjectId}`, batch: { name: name.trim() } }, (x) =>
        `Batch ${x.batchId ?? ''} of app project ${appProjectId} has ${(x.sent + x.resumed).toLocaleString()} item(s)${x.resumed ? ` (${x.resumed.toLocaleString()} added by an earlier run)` : ''}; Start Batch sends them for labeling.`,
      );
      deps.model.refresh(`appProject/${appProjectId}`);
      return r;
    },
    { failure: 'Creating the batch stopped (run it again on the same file: items added are not added twice)' },
  );
  registerCommand(
    context,
    deps,
    Commands.startAppBatch,
    async ({ prompter, log }, arg) => {
      const { client, node, batch } = await batchRow(deps, arg, 'start');
      if (batch.status !== 'NEW') throw new Error(`batch ${batch.id} is ${(batch.status ?? 'started').toLowerCase()}: only a new batch starts`);
      const cost = batch.cost ?? (batch.item_price ?? 0) * (batch.item_count ?? 0);
      await prompter.confirm({
        message: `Start batch "${batch.name ?? batch.id}" (${(batch.item_count ?? 0).toLocaleString()} items)?`,
        detail: `Its items go to Tolokers for labeling${cost ? `, for about $${cost.toFixed(2)}` : ''}. Items cannot be added to a batch once it starts.`,
        action: 'Start',
      });
      await client.apps.startBatch(node.appProjectId, batch.id);
      log.info(`Started batch ${batch.id} of app project ${node.appProjectId}`);
      deps.model.refresh(`appBatches/${node.appProjectId}`);
      void prompter.message('info', `Batch "${batch.name ?? batch.id}" started: ${(batch.item_count ?? 0).toLocaleString()} item(s) are being labeled.`);
      return await client.apps.batch(node.appProjectId, batch.id);
    },
    { failure: 'Could not start the batch' },
  );

  /** Stop, Resume, Archive and Unarchive: a status check, a confirmation where it stops work or hides data, the call, the row refreshed. */
  const action = (command: string, o: { verb: string; from: readonly AppBatchStatus[]; confirm?: (b: AppBatch) => { message: string; detail: string; action: string }; call: (client: TolokaClient, projectId: string, batchId: string) => Promise<unknown>; done: string }): void => {
    registerCommand(
      context,
      deps,
      command,
      async ({ prompter, log }, arg) => {
        const { client, node, batch } = await batchRow(deps, arg, o.verb);
        const name = `"${batch.name ?? batch.id}"`;
        if (!o.from.includes(batch.status ?? 'NEW')) throw new Error(`batch ${name} is ${(batch.status ?? 'NEW').toLowerCase()}: only a ${o.from.map((s) => s.toLowerCase().replace('_', ' ')).join(', ').replace(/, ([^,]+)$/, ' or $1')} batch can be ${o.done}`);
        if (o.confirm) await prompter.confirm(o.confirm(batch));
        await o.call(client, node.appProjectId, batch.id);
        const after = await client.apps.batch(node.appProjectId, batch.id);
        log.info(`Batch ${batch.id} of app project ${node.appProjectId} ${o.done}: now ${after.status ?? '?'}`);
        deps.model.refresh(`appBatches/${node.appProjectId}`);
        void prompter.message('info', `Batch ${name} ${o.done}: it is ${(after.status ?? '?').toLowerCase()} now.`);
        return after;
      },
      { failure: `Could not ${o.verb} the batch` },
    );
  };
  const progress = (b: AppBatch): string => `${(b.items_processed_count ?? 0).toLocaleString()} of ${(b.item_count ?? 0).toLocaleString()} item(s) are labeled`;
  action(Commands.stopAppBatch, {
    verb: 'stop',
    from: ['PROCESSING'],
    confirm: (b) => ({ message: `Stop batch "${b.name ?? b.id}"?`, detail: `${progress(b)}; the rest wait, unlabeled, until you resume the batch.`, action: 'Stop' }),
    call: (c, p, id) => c.apps.stopBatch(p, id),
    done: 'stopped',
  });
  action(Commands.resumeAppBatch, {
    verb: 'resume',
    from: ['STOPPING', 'STOPPED'],
    confirm: (b) => ({ message: `Resume batch "${b.name ?? b.id}"?`, detail: `${progress(b)}; the rest go to Tolokers for labeling${b.item_price ? `, at $${b.item_price} an item` : ''}.`, action: 'Resume' }),
    call: (c, p, id) => c.apps.resumeBatch(p, id),
    done: 'resumed',
  });
  action(Commands.archiveAppBatch, {
    verb: 'archive',
    from: ['NEW', 'STOPPED', 'COMPLETED', 'ERROR', 'CANCELLED', 'NO_MONEY'],
    confirm: (b) => ({ message: `Archive batch "${b.name ?? b.id}"?`, detail: 'Its data is hidden and it cannot be started or resumed until you unarchive it.', action: 'Archive' }),
    call: (c, p, id) => c.apps.archiveBatch(p, id),
    done: 'archived',
  });
  action(Commands.unarchiveAppBatch, { verb: 'unarchive', from: ['ARCHIVE'], call: (c, p, id) => c.apps.unarchiveBatch(p, id), done: 'unarchived' });

  registerCommand(
    context,
    deps,
    Commands.editAppBatch,
    async ({ prompter, log }, arg) => {
      const { client, node, batch } = await batchRow(deps, arg, 'edit');
      const name = (await prompter.input({ title: `Batch ${batch.id}: its name`, value: batch.name ?? '', validate: (v) => (v.trim() ? undefined : 'a batch needs a name') })).trim();
      const current = batch.priority_order ?? 'FIVE';
      const priority = await prompter.pick(
        AppBatchPriority.options.map((p, i) => ({ label: p, description: [i === 0 ? 'highest: labeled first' : '', i === 4 ? 'lowest, the default' : '', p === current ? 'current' : ''].filter(Boolean).join(' · '), value: p })),
        { title: `Batch "${name}": its priority among the app project's batches` },
      );
      const after = await client.apps.updateBatch(node.appProjectId, batch.id, { name, priority_order: priority });
      log.info(`Batch ${batch.id} of app project ${node.appProjectId}: name "${after.name ?? ''}", priority ${after.priority_order ?? ''}`);
      deps.model.refresh(`appBatches/${node.appProjectId}`);
      void prompter.message('info', `Batch "${after.name ?? batch.id}" has priority ${after.priority_order ?? priority}.`);
      return after;
    },
    { failure: 'Could not change the batch' },
  );
}

/** The batch of an explorer row, as Toloka has it now (the row may be older). */
async function batchRow(deps: AppDeps, arg: unknown, verb: string): Promise<{ client: TolokaClient; node: Extract<Node, { kind: 'appBatch' }>; batch: AppBatch }> {
  const node = nodeOfKind(arg, 'appBatch');
  if (!node) throw new Error(`choose a batch under an app project in the Toloka explorer to ${verb} it`);
  const { client } = await deps.connections.connection();
  return { client, node, batch: await client.apps.batch(node.appProjectId, node.batch.id) };
}

export function registerApps(context: vscode.ExtensionContext, deps: AppDeps): void {
  registerBatches(context, deps);
  registerCommand(
    context,
    deps,
    Commands.sendItems,
    async (ctx, arg): Promise<SendItemsResult> => {
      const { file, format } = await itemsFile(ctx.prompter, arg, 'Send items from which file?');
      const appProjectId = appProjectIdOf(arg) ?? (await pickAppProject(ctx.prompter, deps));
      ctx.onCancel('Sending paused; run the command again on the same file to go on.');
      return await send(ctx, deps, { file, format, appProjectId, title: `Sending items to app project ${appProjectId}` }, (r) =>
        `Sent ${r.sent.toLocaleString()} item(s) to app project ${appProjectId}${r.resumed ? ` (${r.resumed.toLocaleString()} were sent by an earlier run)` : ''}.`,
      );
    },
    { failure: 'Sending items stopped (run it again to go on: sent batches are not sent twice)' },
  );
  registerCommand(
    context,
    deps,
    Commands.fetchAppResults,
    async ({ prompter, withProgress }, arg) => {
      const appProjectId = appProjectIdOf(arg) ?? (await pickAppProject(prompter, deps));
      const folder = workspaceRoot();
      if (!folder) throw new Error('open a folder first: the results are written into the workspace');
      const outFile = vscode.Uri.joinPath(folder, 'results', `${appProjectId}.items.jsonl`);
      const { client } = await deps.connections.connection();
      const r = await withProgress(`Fetching finished items of app project ${appProjectId}`, (signal, progress) =>
        fetchAppResults({ client, appProjectId, outFile: outFile.fsPath, signal, onProgress: (n) => progress.report({ message: `${n.toLocaleString()} items` }) }),
      );
      const rel = vscode.workspace.asRelativePath(outFile);
      void prompter.message('info', r.fetched > 0 ? `Appended ${r.fetched.toLocaleString()} finished item(s) to ${rel}.` : `No items have finished since the last fetch (${path.basename(rel)}).`, 'Open').then((a) => {
        if (a) void vscode.window.showTextDocument(outFile);
      });
      return r;
    },
    { failure: 'Fetching app results stopped (run it again: it continues after the last item written)', retry: true },
  );
}
