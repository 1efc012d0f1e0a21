import * as vscode from 'vscode';
import { isObj, sampleInput, type Obj } from '../tb/evaluate';
import { defaultInput, findConfig, isProjectFile, isTbFile } from '../tb/locate';
import { projectFileFor, templates } from '../tb/templates';
import { TaskPreviews } from '../views/taskPreview';
import { registerTbEditorFeatures } from '../editors/tbConfig';
import { Commands } from '../ids';
import { registerCommand, type CommandServices } from './registerCommand';

const TbCommands = { preview: Commands.previewTask, chooseInput: Commands.previewChooseInput, submitPreview: Commands.previewSubmit, newInterface: Commands.newTaskInterface } as const;

export interface TaskInterfaceDeps extends CommandServices {
  readonly previews: TaskPreviews;
}

/** The file a command acts on: its argument (a CodeLens, the explorer, the editor title), else the active editor's. */
function fileOf(arg: unknown): vscode.Uri {
  const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
  if (!uri || !(isTbFile(uri.fsPath) || isProjectFile(uri.fsPath))) throw new Error('open a *.tb.json file or a *.project.json file with a Template Builder view first');
  return uri;
}

/** Preview Task, Change Input…, and New Task Interface… from our templates. */
export function registerTaskInterfaceCommands(context: vscode.ExtensionContext, deps: TaskInterfaceDeps): void {
  registerCommand(context, deps, TbCommands.preview, (_ctx, arg) => {
    const uri = fileOf(arg);
    deps.previews.open(uri);
    return uri.toString();
  });

  registerCommand(context, deps, TbCommands.chooseInput, async ({ prompter }, arg) => {
    const uri = fileOf(arg);
    const preview = deps.previews.get(uri) ?? deps.previews.open(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    let parsed: unknown;
    try {
      parsed = JSON.parse(doc.getText());
    } catch {
      parsed = undefined;
    }
    const found = findConfig(uri.fsPath, parsed);
    const beside = defaultInput(uri.fsPath, found?.inputSpec);
    const choice = await prompter.pick(
      [
        { label: 'Input as the preview starts', description: beside.source, value: 'default' as const },
        { label: 'Values made from input_spec', value: 'spec' as const },
        { label: 'Paste JSON…', description: 'the input_values of a task', value: 'paste' as const },
      ],
      { title: 'Preview the task with which input?' },
    );
    if (choice === 'default') return preview.setInput(beside.input, beside.source);
    if (choice === 'spec') return preview.setInput(sampleInput(found?.inputSpec as Parameters<typeof sampleInput>[0]), 'values made from input_spec');
    const text = await prompter.input({
      title: 'Input values (JSON object)',
      placeHolder: '{"image": "https://…"}',
      validate: (v) => {
        try {
          const j: unknown = JSON.parse(v);
          return isObj(j) ? undefined : 'A JSON object, e.g. {"image": "https://example.com/1.jpg"}';
        } catch (err) {
          return `Not JSON: ${err instanceof Error ? err.message : String(err)}`;
        }
      },
    });
    const value = JSON.parse(text) as Obj;
    return preview.setInput(isObj(value['input_values']) ? value['input_values'] : value, 'pasted');
  });

  registerCommand(context, deps, TbCommands.submitPreview, (_ctx, arg) => {
    const preview = deps.previews.get(fileOf(arg));
    if (!preview) throw new Error('no preview of this file is open');
    preview.submit();
  });

  registerCommand(context, deps, TbCommands.newInterface, async ({ prompter }) => {
    const template = await prompter.pick(
      templates.map((t) => ({ label: t.label, detail: t.detail, value: t })),
      { title: 'New Task Interface: start from which template?' },
    );
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    if (!folder) throw new Error('open a folder first: the project file is created in it');
    const name = await prompter.input({ title: 'Project file name', value: template.id, validate: (v) => (/^[\w.-]+$/.test(v) ? undefined : 'Letters, digits, dots, dashes and underscores') });
    const uri = vscode.Uri.joinPath(folder, `${name}.project.json`);
    const exists = await vscode.workspace.fs.stat(uri).then(
      () => true,
      () => false,
    );
    if (exists) await prompter.confirm({ message: `${name}.project.json exists. Replace it?`, action: 'Replace' });
    const body = projectFileFor(template, template.label);
    await vscode.workspace.fs.writeFile(uri, Buffer.from(`${JSON.stringify(body, null, 2)}\n`, 'utf8'));
    await vscode.window.showTextDocument(uri);
    deps.previews.open(uri);
    return uri.toString();
  });
}

/** Template Builder: the editor features, the preview panels and their commands. Returns the previews (the test seam reaches them). */
export function registerTaskInterfaces(context: vscode.ExtensionContext, services: CommandServices & { readonly extensionUri: vscode.Uri }): TaskPreviews {
  registerTbEditorFeatures(context);
  const previews = new TaskPreviews({ log: services.log, extensionUri: services.extensionUri });
  previews.register(context);
  registerTaskInterfaceCommands(context, { ...services, previews });
  return previews;
}
