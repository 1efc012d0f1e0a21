import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SendItemsResult } from '../../src/files/appItems';
import type { Sandbox } from '../../src/sandbox/server';
import { TolokaClient } from '../../src/toloka/client';
import type { TolokaTestApi } from '../../src/testSeam';
import type { Node } from '../../src/views/explorer/model';
import { eventually, withTestSandbox, workspaceFile } from './extension';
import { answering } from './prompter';

describe('App projects: batches from a file, started from their row', function () {
  this.timeout(60_000);
  let sandbox: Sandbox;
  let appProjectId = '';
  let api: TolokaTestApi;

  withTestSandbox({ tolokers: { appItemMs: 1 } }, async (t) => {
    ({ sandbox, api } = t);
    sandbox.tolokers.start();
    const { client } = t;
    // The explorer shows its sections beside projects.
    await client.projects.create({ public_name: 'Any project', task_spec: { input_spec: { text: { type: 'string' } }, output_spec: { label: { type: 'string' } } } });
    appProjectId = (await client.apps.createProject({ app_id: 'text-classification', name: 'Batched reviews', parameters: { categories: ['positive', 'negative'] } })).id ?? '';
  });

  const child = async <K extends Node['kind']>(parent: Node | undefined, kind: K, pick: (n: Extract<Node, { kind: K }>) => boolean = () => true): Promise<Extract<Node, { kind: K }>> => {
    const rows = await api.explorer.provider.getChildren(parent);
    const found = rows.find((n): n is Extract<Node, { kind: K }> => n.kind === kind && pick(n as Extract<Node, { kind: K }>));
    assert.ok(found, `a ${kind} row among ${rows.map((r) => r.kind).join(', ')}`);
    return found;
  };
  const batchesRow = async () => {
    const section = await child(undefined, 'appProjects');
    const project = await child(section, 'appProject', (p) => p.appProject.id === appProjectId);
    return await child(project, 'appBatches');
  };
  const batches = () => [...sandbox.state.appBatches.values()].filter((b) => b.api.app_project_id === appProjectId);
  const itemsOf = (batchId: string) => (sandbox.state.appItems.get(appProjectId) ?? []).filter((i) => i.api.batch_id === batchId);

  it('creates a batch from a JSON Lines file, a rerun adding nothing twice, then starts it after asking', async () => {
    api.explorer.model.refresh();
    const file = workspaceFile('batch-reviews.jsonl', Array.from({ length: 4 }, (_, i) => JSON.stringify({ text: `batched review ${i}` })).join('\n'));
    const create = async (): Promise<SendItemsResult> => {
      const row = await batchesRow();
      return await answering(
        api,
        [
          { title: /^Create a batch from which file/, answer: { openFile: file } },
          { title: /^Name of the new batch/, answer: { input: 'Reviews, first batch' } },
        ],
        () => vscode.commands.executeCommand<SendItemsResult>('toloka.apps.createBatch', row),
      );
    };
    const first = await create();
    assert.equal(first.sent, 4);
    assert.equal(batches().length, 1);
    const batchId = batches()[0]?.api.id ?? '';
    assert.equal(first.batchId, batchId);
    assert.equal(batches()[0]?.api.name, 'Reviews, first batch');
    assert.deepEqual(itemsOf(batchId).map((i) => [i.api.input_data['text'], i.api.status]), [0, 1, 2, 3].map((i) => [`batched review ${i}`, 'NEW']));

    const again = await create();
    assert.equal(again.sent, 0, 'a rerun of the same file adds nothing twice');
    assert.equal(again.resumed, 4);
    assert.equal(again.batchId, batchId, 'the rerun goes on in the same batch');
    assert.equal(batches().length, 1, 'no second batch');
    assert.equal(itemsOf(batchId).length, 4);

    const row = await child(await batchesRow(), 'appBatch', (b) => b.batch.id === batchId);
    const item = api.explorer.provider.getTreeItem(row);
    assert.equal(item.contextValue, 'toloka.appBatch.new');
    assert.match(String(item.description), /^new · 4 item\(s\)/);

    // Starting pays: it asks, and a declined confirmation leaves the batch as it was.
    await answering(api, [{ title: /^Start batch "Reviews, first batch" \(4 items\)/, answer: { confirm: false } }], () => vscode.commands.executeCommand('toloka.apps.startBatch', row));
    assert.equal(batches()[0]?.api.started_at, null);
    assert.ok(itemsOf(batchId).every((i) => i.api.status === 'NEW'), 'nothing is labeled before Start');
    await answering(api, [{ title: /^Start batch "Reviews, first batch"/, answer: { confirm: true } }], () => vscode.commands.executeCommand('toloka.apps.startBatch', row));
    assert.ok(batches()[0]?.api.started_at, 'the sandbox records the start');
    await eventually('the batch items to be labeled', () => itemsOf(batchId).every((i) => i.api.status === 'COMPLETED'));
    api.explorer.model.refresh();
    const done = await child(await batchesRow(), 'appBatch', (b) => b.batch.id === batchId);
    assert.equal(api.explorer.provider.getTreeItem(done).contextValue, 'toloka.appBatch.completed');
    assert.match(String(api.explorer.provider.getTreeItem(done).description), /^completed · 4 item\(s\), 4 done/);
  });

  it('stops a processing batch from its row (after asking), its items waiting unlabeled, resumes it to the end, then renames and archives it', async () => {
    const client = new TolokaClient({ baseUrl: sandbox.apiRoot, credential: 'seed' });
    const created = await client.apps.createBatch(appProjectId, { name: 'Stop me', items: Array.from({ length: 3 }, (_, i) => ({ text: `slow review ${i}` })) });
    // Labeling takes an hour until the batch is resumed: nothing finishes on its own meanwhile.
    sandbox.tolokers.options = { ...sandbox.tolokers.options, appItemMs: 3_600_000 };
    await client.apps.startBatch(appProjectId, created.id);
    await eventually('the items to be taken for labeling', () => itemsOf(created.id).every((i) => i.api.status === 'PROCESSING'));
    const row = async (contextValue: string) =>
      await eventually(`the batch row to be ${contextValue}`, async () => {
        api.explorer.model.refresh();
        const r = await child(await batchesRow(), 'appBatch', (b) => b.batch.id === created.id);
        return api.explorer.provider.getTreeItem(r).contextValue === contextValue ? r : undefined;
      });
    const processing = await row('toloka.appBatch.processing');

    await answering(api, [{ title: /^Stop batch "Stop me"\?$/, answer: { confirm: false } }], () => vscode.commands.executeCommand('toloka.apps.stopBatch', processing));
    assert.ok(itemsOf(created.id).every((i) => i.api.status === 'PROCESSING'), 'declined: the batch goes on');
    await answering(api, [{ title: /^Stop batch "Stop me"\?$/, answer: { confirm: true } }], async (p) => {
      await vscode.commands.executeCommand('toloka.apps.stopBatch', processing);
      assert.ok(p.shown.some((m) => m.kind === 'info' && /^Batch "Stop me" stopped: it is stopped now\.$/.test(m.text)), JSON.stringify(p.shown));
    });
    const stopped = await row('toloka.appBatch.stopped');
    assert.match(String(api.explorer.provider.getTreeItem(stopped).description), /^stopped · 3 item\(s\)/);
    assert.ok(itemsOf(created.id).every((i) => i.api.status === 'STOPPED'));
    // Fast labeling now, yet a stopped batch's items are not processed.
    sandbox.tolokers.options = { ...sandbox.tolokers.options, appItemMs: 1 };
    for (let k = 0; k < 3; k++) sandbox.tolokers.tick();
    assert.ok(itemsOf(created.id).every((i) => i.api.status === 'STOPPED'), 'nothing labeled while stopped');
    const refused = await answering(api, [], (p) => vscode.commands.executeCommand('toloka.apps.stopBatch', stopped).then(() => p.errors()));
    assert.ok(refused.some((e) => /only a processing batch can be stopped/.test(e)), JSON.stringify(refused));

    await answering(api, [{ title: /^Resume batch "Stop me"\?$/, answer: { confirm: true } }], () => vscode.commands.executeCommand('toloka.apps.resumeBatch', stopped));
    await eventually('the resumed batch to be labeled', () => itemsOf(created.id).every((i) => i.api.status === 'COMPLETED'));
    const completed = await row('toloka.appBatch.completed');

    await answering(
      api,
      [
        { title: /its name$/, answer: { input: 'Stopped once' } },
        { title: /its priority/, answer: { pick: 'TWO' } },
      ],
      () => vscode.commands.executeCommand('toloka.apps.editBatch', completed),
    );
    assert.deepEqual([sandbox.state.appBatches.get(created.id)?.api.name, sandbox.state.appBatches.get(created.id)?.api.priority_order], ['Stopped once', 'TWO']);
    const renamed = await row('toloka.appBatch.completed');
    await answering(api, [{ title: /^Archive batch "Stopped once"\?$/, answer: { confirm: true } }], () => vscode.commands.executeCommand('toloka.apps.archiveBatch', renamed));
    const archived = await row('toloka.appBatch.archive');
    await answering(api, [], () => vscode.commands.executeCommand('toloka.apps.unarchiveBatch', archived));
    await row('toloka.appBatch.completed');
  });
});
