import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { SendItemsResult } from '../../src/files/appItems';
import type { Sandbox } from '../../src/sandbox/server';
import { appProjectRow, eventually, withTestSandbox, workspaceFile } from './extension';
import type { TolokaTestApi } from '../../src/testSeam';
import { answering } from './prompter';

describe('App projects: send items and fetch results', function () {
  this.timeout(60_000);
  let sandbox: Sandbox;
  let appProjectId = '';
  let api: TolokaTestApi;
  /** Send Items on a file from the Explorer: the command asks which app project. */
  const send = (file: vscode.Uri) =>
    answering(api, [{ title: /Which app project/, answer: { pick: 'Reviews' } }], () => vscode.commands.executeCommand<SendItemsResult>('toloka.apps.sendItems', file));
  /** Fetch App Results on the app project's row. */
  const fetchResults = () => vscode.commands.executeCommand<{ fetched: number }>('toloka.apps.fetchResults', appProjectRow({ id: appProjectId, name: 'Reviews', app_id: 'text-classification' }));

  withTestSandbox({ tolokers: { appItemMs: 1 } }, async (t) => {
    ({ sandbox, api } = t);
    sandbox.tolokers.start();
    const { client } = t;
    appProjectId = (await client.apps.createProject({ app_id: 'text-classification', name: 'Reviews', parameters: { categories: ['positive', 'negative'] } })).id ?? '';
  });

  const finished = (): number => (sandbox.state.appItems.get(appProjectId) ?? []).filter((i) => i.api.status === 'COMPLETED').length;

  it('streams items in, and fetching twice appends only the newly finished ones', async () => {
    const first = workspaceFile('reviews.jsonl', Array.from({ length: 25 }, (_, i) => JSON.stringify({ text: `review ${i}` })).join('\n'));
    const sent = await send(first);
    assert.equal(sent.sent, 25);
    const again = await send(first);
    assert.equal(again.sent, 0, 'a rerun of the same file sends nothing twice');
    assert.equal(again.resumed, 25);
    await eventually('all 25 items to finish', () => finished() === 25);

    const root = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(root);
    const outFile = vscode.Uri.joinPath(root, 'results', `${appProjectId}.items.jsonl`);
    const r1 = await fetchResults();
    assert.equal(r1.fetched, 25);

    const second = workspaceFile('more.json', JSON.stringify(Array.from({ length: 5 }, (_, i) => ({ text: `more ${i}` }))));
    assert.equal((await send(second)).sent, 5);
    await eventually('all 30 items to finish', () => finished() === 30);
    const r2 = await fetchResults();
    assert.equal(r2.fetched, 5, 'only the newly finished items');

    const lines = fs.readFileSync(outFile.fsPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; status: string; output_data: { result: string } });
    assert.equal(lines.length, 30);
    assert.equal(new Set(lines.map((l) => l.id)).size, 30, 'no item twice');
    assert.ok(lines.every((l) => l.status === 'COMPLETED' && ['positive', 'negative'].includes(l.output_data.result)));
    assert.equal((await fetchResults()).fetched, 0);
  });

  it('refuses a file with an item that is not an object and sends nothing', async () => {
    const before = (sandbox.state.appItems.get(appProjectId) ?? []).length;
    const file = workspaceFile('bad-items.jsonl', '{"text": "ok"}\n["not", "an", "object"]\n');
    const errors = await answering(api, [{ title: /Which app project/, answer: { pick: 'Reviews' } }], async (p) => {
      assert.equal(await vscode.commands.executeCommand('toloka.apps.sendItems', file), undefined);
      return p.errors();
    });
    assert.match(errors.join('\n'), /nothing was sent: 1 item\(s\) are not JSON objects, first at line 2/);
    assert.equal((sandbox.state.appItems.get(appProjectId) ?? []).length, before);
  });
});
