import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { activateExtension } from './extension';

const project = {
  public_name: 'Made in the extension host',
  task_spec: { input_spec: { text: { type: 'string' as const } }, output_spec: { label: { type: 'string' as const, allowed_values: ['a', 'b'] } } },
};

describe('Environments and the built-in sandbox', () => {
  afterEach(async () => {
    await vscode.workspace.getConfiguration('toloka').update('environment', undefined, vscode.ConfigurationTarget.Global);
  });

  it('starts the sandbox inside the extension host for the local environment and keeps its data in global storage', async () => {
    const api = await activateExtension();
    assert.equal(vscode.workspace.getConfiguration('toloka').get('environment'), 'local', 'local is the default');
    const url = await vscode.commands.executeCommand<string>('toloka.startLocalSandbox');
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/api$/);
    const first = await api.connections.connection();
    assert.equal(first.environment, 'local');
    assert.equal(first.apiRoot, url);
    const created = await first.client.projects.create(project);

    await vscode.commands.executeCommand('toloka.stopLocalSandbox');
    assert.ok(api.localSandbox.dataFile.includes('globalStorage'), api.localSandbox.dataFile);
    assert.ok(fs.existsSync(api.localSandbox.dataFile), 'the state was saved on stop');

    // Started again on demand, with the same data.
    const second = await api.connections.connection();
    assert.equal((await second.client.projects.get(created.id ?? '')).public_name, project.public_name);
  });

  it('switches environments with "Toloka: Select Environment…" and asks for a sign-in where one is needed', async () => {
    const api = await activateExtension();
    await vscode.commands.executeCommand('toloka.selectEnvironment', 'sandbox');
    assert.equal(vscode.workspace.getConfiguration('toloka').get('environment'), 'sandbox');
    await assert.rejects(api.connections.connection(), /Not signed in to Toloka sandbox: run "Toloka: Sign In"/);
    await vscode.commands.executeCommand('toloka.selectEnvironment', 'local');
    assert.equal((await api.connections.connection()).environment, 'local');
  });
});
