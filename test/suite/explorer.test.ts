import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TolokaTestApi } from '../../src/testSeam';
import { startSandbox, type Sandbox } from '../../src/sandbox/server';
import { TolokaClient } from '../../src/toloka/client';
import type { Node } from '../../src/views/explorer/model';
import { activateExtension, eventually, setConfig, withSignInSandbox } from './extension';
import { answering } from './prompter';

const project = (name: string) => ({
  public_name: name,
  task_spec: { input_spec: { text: { type: 'string' as const } }, output_spec: { label: { type: 'string' as const, allowed_values: ['a', 'b'] } } },
});
const pool = (projectId: string, name: string) => ({
  project_id: projectId, private_name: name, will_expire: '2099-01-01T00:00:00', reward_per_assignment: 0.01,
  assignment_max_duration_seconds: 60, defaults: { default_overlap_for_new_task_suites: 1, default_overlap_for_new_tasks: 1 },
});


function label(node: Node): string {
  return node.kind === 'project' ? node.project.public_name : node.kind === 'pool' ? node.pool.private_name : node.kind;
}

describe('Explorer: projects, pools and operations against the sandbox', function () {
  this.timeout(60_000);
  let sandbox: Sandbox;
  let client: TolokaClient;
  let api: TolokaTestApi;
  let bigProjectId = '';
  const open: string[] = [];

  before(async () => {
    sandbox = await startSandbox({ tolokers: { assignmentsPerSecond: 0 } });
    client = new TolokaClient({ baseUrl: sandbox.apiRoot, credential: 'seed' });
    const big = await client.projects.create(project('Big project'));
    bigProjectId = big.id ?? '';
    await client.projects.create(project('Second project'));
    await client.projects.create(project('Third project'));
    for (let i = 0; i < 250; i++) await client.pools.create(pool(bigProjectId, `Pool ${String(i).padStart(3, '0')}`));
    const firstTwo = (await client.pools.page({ project_id: bigProjectId }, { limit: 3 })).items;
    for (const p of firstTwo) await client.tasks.createMany([{ pool_id: p.id ?? '', input_values: { text: 'hello' }, overlap: 1 }]);
    for (const p of firstTwo.slice(0, 2)) {
      const op = await client.pools.open(p.id ?? '');
      await client.operations.wait(op ?? '', { firstDelayMs: 5, intervalMs: 10 });
      open.push(p.id ?? '');
    }
    api = await activateExtension();
    await setConfig({ environment: 'local', 'local.url': sandbox.origin, 'explorer.pageSize': 50 });
    await eventually('the explorer to use the test sandbox', async () => (await api.connection()).apiRoot === sandbox.apiRoot);
  });

  after(async () => {
    await vscode.commands.executeCommand('toloka.clearFilter');
    await setConfig({ environment: undefined, 'local.url': undefined, customUrl: undefined, 'explorer.pageSize': undefined });
    await sandbox.stop();
  });

  const roots = () => api.explorer.provider.getChildren();
  const bigProject = async (): Promise<Node> => {
    const node = (await roots()).find((n) => n.kind === 'project' && n.project.id === bigProjectId);
    assert.ok(node, 'the big project is listed');
    return node;
  };
  const pools = async (): Promise<Array<Extract<Node, { kind: 'pool' }>>> =>
    (await api.explorer.provider.getChildren(await bigProject())).filter((n): n is Extract<Node, { kind: 'pool' }> => n.kind === 'pool');

  it('lists the projects with an App projects section, with stable ids', async () => {
    api.explorer.model.refresh();
    const rows = await roots();
    assert.deepEqual(rows.map(label), ['Big project', 'Second project', 'Third project', 'appProjects', 'skills']);
    const ids = rows.map((r) => api.explorer.provider.getTreeItem(r).id);
    api.explorer.model.refresh();
    assert.deepEqual((await roots()).map((r) => api.explorer.provider.getTreeItem(r).id), ids, 'ids survive a refresh');
  });

  it('pages 250 pools 50 at a time with "Load more…"', async () => {
    api.explorer.model.refresh();
    let rows = await api.explorer.provider.getChildren(await bigProject());
    assert.equal(rows.filter((r) => r.kind === 'pool').length, 50);
    assert.equal(rows[0]?.kind, 'trainings');
    for (let pages = 1; rows.at(-1)?.kind === 'loadMore'; pages++) {
      assert.ok(pages < 10, 'paging ends');
      const more = rows.at(-1);
      assert.equal(api.explorer.provider.getTreeItem(more as Node).label, 'Load more…');
      await vscode.commands.executeCommand('toloka.loadMore', more);
      rows = await api.explorer.provider.getChildren(await bigProject());
    }
    const all = rows.filter((r): r is Extract<Node, { kind: 'pool' }> => r.kind === 'pool');
    assert.equal(all.length, 250);
    assert.equal(new Set(all.map((p) => p.pool.id)).size, 250);
  });

  it('filters pools by status and by name', async () => {
    try {
      await answering(api, [{ title: /statuses/, answer: { pickMany: ['OPEN'] } }, { title: /name or id/, answer: { input: '' } }], () => vscode.commands.executeCommand('toloka.filter'));
      assert.deepEqual((await pools()).map((p) => p.pool.id).sort(), [...open].sort());
      // Matches lie beyond the first pages of the listing: the filter reads on until it has them.
      await answering(api, [{ title: /statuses/, answer: { pickMany: [] } }, { title: /name or id/, answer: { input: 'pool 24' } }], () => vscode.commands.executeCommand('toloka.filter'));
      assert.deepEqual((await pools()).map((p) => p.pool.private_name), ['Pool 240', 'Pool 241', 'Pool 242', 'Pool 243', 'Pool 244', 'Pool 245', 'Pool 246', 'Pool 247', 'Pool 248', 'Pool 249']);
    } finally {
      await vscode.commands.executeCommand('toloka.clearFilter');
    }
    assert.equal((await pools()).length, 50);
  });

  it("lists the account's skills, each with how many Tolokers have it", async () => {
    const skill = await client.skills.create({ name: 'Explorer skill', hidden: false });
    for (const [i, w] of ['w-a', 'w-b', 'w-c'].entries()) await client.userSkills.set({ skill_id: skill.id ?? '', user_id: sandbox.tolokers.workers[i]?.id ?? w, value: 50 + i * 10 });
    await vscode.commands.executeCommand('toloka.clearFilter');
    api.explorer.model.refresh();
    const section = (await roots()).find((n) => n.kind === 'skills');
    assert.ok(section, 'a Skills section');
    const row = (await api.explorer.provider.getChildren(section)).find((n) => n.kind === 'skill' && n.skill.id === skill.id);
    assert.ok(row, 'the skill is listed');
    const item = api.explorer.provider.getTreeItem(row);
    assert.equal(item.label, 'Explorer skill');
    assert.equal(item.contextValue, 'toloka.skill');
    const details = (await api.explorer.provider.getChildren(row)).map((d) => (d.kind === 'detail' ? `${d.label}=${d.value}` : d.kind));
    assert.deepEqual(details, ['Tolokers=3', 'mean value=60']);
  });

  it('shows a pool\'s status, overlap, reward and counts as child rows', async () => {
    api.explorer.model.refresh();
    const node = (await pools()).find((p) => p.pool.id === open[0]);
    assert.ok(node);
    const details = await api.explorer.provider.getChildren(node);
    const text = details.map((d) => (d.kind === 'detail' ? `${d.label.trim()}=${d.value}` : d.kind));
    assert.ok(text.includes('Status=OPEN'), text.join(', '));
    assert.ok(text.includes('Tasks=1'), text.join(', '));
    assert.ok(text.includes('Reward=$0.01 per task suite'), text.join(', '));
    const item = api.explorer.provider.getTreeItem(node);
    assert.equal(item.contextValue, 'toloka.pool.open');
  });

  it('closes, opens, clones and archives a pool from its context menu, the row following', async () => {
    api.explorer.model.refresh();
    const id = open[1] ?? '';
    const find = async () => (await pools()).find((p) => p.pool.id === id);
    await vscode.commands.executeCommand('toloka.pool.close', await find());
    assert.equal((await find())?.pool.status, 'CLOSED');
    assert.equal(api.explorer.provider.getTreeItem((await find()) as Node).contextValue, 'toloka.pool.closed');
    await vscode.commands.executeCommand('toloka.pool.open', await find());
    assert.equal((await find())?.pool.status, 'OPEN');
    await vscode.commands.executeCommand('toloka.pool.close', await find());
    const before = (await client.pools.page({ project_id: bigProjectId }, { limit: 300 })).items.length;
    await vscode.commands.executeCommand('toloka.pool.clone', await find());
    assert.equal((await client.pools.page({ project_id: bigProjectId }, { limit: 300 })).items.length, before + 1);
    // Archiving always asks: a declined confirmation leaves the pool as it was.
    const row = await find();
    await answering(api, [{ title: /^Archive pool/, answer: { confirm: false } }], () => vscode.commands.executeCommand('toloka.pool.archive', row));
    assert.equal((await client.pools.get(id)).status, 'CLOSED');
    await answering(api, [{ title: /^Archive pool/, answer: { confirm: true } }], () => vscode.commands.executeCommand('toloka.pool.archive', row));
    assert.equal((await client.pools.get(id)).status, 'ARCHIVED');
    assert.equal((await find())?.pool.status, 'ARCHIVED');
  });

  it('finds a pool by id beyond the loaded pages and opens it as JSON', async () => {
    api.explorer.model.refresh();
    const last = (await client.pools.page({ project_id: bigProjectId }, { limit: 300 })).items.at(-1);
    assert.ok(last?.id);
    await answering(api, [{ title: /Find pool/, answer: { input: last.id } }], () => vscode.commands.executeCommand('toloka.findPool'));
    const editor = await eventually('the pool document', () => vscode.window.activeTextEditor?.document.uri.path.endsWith(`/${last.id}.pool.json`) ? vscode.window.activeTextEditor : undefined);
    const shown = JSON.parse(editor.document.getText()) as { id: string; private_name: string };
    assert.equal(shown.id, last.id);
    assert.equal(shown.private_name, last.private_name);
    assert.equal(editor.document.languageId, 'json');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('follows an asynchronous operation in the Operations view until SUCCESS, then stops polling', async () => {
    const target = (await pools())[5];
    const op = await client.tasks.createAsync([{ pool_id: target?.pool.id ?? '', input_values: { text: 'x' }, overlap: 1 }]);
    await vscode.commands.executeCommand('toloka.operations.refresh');
    const seen = await eventually('the operation to succeed in the view', () => api.operations.items.find((o) => o.id === op.id && o.status === 'SUCCESS'));
    assert.equal(seen.type, 'TASK.BATCH_CREATE');
    await eventually('polling to stop', () => !api.operations.polling);
  });

  it('shows an error state, not a spinner or {}, when Toloka cannot be reached', async () => {
    await setConfig({ 'local.url': 'http://127.0.0.1:9' });
    await eventually('the connection to change', async () => (await api.connection()).apiRoot === 'http://127.0.0.1:9/api');
    const rows = await roots();
    assert.deepEqual(rows, []);
    assert.equal(api.explorer.model.rootState(), 'error');
    assert.match(api.explorer.model.rootError() ?? '', /Toloka did not answer \(ECONNREFUSED, GET \/v1\/projects\)/);
    await setConfig({ 'local.url': sandbox.origin });
  });
});

describe('Sign-in', function () {
  this.timeout(60_000);
  const token = 'good-secret-token-7f3a9c';
  let sandbox: Sandbox;
  let api: TolokaTestApi;

  withSignInSandbox(token, (t) => {
    ({ sandbox, api } = t);
  });

  const signIn = (credential: string, scheme: 'ApiKey' | 'OAuth') =>
    answering(api, [{ title: /Sign in to Toloka custom/, answer: { input: credential } }, { title: /kind of credential/, answer: { pick: scheme } }], async (p) => ({
      result: await vscode.commands.executeCommand<boolean | undefined>('toloka.signIn'),
      errors: p.errors(),
    }));

  it('refuses a bad token and stores nothing, accepts a good one, and never writes the token anywhere', async () => {
    const refused = await signIn('not-the-token', 'OAuth');
    assert.equal(refused.result, undefined);
    assert.match(refused.errors.join('\n'), /refused this token\. Nothing was stored/);
    await assert.rejects(api.connection(), /Not signed in to Toloka custom/);

    assert.equal((await signIn(token, 'ApiKey')).result, true);
    const { client } = await eventually('a signed-in connection', () => api.connection());
    assert.equal((await client.requester.get()).id, sandbox.state.requester.id);
    api.explorer.model.refresh();
    await api.explorer.provider.getChildren();
    assert.equal(api.explorer.model.rootState(), 'empty');

    api.log.info('flush marker after sign-in');
    const logFile = await eventually('the log to be written', () => {
      const f = path.join(api.logUri.fsPath, 'Toloka.log');
      return fs.existsSync(f) && fs.readFileSync(f, 'utf8').includes('flush marker after sign-in') ? f : undefined;
    });
    const places = [logFile];
    const userDir = path.resolve(path.dirname(api.localSandbox.dataFile), '..', '..', '..');
    const settings = path.join(userDir, 'settings.json');
    if (fs.existsSync(settings)) places.push(settings);
    const ws = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const walk = (d: string): string[] => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));
    if (ws) places.push(...walk(ws));
    assert.ok(places.length >= 2, `searched ${places.join(', ')}`);
    for (const f of places) assert.ok(!fs.readFileSync(f, 'utf8').includes(token), `the token is in ${f}`);
    assert.match(fs.readFileSync(logFile, 'utf8'), /Signed in to Toloka custom as/);

    await vscode.commands.executeCommand('toloka.signOut');
    await assert.rejects(api.connection(), /Not signed in/);
    api.explorer.model.refresh();
    await api.explorer.provider.getChildren();
    assert.match(api.explorer.model.rootError() ?? '', /^Not signed in/);
  });
});
