import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { activateExtension, eventually } from './extension';
import { answering } from './prompter';

const project = {
  public_name: 'Made in the extension host',
  task_spec: { input_spec: { text: { type: 'string' as const } }, output_spec: { label: { type: 'string' as const, allowed_values: ['a', 'b'] } } },
};

/** Fields of /proc/<pid>/stat after the command name: [state, ppid, …]. */
function procStat(pid: number): string[] {
  const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return text.slice(text.lastIndexOf(')') + 2).split(' ');
}

/** CPU time a process has used, in clock ticks (user + system). */
function cpuTicks(pid: number): number {
  const f = procStat(pid);
  return Number(f[11]) + Number(f[12]);
}

/** Socket inodes listening on a TCP port (IPv4 and IPv6). */
function listeningInodes(port: number): string[] {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  const out: string[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!fs.existsSync(table)) continue;
    for (const line of fs.readFileSync(table, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[1]?.endsWith(`:${hex}`) && cols[3] === '0A' && cols[9]) out.push(cols[9]);
    }
  }
  return out;
}

/** Socket inodes a process holds open. */
function socketInodes(pid: number): Set<string> {
  const out = new Set<string>();
  for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m?.[1]) out.add(m[1]);
    } catch {
      // closed meanwhile
    }
  }
  return out;
}

describe('Environments and the built-in sandbox', () => {
  afterEach(async () => {
    const c = vscode.workspace.getConfiguration('toloka');
    for (const key of ['environment', 'customUrl', 'requestTimeoutSeconds']) await c.update(key, undefined, vscode.ConfigurationTarget.Global);
    // customUrl is a user setting only (application scope): nothing to clear in the workspace.
    for (const key of ['environment', 'requestTimeoutSeconds']) await c.update(key, undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('runs the local sandbox in a child process of its own, keeping its data in global storage', async function () {
    this.timeout(90_000);
    if (process.platform !== 'linux') this.skip();
    const api = await activateExtension();
    assert.equal(vscode.workspace.getConfiguration('toloka').get('environment'), 'local', 'local is the default');
    const url = await vscode.commands.executeCommand<string>('toloka.startLocalSandbox');
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/api$/);
    const running = await api.localSandbox.current();
    assert.ok(running, 'the sandbox runs');
    assert.notEqual(running.pid, process.pid);
    assert.equal(Number(procStat(running.pid)[1]), process.pid, "the sandbox's parent is the extension host");
    const port = Number(new URL(url).port);
    const listening = listeningInodes(port);
    assert.ok(listening.length > 0, `something listens on ${port}`);
    const child = socketInodes(running.pid);
    const host = socketInodes(process.pid);
    assert.ok(listening.every((i) => child.has(i)), 'the sandbox process holds the listening socket');
    assert.ok(listening.every((i) => !host.has(i)), 'the extension host holds no listening socket for it');

    const first = await api.connection();
    assert.equal(first.environment, 'local');
    assert.equal(first.apiRoot, url);
    const created = await first.client.projects.create(project);

    await vscode.commands.executeCommand('toloka.stopLocalSandbox');
    await eventually('the sandbox process to end', () => !fs.existsSync(`/proc/${running.pid}`) || procStat(running.pid)[0] === 'Z');
    assert.ok(api.localSandbox.dataFile.includes('globalStorage'), api.localSandbox.dataFile);
    assert.ok(fs.existsSync(api.localSandbox.dataFile), 'the state was saved on stop');

    // Started again on demand, with the same data.
    const second = await api.connection();
    assert.equal((await second.client.projects.get(created.id ?? '')).public_name, project.public_name);

    // Nothing open, nothing running: the process does no work at all. Measured over 10 s.
    const again = await api.localSandbox.current();
    assert.ok(again);
    const before = cpuTicks(again.pid);
    const windowStart = Date.now();
    await new Promise((r) => setTimeout(r, 10_000));
    const used = cpuTicks(again.pid) - before;
    api.log.info(`idle sandbox process ${again.pid}: ${used} clock tick(s) of CPU in ${Date.now() - windowStart} ms`);
    assert.ok(used <= 2, `an idle sandbox used ${used} clock ticks (1/100 s each) of CPU in 10 s`);
  });

  it('empties the built-in sandbox with "Reset Local Sandbox…" only after asking, and starts it again empty', async function () {
    this.timeout(90_000);
    const api = await activateExtension();
    const first = await api.connection();
    assert.equal(first.environment, 'local');
    const created = await first.client.projects.create({ ...project, public_name: 'To be reset' });
    // Declined: nothing goes.
    await answering(api, [{ title: /^Reset the built-in local sandbox\?$/, answer: { confirm: false } }], () => vscode.commands.executeCommand('toloka.resetLocalSandbox'));
    assert.equal((await (await api.connection()).client.projects.get(created.id ?? '')).public_name, 'To be reset');
    const file = await answering(api, [{ title: /^Reset the built-in local sandbox\?$/, answer: { confirm: true } }], () => vscode.commands.executeCommand<string>('toloka.resetLocalSandbox'));
    assert.equal(file, api.localSandbox.dataFile);
    assert.equal(fs.existsSync(file), false, 'the data file is gone');
    const again = await api.connection();
    await assert.rejects(again.client.projects.get(created.id ?? ''), /404|does not exist|not found/i);
    const left = [];
    for await (const p of again.client.projects.all({})) left.push(p);
    assert.deepEqual(left, []);
  });

  it('switches environments with "Toloka: Select Environment…" and asks for a sign-in where one is needed', async () => {
    const api = await activateExtension();
    await answering(api, [{ title: /Toloka environment/, answer: { pick: 'sandbox' } }], () => vscode.commands.executeCommand('toloka.selectEnvironment'));
    assert.equal(vscode.workspace.getConfiguration('toloka').get('environment'), 'sandbox');
    await assert.rejects(api.connection(), /Not signed in to Toloka sandbox: run "Toloka: Sign In"/);
    await vscode.commands.executeCommand('toloka.useLocalSandbox');
    assert.equal((await api.connection()).environment, 'local');
  });

  it('switches the environment where it is set: a workspace value is changed, not shadowed', async () => {
    const api = await activateExtension();
    const c = vscode.workspace.getConfiguration('toloka');
    await c.update('environment', 'sandbox', vscode.ConfigurationTarget.Workspace);
    const told = await answering(api, [{ title: /Toloka environment/, answer: { pick: 'local' } }], async (p) => {
      await vscode.commands.executeCommand('toloka.selectEnvironment');
      return p.shown.map((m) => m.text);
    });
    assert.equal(vscode.workspace.getConfiguration('toloka').get('environment'), 'local', 'the environment in effect is the one picked');
    assert.equal(vscode.workspace.getConfiguration('toloka').inspect('environment')?.workspaceValue, 'local');
    assert.match(told.join('\n'), /in this workspace's settings/);
  });

  it('falls back on one invalid setting alone, keeping the others', async () => {
    const api = await activateExtension();
    const c = vscode.workspace.getConfiguration('toloka');
    await c.update('customUrl', 'http://127.0.0.1:8999', vscode.ConfigurationTarget.Global);
    await c.update('environment', 'custom', vscode.ConfigurationTarget.Global);
    await c.update('requestTimeoutSeconds', 0, vscode.ConfigurationTarget.Global);
    const s = api.settings();
    assert.equal(s.requestTimeoutSeconds, 60, 'the invalid timeout falls back to its default');
    assert.equal(s.environment, 'custom', 'the other settings keep their values');
    assert.equal(s.customUrl, 'http://127.0.0.1:8999');
  });

  it('gives concurrent first callers one connection, and forgets a failed one', async () => {
    const api = await activateExtension();
    await vscode.workspace.getConfiguration('toloka').update('environment', 'custom', vscode.ConfigurationTarget.Global);
    await assert.rejects(api.connection(), /Set toloka.customUrl/);
    await vscode.workspace.getConfiguration('toloka').update('customUrl', 'http://127.0.0.1:9', vscode.ConfigurationTarget.Global);
    await assert.rejects(api.connection(), /Not signed in to Toloka custom/, 'a failed attempt is not kept');
    await vscode.commands.executeCommand('toloka.useLocalSandbox');
    const [a, b] = await Promise.all([api.connection(), api.connection()]);
    assert.equal(a.client, b.client, 'one client for both');
  });
});
