import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { UploadResult } from '../../src/files/upload';
import type { Sandbox } from '../../src/sandbox/server';
import { TolokaClient } from '../../src/toloka/client';
import type { TolokaTestApi } from '../../src/testSeam';
import { literally, withTestSandbox, workspaceFile } from './extension';
import { answering, type Shown } from './prompter';

const spec = { input_spec: { text: { type: 'string' as const }, n: { type: 'integer' as const, required: false } }, output_spec: { label: { type: 'string' as const, allowed_values: ['a', 'b'] } } };

describe('Upload Tasks', function () {
  this.timeout(60_000);
  let sandbox: Sandbox;
  let poolId = '';
  let api: TolokaTestApi;
  /** Upload Tasks on a file, answering its questions: the pool, then the options. */
  const upload = (file: vscode.Uri, pool: string, options: RegExp[], onMessage?: (m: Shown) => string | undefined) =>
    answering(
      api,
      [
        { title: /into which pool/, answer: { pick: literally(`· ${pool}`) } },
        { title: /^Upload .* to pool/, answer: { pickMany: options } },
      ],
      () => vscode.commands.executeCommand<UploadResult>('toloka.uploadTasks', file),
      onMessage,
    );
  const texts = (): string[] => (sandbox.state.pools.get(poolId)?.data.tasks ?? []).map((t) => String(t.api.input_values['text']));

  withTestSandbox({ quotas: false, tolokers: { assignmentsPerSecond: 0 } }, async (t) => {
    ({ sandbox, api } = t);
    const { client } = t;
    const project = await client.projects.create({ public_name: 'Uploads', task_spec: spec });
    poolId = (await client.pools.create({ project_id: project.id ?? '', private_name: 'Target', will_expire: '2099-01-01T00:00:00', reward_per_assignment: 0.01, assignment_max_duration_seconds: 60, defaults: { default_overlap_for_new_task_suites: 2, default_overlap_for_new_tasks: 2 } })).id ?? '';
  });

  it('uploads JSON Lines, a JSON array and Toloka TSV, converting TSV cells to the field types', async () => {
    const jsonl = workspaceFile('a.jsonl', Array.from({ length: 5 }, (_, i) => JSON.stringify({ input_values: { text: `jsonl ${i}` } })).join('\n'));
    const json = workspaceFile('b.json', JSON.stringify(Array.from({ length: 5 }, (_, i) => ({ input_values: { text: `json ${i}` }, overlap: 1 })), null, 2));
    const tsv = workspaceFile('c.tsv', `INPUT:text\tINPUT:n\tTASK:overlap\n${Array.from({ length: 5 }, (_, i) => `"tsv\t${i}"\t${i}\t3`).join('\n')}\n`);
    for (const file of [jsonl, json, tsv]) {
      const r = await upload(file, poolId, [/overlap from the pool's defaults/]);
      assert.equal(r.created, 5, file.path);
    }
    assert.equal(texts().length, 15);
    const fromTsv = sandbox.state.pools.get(poolId)?.data.tasks.filter((t) => String(t.api.input_values['text']).startsWith('tsv')) ?? [];
    assert.deepEqual(fromTsv.map((t) => [t.api.input_values['text'], t.api.input_values['n'], t.api.overlap]), [0, 1, 2, 3, 4].map((i) => [`tsv\t${i}`, i, 3]));
    assert.ok(sandbox.state.pools.get(poolId)?.data.tasks.filter((t) => String(t.api.input_values['text']).startsWith('jsonl')).every((t) => t.api.overlap === 2), 'the pool default overlap was used');
    assert.ok(fs.existsSync(`${jsonl.fsPath}.toloka-results-${poolId}-${new URL(sandbox.apiRoot).host.replace(":", "_")}.jsonl`), "the results file names the pool");
  });

  it('uploads 100,000 tasks through injected 500s, resets and 429 bursts, each exactly once', async function () {
    this.timeout(180_000);
    const client = new TolokaClient({ baseUrl: sandbox.apiRoot, credential: 'seed' });
    const pool = await client.pools.create({ project_id: sandbox.state.pools.get(poolId)?.api.project_id ?? '', private_name: 'Faults', will_expire: '2099-01-01T00:00:00', reward_per_assignment: 0.01, assignment_max_duration_seconds: 60, defaults: { default_overlap_for_new_task_suites: 1 } });
    const file = workspaceFile('faults.jsonl', Array.from({ length: 100_000 }, (_, i) => JSON.stringify({ input_values: { text: `f ${i}` }, overlap: 1 })).join('\n'));
    sandbox.faults = { ...sandbox.faults, errorRate: 0.05, resetRate: 0.03, resetAfterRate: 0.03, requestsPerSecond: 40, retryAfterSeconds: 0 };
    try {
      const r = await upload(file, pool.id ?? '', []);
      assert.equal(r.created, 100_000);
    } finally {
      sandbox.faults = { ...sandbox.faults, errorRate: 0, resetRate: 0, resetAfterRate: 0, requestsPerSecond: 0 };
    }
    const got = (sandbox.state.pools.get(pool.id ?? '')?.data.tasks ?? []).map((t) => String(t.api.input_values['text']));
    assert.equal(got.length, 100_000, 'no task twice');
    assert.equal(new Set(got).size, 100_000, 'every task once');
  });

  it('reports invalid rows by line in the Problems panel, sends nothing, then uploads the valid ones when asked', async () => {
    const before = texts().length;
    const file = workspaceFile('bad.jsonl', [
      JSON.stringify({ input_values: { text: 'fine 1' }, overlap: 1 }),
      JSON.stringify({ input_values: { text: 'fine 2' }, overlap: 1 }),
      JSON.stringify({ input_values: { text: 12 }, overlap: 1 }),
      '{not json',
    ].join('\n'));
    const r = await upload(file, poolId, []);
    assert.equal(r.uploaded, false);
    assert.equal(r.invalid, 2);
    assert.equal(texts().length, before, 'nothing was sent');
    const diagnostics = vscode.languages.getDiagnostics(file).filter((d) => d.source === 'Toloka upload');
    assert.deepEqual(diagnostics.map((d) => d.range.start.line), [2, 3]);
    assert.match(diagnostics[0]?.message ?? '', /input_values\.text/);
    assert.match(diagnostics[1]?.message ?? '', /not valid JSON/);
    assert.ok(fs.existsSync(`${file.fsPath}.toloka-problems.jsonl`));

    const again = await upload(file, poolId, [], (m) => (/are invalid; nothing was uploaded/.test(m.text) ? 'Upload the Valid Ones' : undefined));
    assert.equal(again.created, 2);
    assert.equal(texts().length, before + 2);
  });
});
