import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { open, positionAfter, completionLabels } from './editor';
import { activateExtension, eventually, workspaceFile } from './extension';
import { answering } from './prompter';

const project = (config: unknown) => `${JSON.stringify({ public_name: 'Animals', task_spec: { input_spec: { image: { type: 'url' } }, output_spec: { result: { type: 'string' } }, view_spec: { type: 'tb', lock: { core: '1.0.0' }, config } } }, null, 2)}\n`;

describe('Template Builder configs in the editor', function () {
  this.timeout(90_000);
  before(async () => {
    await activateExtension();
  });

  it('completes component types, then only the chosen component\'s properties, in a *.tb.json file', async () => {
    const doc = await open(workspaceFile('types.tb.json', '{\n  "view": { "type": "" }\n}\n'));
    const types = await completionLabels(doc, positionAfter(doc, '"type": "'), 'field.radio-group');
    assert.ok(types.includes('view.image') && types.includes('layout.side-by-side') && types.includes('condition.required'), types.join(', '));
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), '{\n  "view": { "type": "field.radio-group",  }\n}\n');
    await vscode.workspace.applyEdit(edit);
    const props = await completionLabels(doc, positionAfter(doc, '"field.radio-group", '), 'options');
    assert.ok(props.includes('validation') && props.includes('data'), props.join(', '));
    assert.ok(!props.includes('image') && !props.includes('items'), `only field.radio-group's properties: ${props.join(', ')}`);
  });

  it('completes data.output paths from the project\'s output_spec inside a project file', async () => {
    const doc = await open(workspaceFile('paths.project.json', project({ view: { type: 'field.text', data: { type: 'data.output', path: '' } } })));
    const paths = await completionLabels(doc, positionAfter(doc, '"path": "'), 'result');
    assert.ok(!paths.includes('image'), `output paths only: ${paths.join(', ')}`);
  });

  it('warns of an output path missing from output_spec, where it is written', async () => {
    const doc = await open(workspaceFile('missing.project.json', project({ view: { type: 'field.text', data: { type: 'data.output', path: 'reslt' } } })));
    const found = await eventually('a warning on the path', () => vscode.languages.getDiagnostics(doc.uri).find((d) => d.source === 'Toloka Template Builder' && /"reslt" is not in the project's output_spec/.test(d.message)));
    assert.equal(found.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(doc.getText(found.range), '"reslt"');
    assert.ok(vscode.languages.getDiagnostics(doc.uri).some((d) => /Output "result" is required/.test(d.message)), 'the required output nobody writes');
  });

  it('converts Toloka\'s string config to an object with a quick fix, and back', async () => {
    const config = { view: { type: 'field.text', data: { type: 'data.output', path: 'result' } } };
    const doc = await open(workspaceFile('string.project.json', project(JSON.stringify(config))));
    const info = await eventually('the string-config notice', () => vscode.languages.getDiagnostics(doc.uri).find((d) => d.code === 'tb-config-string'));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, info.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.title === 'Convert the config to an object');
    assert.ok(fix?.edit, actions.map((a) => a.title).join(', '));
    await vscode.workspace.applyEdit(fix.edit);
    const parsed = JSON.parse(doc.getText()) as { task_spec: { view_spec: { config: unknown } } };
    assert.deepEqual(parsed.task_spec.view_spec.config, config);
    const at = positionAfter(doc, '"config": ');
    const back = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, new vscode.Range(at, at), vscode.CodeActionKind.RefactorRewrite.value);
    const toString = back.find((a) => a.title === "Convert the config to Toloka's JSON string");
    assert.ok(toString?.edit);
    await vscode.workspace.applyEdit(toString.edit);
    assert.equal((JSON.parse(doc.getText()) as { task_spec: { view_spec: { config: unknown } } }).task_spec.view_spec.config, JSON.stringify(config));
  });

  it('Preview Task renders the config with the first task beside it, follows typing, and Submit gives the output', async () => {
    const api = await activateExtension();
    workspaceFile('cats.tasks.json', JSON.stringify([{ input_values: { image: 'https://example.com/cat1.jpg' } }]));
    const doc = await open(workspaceFile('cats.tb.json', JSON.stringify({ view: { type: 'field.radio-group', label: 'Animal', data: { type: 'data.output', path: 'result' }, options: [{ label: 'Cat', value: 'cat' }], validation: { type: 'condition.required', hint: 'Pick one' } } }, null, 2)));
    const lenses = await eventually('the Preview Task lens', async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
      return l.some((x) => x.command?.command === 'toloka.tb.preview') ? l : undefined;
    });
    assert.ok(lenses.length > 0);
    await vscode.commands.executeCommand('toloka.tb.preview', doc.uri);
    const probe = await eventually('the preview to render', () => {
      const p = api.taskPreview(doc.uri);
      return p?.lastRendered ? p : undefined;
    }, 20_000);
    assert.deepEqual(probe.lastRender?.input, { image: 'https://example.com/cat1.jpg' });
    assert.match(probe.lastRender?.inputSource ?? '', /cats\.tasks\.json/);
    assert.deepEqual(probe.lastRendered?.placeholders, []);
    const before = probe.renders;
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), JSON.stringify({ view: { type: 'view.list', items: [{ type: 'view.map', center: '0,0' }] } }));
    await vscode.workspace.applyEdit(edit);
    await eventually('the preview to follow the edit', () => probe.renders > before && JSON.stringify(probe.lastRender?.config).includes('view.map'));
    await eventually('the unrendered component to show as a placeholder', () => probe.lastRendered?.placeholders.includes('view.map'));
    await vscode.commands.executeCommand('toloka.tb.submitPreview', doc.uri);
    const submitted = await eventually('the submitted output', () => probe.lastSubmitted);
    assert.deepEqual(submitted.output, {});
    await vscode.commands.executeCommand('toloka.tb.preview', doc.uri);
    assert.equal(api.taskPreview(doc.uri), probe, 'one preview per file: previewing it again shows the same preview');
  });

  it('New Task Interface writes a project from a template that passes validation, and previews it; Change Input takes pasted JSON', async () => {
    const api = await activateExtension();
    const uri = await answering(api, [{ title: /start from which template/, answer: { pick: 'Moderation with conditional fields' } }, { title: /Project file name/, answer: { input: 'moderation' } }], () => vscode.commands.executeCommand<string>('toloka.tb.newInterface'));
    const file = vscode.Uri.parse(uri);
    assert.ok(file.path.endsWith('/moderation.project.json'));
    assert.equal(await vscode.commands.executeCommand<number>('toloka.validatePayload'), 0);
    const probe = await eventually('the new project\'s preview', () => api.taskPreview(file)?.lastRendered && api.taskPreview(file), 20_000);
    assert.deepEqual(probe.lastRender?.problems, []);
    assert.deepEqual(probe.lastRender?.input, { comment: 'Sample comment' });
    await answering(api, [{ title: /with which input/, answer: { pick: 'Paste JSON…' } }, { title: /Input values/, answer: { input: '{"input_values": {"comment": "You are wrong"}}' } }], () => vscode.commands.executeCommand('toloka.tb.chooseInput', file));
    await eventually('the pasted input', () => probe.lastRender?.inputSource === 'pasted' && probe.lastRender.input['comment'] === 'You are wrong');
  });
});
