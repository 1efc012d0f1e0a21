import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import { startSandbox, type Sandbox } from '../../src/sandbox/server';
import { TolokaClient } from '../../src/toloka/client';
import type { TolokaTestApi } from '../../src/testSeam';
import { activateExtension, eventually, poolRow, resetEnvironment, useSandbox } from './extension';
import { answering } from './prompter';

/**
 * A proxy in front of the sandbox that can refuse reading one pool back: what a flaky network
 * does to the reload after an update.
 */
async function startProxy(target: string): Promise<{ origin: string; failReads: (poolId: string | undefined) => void; close: () => Promise<void> }> {
  let failing: string | undefined;
  const server = http.createServer((req, res) => {
    if (failing && req.method === 'GET' && req.url?.startsWith(`/api/v1/pools/${failing}`)) {
      res.writeHead(403, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ code: 'ACCESS_DENIED', message: 'refused by the test proxy' }));
      return;
    }
    const upstream = http.request(`${target}${req.url ?? '/'}`, { method: req.method, headers: { ...req.headers, host: new URL(target).host } }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    req.pipe(upstream);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    failReads: (poolId) => (failing = poolId),
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}

describe('Pool documents (Open Pool as JSON)', function () {
  this.timeout(60_000);
  let sandbox: Sandbox;
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  let api: TolokaTestApi;

  before(async () => {
    sandbox = await startSandbox({ tolokers: { assignmentsPerSecond: 0 } });
    proxy = await startProxy(sandbox.origin);
    api = await activateExtension();
    await useSandbox(api, proxy.origin);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await resetEnvironment();
    await proxy.close();
    await sandbox.stop();
  });

  it('saves an update that Toloka took even when reading the pool back fails, and says so instead of "Not saved"', async () => {
    const client = new TolokaClient({ baseUrl: sandbox.apiRoot, credential: 't' });
    const project = await client.projects.create({ public_name: 'Docs', task_spec: { input_spec: { text: { type: 'string' } }, output_spec: { label: { type: 'string', allowed_values: ['a', 'b'] } } } });
    const pool = await client.pools.create({ project_id: project.id ?? '', private_name: 'Before', will_expire: '2099-01-01T00:00:00', reward_per_assignment: 0.01, assignment_max_duration_seconds: 60, defaults: { default_overlap_for_new_task_suites: 1 } });
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('toloka.pool.openAsJson', poolRow(pool));
    const doc = editor.document;
    assert.match(doc.getText(), /"private_name": "Before"/);
    const at = doc.getText().indexOf('"Before"');
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(at), doc.positionAt(at + '"Before"'.length)), '"After"');
    await vscode.workspace.applyEdit(edit);
    proxy.failReads(pool.id);
    try {
      const shown = await answering(api, [{ title: /^Update pool \d+ on Toloka with your change\?/, answer: { confirm: true } }], async (p) => {
        assert.equal(await doc.save(), true, 'the document is saved');
        return p.shown.map((m) => `${m.kind}: ${m.text}`);
      });
      assert.equal(sandbox.state.pools.get(pool.id ?? '')?.api.private_name, 'After', 'the update reached Toloka');
      assert.match(shown.join('\n'), new RegExp(`warning: Pool ${pool.id ?? ''} was updated on Toloka, but the explorer could not reload it`));
      assert.ok(!shown.some((s) => /Not saved/.test(s)));
      assert.equal(doc.isDirty, false);
    } finally {
      proxy.failReads(undefined);
    }
    // Declined: nothing is sent, and the save says why.
    const again = new vscode.WorkspaceEdit();
    const at2 = doc.getText().indexOf('"After"');
    again.replace(doc.uri, new vscode.Range(doc.positionAt(at2), doc.positionAt(at2 + '"After"'.length)), '"Declined"');
    await vscode.workspace.applyEdit(again);
    await answering(api, [{ title: /^Update pool/, answer: { confirm: false } }], async () => {
      assert.equal(await doc.save(), false, 'not saved');
    });
    await eventually('the sandbox to still have the old name', () => sandbox.state.pools.get(pool.id ?? '')?.api.private_name === 'After');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it("keeps the same pool id on two servers apart: each opens its own pool, and a document is never saved to the other", async () => {
    const other = await startSandbox({ tolokers: { assignmentsPerSecond: 0 } });
    try {
      const spec = { input_spec: { text: { type: 'string' as const } }, output_spec: { label: { type: 'string' as const, allowed_values: ['a', 'b'] } } };
      const make = async (s: Sandbox, name: string) => {
        const c = new TolokaClient({ baseUrl: s.apiRoot, credential: 't' });
        const project = await c.projects.create({ public_name: 'Twins', task_spec: spec });
        // New sandboxes count ids alike: create until the other one reaches the same pool id.
        return c.pools.create({ project_id: project.id ?? '', private_name: name, will_expire: '2099-01-01T00:00:00', reward_per_assignment: 0.01, assignment_max_duration_seconds: 60, defaults: { default_overlap_for_new_task_suites: 1 } });
      };
      const mine = await make(sandbox, 'Mine');
      let theirs = await make(other, 'Theirs');
      while (Number(theirs.id) < Number(mine.id)) theirs = await make(other, 'Theirs');
      assert.equal(theirs.id, mine.id, 'the same id on both servers');

      const first = await vscode.commands.executeCommand<vscode.TextEditor>('toloka.pool.openAsJson', poolRow(mine));
      assert.match(first.document.getText(), /"private_name": "Mine"/);
      await useSandbox(api, other.origin);
      const second = await vscode.commands.executeCommand<vscode.TextEditor>('toloka.pool.openAsJson', poolRow(theirs));
      assert.match(second.document.getText(), /"private_name": "Theirs"/, "the other server's pool, not the document read before");
      assert.notEqual(second.document.uri.toString(), first.document.uri.toString());

      // The first document, edited and saved while the extension talks to the other server: refused.
      const doc = first.document;
      const at = doc.getText().indexOf('"Mine"');
      const edit = new vscode.WorkspaceEdit();
      edit.replace(doc.uri, new vscode.Range(doc.positionAt(at), doc.positionAt(at + '"Mine"'.length)), '"Moved"');
      await vscode.workspace.applyEdit(edit);
      const saved = await doc.save().then((ok) => ok, (err: unknown) => `threw: ${String(err)}`);
      assert.equal(saved, false, 'not saved to the other server');
      assert.equal(other.state.pools.get(theirs.id ?? '')?.api.private_name, 'Theirs');
      assert.equal(sandbox.state.pools.get(mine.id ?? '')?.api.private_name, 'Mine');
      // Put the text back, so the document is not left changed.
      const back = new vscode.WorkspaceEdit();
      const at3 = doc.getText().indexOf('"Moved"');
      back.replace(doc.uri, new vscode.Range(doc.positionAt(at3), doc.positionAt(at3 + '"Moved"'.length)), '"Mine"');
      await vscode.workspace.applyEdit(back);
    } finally {
      await useSandbox(api, proxy.origin);
      await other.stop();
    }
  });
});
