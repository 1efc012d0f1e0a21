import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, eventually, EXTENSION_ID } from './extension';

describe('Activation', () => {
  it('activates and reports how long activate() took', async () => {
    const api = await activateExtension();
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, 'extension is active');
    assert.ok(api.activationMs >= 0 && api.activationMs < 2000, `activation took ${api.activationMs} ms`);
  });

  it('registers Toloka: Show Logs, which runs', async () => {
    await activateExtension();
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('toloka.showLogs'), 'toloka.showLogs is registered');
    await vscode.commands.executeCommand('toloka.showLogs');
  });

  it('writes its activation line to the "Toloka" log channel', async () => {
    const api = await activateExtension();
    api.log.info('probe line from the activation suite');
    // A LogOutputChannel is backed by a file in the extension's log folder.
    const file = await eventually('the Toloka log file', () => {
      const candidates = [path.join(api.logUri.fsPath, 'Toloka.log'), `${api.logUri.fsPath}.log`];
      return candidates.find((f) => fs.existsSync(f) && fs.readFileSync(f, 'utf8').includes('probe line'));
    });
    const text = fs.readFileSync(file, 'utf8');
    assert.match(text, /Toloka for VS Code \d+\.\d+\.\d+ activated in \d+\.\d ms/);
  });

  it('contributes the Toloka view container with the Projects view', async () => {
    await activateExtension();
    await vscode.commands.executeCommand('workbench.view.extension.toloka');
    await vscode.commands.executeCommand('toloka.projects.focus');
  });
});
