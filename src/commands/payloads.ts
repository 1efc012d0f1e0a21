import * as vscode from 'vscode';
import type { PayloadDiagnostics } from '../editors/payloadDiagnostics';
import { Commands } from '../ids';
import { materialize, snippets } from '../toloka/schemaSnippets';
import { uriOf, workspaceRoot } from './pick';
import { registerCommand, type CommandServices } from './registerCommand';

export interface PayloadCommandDeps extends CommandServices {
  readonly diagnostics: PayloadDiagnostics;
}

/** Validate Payload and the New … File commands. */
export function registerPayloadCommands(context: vscode.ExtensionContext, deps: PayloadCommandDeps): void {
  registerCommand(context, deps, Commands.validatePayload, async ({ prompter }, arg) => {
    const uri = uriOf(arg);
    const doc = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
    if (!doc) throw new Error('open a Toloka payload file to validate it');
    const result = deps.diagnostics.validate(doc);
    if (!result) {
      throw new Error(`${doc.uri.path.split('/').pop() ?? 'this file'} is not a Toloka payload. Name it *.pool.json, *.project.json, *.tasks.json… or give it a "$schema": "toloka-schema:/pool.schema.json"`);
    }
    if (result.count === 0) void prompter.message('info', `Toloka: no problems in this ${result.kind} payload.`);
    else await vscode.commands.executeCommand('workbench.actions.view.problems');
    return result.count;
  });

  const newFile = (id: string, kind: 'pool' | 'project' | 'tasks', label: string): void =>
    registerCommand(context, deps, id, async ({ prompter }, arg) => {
      const folder = uriOf(arg) ?? workspaceRoot();
      if (!folder) throw new Error(`open a folder first: the new ${label} file is created in the workspace`);
      const name = (
        await prompter.input({ title: `New ${label} file`, prompt: `Name of the file (".${kind}.json" is added)`, value: `my-${kind}`, validate: (v) => (/^[\w.-]+$/.test(v.trim()) ? undefined : 'Letters, digits, ".", "-" and "_" only') })
      ).trim();
      const uri = vscode.Uri.joinPath(folder, name.endsWith(`.${kind}.json`) ? name : `${name}.${kind}.json`);
      const exists = await vscode.workspace.fs.stat(uri).then(
        () => true,
        () => false,
      );
      if (exists) throw new Error(`${uri.path.split('/').pop() ?? ''} already exists; nothing was overwritten`);
      const template = materialize(snippets[kind]?.[0]?.body ?? {});
      await vscode.workspace.fs.writeFile(uri, Buffer.from(`${JSON.stringify(template, null, 2)}\n`, 'utf8'));
      await vscode.window.showTextDocument(uri);
      return uri;
    });
  newFile(Commands.newPoolFile, 'pool', 'pool');
  newFile(Commands.newProjectFile, 'project', 'project');
  newFile(Commands.newTasksFile, 'tasks', 'tasks');
}
