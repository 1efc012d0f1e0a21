import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Sandbox } from '../../src/sandbox/server';
import type { TolokaTestApi } from '../../src/testSeam';
import { eventually, setConfig, withSignInSandbox } from './extension';
import { answering } from './prompter';

/**
 * Every string reachable from `root` through data: own properties (enumerable or not, symbols
 * too), array, Map and Set entries. What a JSON walk by another extension, with full
 * reflection, could find. Getters are not called: they run code (a zod schema's lazy getters
 * rebuild it), and what they compute is not stored data.
 */
function reachableStrings(root: unknown, limit = 500_000): { strings: Set<string>; visited: number } {
  const strings = new Set<string>();
  const seen = new Set<object>();
  const queue: unknown[] = [root];
  while (queue.length > 0 && seen.size < limit) {
    const v = queue.pop();
    if (typeof v === 'string') {
      strings.add(v);
      continue;
    }
    if ((typeof v !== 'object' && typeof v !== 'function') || v === null || seen.has(v)) continue;
    seen.add(v);
    if (v instanceof Map) for (const [k, x] of v) queue.push(k, x);
    if (v instanceof Set) for (const x of v) queue.push(x);
    if (ArrayBuffer.isView(v)) continue;
    for (const key of Reflect.ownKeys(v)) {
      if (typeof key === 'string') strings.add(key);
      const d = Object.getOwnPropertyDescriptor(v, key);
      if (d && 'value' in d) queue.push(d.value);
    }
    const proto: unknown = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== Function.prototype) queue.push(proto);
  }
  return { strings, visited: seen.size };
}


describe('Security: secrets, exports and commands that ask', function () {
  this.timeout(60_000);
  const key = 'Sgk7Qm2vX9pT4rW1eZ8yU3iO.5aD6fG0hJ.secret-api-key-not-to-leak';
  let sandbox: Sandbox;
  let api: TolokaTestApi;

  const signIn = (credential: string) =>
    answering(api, [{ title: /Sign in to Toloka custom/, answer: { input: credential } }, { title: /kind of credential/, answer: { pick: 'ApiKey' } }], () => vscode.commands.executeCommand<boolean | undefined>('toloka.signIn'));

  withSignInSandbox(key, (t) => {
    ({ sandbox, api } = t);
  });

  it('lets no signed-in key be reached from the exports, nor from the connection they hand out', async () => {
    assert.equal(await signIn(key), true);
    const connection = await eventually('a signed-in connection', () => api.connection());
    // The client works with the key (so it is in there somewhere) ...
    assert.equal((await connection.client.requester.get()).id, sandbox.state.requester.id);
    await connection.client.projects.page();
    // ... yet reflection over everything reachable never meets it.
    const fromExports = reachableStrings(api);
    const fromConnection = reachableStrings(connection);
    for (const [what, found] of [['the exports', fromExports], ['the connection', fromConnection]] as const) {
      assert.ok(found.visited > 20, `the walk of ${what} went somewhere (${found.visited} objects)`);
      const leaks = [...found.strings].filter((s) => s.includes(key) || s.includes(key.split('.')[0] ?? key));
      assert.deepEqual(leaks, [], `the key is reachable from ${what}`);
    }
  });

  it('stores nothing when sign-in is cancelled, and takes no credential as an argument', async () => {
    await vscode.commands.executeCommand('toloka.signOut');
    await answering(api, [{ title: /Sign in to Toloka custom/, answer: 'cancel' }], () => vscode.commands.executeCommand('toloka.signIn', { credential: key, scheme: 'ApiKey' }));
    await assert.rejects(api.connection(), /Not signed in to Toloka custom/, 'a credential handed to the command is ignored, and the cancelled sign-in stored nothing');
  });

  it('refuses to sign in to a custom environment without an address, before asking for a token', async () => {
    await setConfig({ customUrl: '' });
    try {
      const errors = await answering(api, [], async (p) => {
        assert.equal(await vscode.commands.executeCommand('toloka.signIn'), undefined);
        return p.errors();
      });
      assert.match(errors.join('\n'), /Sign-in failed: the custom environment has no address: set toloka\.customUrl/);
    } finally {
      await setConfig({ customUrl: sandbox.origin });
    }
  });

  it("keeps a repository's settings from redirecting the key, and sends it to another address only with consent", async () => {
    assert.equal(await signIn(key), true);
    // A server that records what it is sent, standing in for someone else's host.
    const seen: string[] = [];
    const other = http.createServer((req, res) => {
      seen.push(req.headers.authorization ?? '');
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ id: 'someone-else', balance: 0 }));
    });
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    const otherOrigin = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
    const workspaceSettings = path.join(root, '.vscode', 'settings.json');
    const before = fs.existsSync(workspaceSettings) ? fs.readFileSync(workspaceSettings, 'utf8') : undefined;
    try {
      // A cloned repository's .vscode/settings.json names another server: it is not honoured.
      fs.mkdirSync(path.dirname(workspaceSettings), { recursive: true });
      fs.writeFileSync(workspaceSettings, JSON.stringify({ 'toloka.environment': 'custom', 'toloka.customUrl': otherOrigin }));
      await eventually('the workspace settings to be read', () => vscode.workspace.getConfiguration('toloka').inspect('environment')?.workspaceValue === 'custom');
      assert.equal(api.settings().customUrl, sandbox.origin, 'the workspace value of an application-scoped setting is ignored');
      await (await api.connection()).client.requester.get();
      assert.deepEqual(seen, [], 'nothing went to the other server');

      // The user points the custom URL elsewhere: the key is not sent there unless they agree.
      await setConfig({ customUrl: otherOrigin });
      await answering(api, [{ title: /Send your Toloka custom API key to http:\/\/127\.0\.0\.1:\d+\/api\?/, answer: { confirm: false } }], async () => {
        await assert.rejects(api.connection(), /was entered for http:\/\/127\.0\.0\.1:\d+\/api, not http:\/\/127\.0\.0\.1:\d+\/api, and was not sent there/);
      });
      await assert.rejects(api.connection(), /was not sent there/, 'a refusal is remembered, not asked again');
      assert.deepEqual(seen, [], 'declined: nothing sent');
      // Signing in again clears the refusal; agreeing sends it, and from then on it belongs there.
      await setConfig({ customUrl: sandbox.origin });
      assert.equal(await signIn(key), true);
      await setConfig({ customUrl: otherOrigin });
      await answering(api, [{ title: /Send your Toloka custom API key/, answer: { confirm: true } }], async () => {
        await (await api.connection()).client.requester.get();
      });
      assert.deepEqual(seen, [`ApiKey ${key}`]);
    } finally {
      if (before === undefined) fs.rmSync(workspaceSettings, { force: true });
      else fs.writeFileSync(workspaceSettings, before);
      await setConfig({ customUrl: sandbox.origin });
      await new Promise<void>((r) => other.close(() => r()));
    }
  });

  it('reports a failed command once, in words, with Show Logs, and logs its run', async () => {
    const shown = await answering(api, [], async (p) => {
      assert.equal(await vscode.commands.executeCommand('toloka.pool.open'), undefined);
      return p.shown;
    });
    assert.equal(shown.length, 1, JSON.stringify(shown));
    assert.equal(shown[0]?.kind, 'error');
    assert.equal(shown[0]?.text, 'Could not open the pool: choose a pool or training pool in the Toloka explorer to open it');
    assert.deepEqual(shown[0]?.actions, ['Show Logs']);
    assert.doesNotMatch(shown[0]?.text ?? '', /\{\}|\[object Object\]/);
    api.log.info('flush marker after a failed command');
    const log = await eventually('the log to show the run', () => {
      const f = path.join(api.logUri.fsPath, 'Toloka.log');
      const text = fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '';
      return text.includes('flush marker after a failed command') ? text : undefined;
    });
    assert.match(log, /toloka\.pool\.open#\d+ started/);
    assert.match(log, /toloka\.pool\.open#\d+ failed after \d+ ms: choose a pool/);
  });
});
