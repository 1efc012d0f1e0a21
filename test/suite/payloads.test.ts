import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { open, positionAfter, completionLabels } from './editor';
import { activateExtension, eventually, workspaceFile } from './extension';
import { answering } from './prompter';

const poolText = `{
  "project_id": "100001",

  "quality_control": {
    "configs": [
      {
        "collector_config": { "type": "ASSIGNMENTS_ASSESSMENT" },
        "rules": [
          {
            "conditions": [{ "key": "assessment_event", "operator": "EQ", "value": "REJECT" }],
            "action": { "type": "" }
          }
        ]
      }
    ]
  },
  "will_expire": "2030-01-01T00:00:00"
}
`;

describe('Payload files with IntelliSense', function () {
  this.timeout(60_000);
  before(async () => {
    await activateExtension();
  });

  it('completes top-level pool fields in a *.pool.json file', async () => {
    const doc = await open(workspaceFile('complete.pool.json', '{\n  "project_id": "100001",\n  \n}\n'));
    const labels = await completionLabels(doc, new vscode.Position(2, 2), 'reward_per_assignment');
    assert.ok(labels.includes('quality_control'), labels.join(', '));
    assert.ok(labels.includes('will_expire'), labels.join(', '));
    assert.ok(!labels.includes('project_id'), 'a field already written is not offered again');
  });

  it('completes the action types inside a quality-control rule', async () => {
    const doc = await open(workspaceFile('action.pool.json', poolText));
    const labels = await completionLabels(doc, positionAfter(doc, '"action": { "type": "'), 'CHANGE_OVERLAP');
    assert.ok(labels.includes('RESTRICTION_V2'), labels.join(', '));
  });

  it('shows our documentation when hovering will_expire', async () => {
    const doc = await open(workspaceFile('hover.pool.json', poolText));
    const at = positionAfter(doc, '"will_ex');
    const text = await eventually('a hover with documentation', async () => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at);
      const all = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
      return /closes even if not finished/.test(all) ? all : undefined;
    }, 20_000);
    assert.match(text, /UTC/);
  });

  it('flags a wrong type and a missing required field as you type', async () => {
    const uri = workspaceFile('broken.pool.json', '{\n  "private_name": 5,\n  "reward_per_assignment": 0.02\n}\n');
    await open(uri);
    const messages = await eventually('diagnostics from the schema', () => {
      const m = vscode.languages.getDiagnostics(uri).map((d) => d.message);
      return m.some((x) => /Incorrect type/i.test(x)) && m.some((x) => /Missing property "will_expire"/.test(x)) ? m : undefined;
    }, 20_000);
    assert.ok(messages.some((x) => /Missing property "project_id"/.test(x)), messages.join(' | '));
  });

  it('validates with the models: Toloka: Validate Payload lists problems by JSON path in the Problems panel', async () => {
    const uri = workspaceFile('validate.pool.json', JSON.stringify({
      project_id: '1', private_name: 'x', may_contain_adult_content: false, will_expire: '2030-01-01T00:00:00', reward_per_assignment: 0.02,
      assignment_max_duration_seconds: 600, defaults: { default_overlap_for_new_task_suites: 0 }, reward_per_assigment: 1,
    }, null, 2));
    const doc = await open(uri);
    const count = await vscode.commands.executeCommand<number>('toloka.validatePayload');
    assert.equal(count, 2);
    const ours = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Toloka');
    const codes = ours.map((d) => (typeof d.code === 'object' ? d.code.value : d.code)).map((c) => `${c ?? ''}`).sort();
    assert.deepEqual(codes, ['defaults.default_overlap_for_new_task_suites', 'reward_per_assigment']);
    const overlap = ours.find((d) => d.code === 'defaults.default_overlap_for_new_task_suites');
    assert.equal(doc.getText(overlap?.range), '0', 'the problem points at the offending value');
  });

  it('honours a "$schema": "toloka-schema:/…" reference in any JSON file', async () => {
    const uri = workspaceFile('anything.json', '{\n  "$schema": "toloka-schema:/task.schema.json",\n  "pool_id": 7\n}\n');
    await open(uri);
    const messages = await eventually('diagnostics from the referenced schema', () => {
      const m = vscode.languages.getDiagnostics(uri).map((d) => d.message);
      return m.some((x) => /Missing property "input_values"/.test(x)) ? m : undefined;
    }, 20_000);
    assert.ok(messages.length > 0);
  });

  it('creates a pool file from a template that passes validation', async () => {
    const api = await activateExtension();
    const uri = await answering(api, [{ title: /New pool file/, answer: { input: 'fresh' } }], () => vscode.commands.executeCommand<vscode.Uri>('toloka.newPoolFile'));
    assert.ok(uri?.path.endsWith('/fresh.pool.json'));
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), uri.toString());
    assert.equal(await vscode.commands.executeCommand<number>('toloka.validatePayload'), 0);
    const again = await answering(api, [{ title: /New pool file/, answer: { input: 'fresh' } }], async (p) => ({ result: await vscode.commands.executeCommand('toloka.newPoolFile'), errors: p.errors() }));
    assert.equal(again.result, undefined, 'an existing file is never overwritten');
    assert.match(again.errors.join('\n'), /fresh\.pool\.json already exists; nothing was overwritten/);
  });
});
