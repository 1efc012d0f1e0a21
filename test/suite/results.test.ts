import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AttachmentsResult } from '../../src/files/attachments';
import type { LocalAggregation } from '../../src/files/aggregated';
import { downloadResults, type DownloadResult } from '../../src/files/results';
import type { ReviewResult } from '../../src/files/review';
import { TolokaClient } from '../../src/toloka/client';
import type { Assignment, TaskSpec } from '../../src/toloka/models';
import { collect } from '../../src/toloka/paging';
import type { TolokaTestApi } from '../../src/testSeam';
import { eventually, poolRow, withTestSandbox, workspaceFile } from './extension';
import { answering, type Step } from './prompter';

const spec: TaskSpec = {
  input_spec: { image: { type: 'url' } },
  output_spec: { result: { type: 'string', allowed_values: ['cat', 'dog', 'other'] }, proof: { type: 'file', required: false } },
};

function root(): string {
  const r = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  assert.ok(r, 'the tests run in a workspace');
  return r;
}

describe('Results, attachments, review and aggregation', function () {
  this.timeout(120_000);
  let client: TolokaClient;
  let accepted = ''; // a finished pool, answers accepted
  let submitted = ''; // a finished pool waiting for review
  const statuses = ['SUBMITTED', 'ACCEPTED'] as const;
  let api: TolokaTestApi;
  const row = async (id: string) => poolRow(await client.pools.get(id));

  /** Download Results on a pool's row, answering its four questions (and the resume question when given). */
  async function download(poolId: string, o: { statuses: string[]; columns?: string[]; file: string; resume?: 'Continue' | 'Start over' }): Promise<DownloadResult> {
    const steps: Step[] = [
      { title: /which assignments/, answer: { pickMany: o.statuses } },
      { title: /start time/, answer: { input: '' } },
      { title: /options and columns/, answer: { pickMany: o.columns ? o.columns.map((c) => `ASSIGNMENT:${c}`) : 'defaults' } },
      { title: /where\?/, answer: { input: o.file } },
      ...(o.resume ? [{ title: /interrupted/, answer: { pick: o.resume } }] : []),
    ];
    return await answering(api, steps, async () => vscode.commands.executeCommand<DownloadResult>('toloka.downloadResults', await row(poolId)));
  }

  async function finishedPool(name: string, autoAccept: boolean, projectId: string): Promise<string> {
    const pool = await client.pools.create({
      project_id: projectId, private_name: name, will_expire: '2099-01-01T00:00:00', reward_per_assignment: 0.01, assignment_max_duration_seconds: 60, auto_accept_solutions: autoAccept,
      defaults: { default_overlap_for_new_task_suites: 3, default_overlap_for_new_tasks: 3 }, mixer_config: { real_tasks_count: 4, golden_tasks_count: 0, training_tasks_count: 0 },
    });
    const id = pool.id ?? '';
    await client.tasks.createMany(Array.from({ length: 40 }, (_, i) => ({ pool_id: id, input_values: { image: `https://example.com/${name}/${i}.jpg` }, overlap: 3 })));
    await client.operations.wait(await client.pools.open(id), { firstDelayMs: 10, intervalMs: 20 });
    await eventually(`pool ${name} to finish`, async () => (await client.pools.get(id)).status === 'CLOSED', 60_000);
    return id;
  }

  withTestSandbox({ quotas: false, tolokers: { assignmentsPerSecond: 3000, thinkMs: [1, 3], count: 10, accuracy: [0.7, 0.95] } }, async (t) => {
    ({ api } = t);
    client = t.client;
    const project = await client.projects.create({ public_name: 'Animals', task_spec: spec });
    accepted = await finishedPool('done', true, project.id ?? '');
    submitted = await finishedPool('to-review', false, project.id ?? '');
  });

  it('downloads results as Toloka TSV, the rows the API lists, and opens the file', async () => {
    const file = `results/${accepted}.tsv`;
    const r = await download(accepted, { statuses: ['Submitted', 'Accepted'], columns: ['assignment_id', 'task_id', 'worker_id', 'status'], file });
    const listed = await collect(client.assignments.all({ pool_id: accepted, status: [...statuses] }));
    assert.equal(r.rows, 120); // 40 tasks × overlap 3
    const lines = fs.readFileSync(path.join(root(), file), 'utf8').trimEnd().split('\n');
    assert.equal(lines[0], 'INPUT:image\tOUTPUT:result\tOUTPUT:proof\tGOLDEN:result\tGOLDEN:proof\tHINT:text\tASSIGNMENT:assignment_id\tASSIGNMENT:task_id\tASSIGNMENT:worker_id\tASSIGNMENT:status');
    const expected = listed.flatMap((a) => a.tasks.map((t, i) => [t.input_values['image'], a.solutions?.[i]?.output_values['result'], a.solutions?.[i]?.output_values['proof'] ?? '', '', '', '', a.id, t.id, a.user_id, 'APPROVED'].join('\t')));
    assert.deepEqual(lines.slice(1), expected);
    await eventually('the results file to open in an editor', () => vscode.window.activeTextEditor?.document.uri.fsPath === path.join(root(), file));
  });

  it('downloads JSON Lines on request: one assignment per line, as listed', async () => {
    const file = `results/${accepted}.jsonl`;
    const r = await download(accepted, { statuses: ['Submitted', 'Accepted'], file });
    const listed = await collect(client.assignments.all({ pool_id: accepted, status: [...statuses] }));
    assert.equal(r.rows, listed.length);
    assert.deepEqual(fs.readFileSync(path.join(root(), file), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Assignment), listed);
  });

  it('continues an interrupted download without writing a row twice', async () => {
    const file = `results/${accepted}-resumed.tsv`;
    const full = path.join(root(), `results/${accepted}-full.tsv`);
    await downloadResults({ client, poolId: accepted, spec, file: full, format: 'tsv', statuses: [...statuses], pageSize: 5 });
    const controller = new AbortController();
    const partial = await downloadResults({ client, poolId: accepted, spec, file: path.join(root(), file), format: 'tsv', statuses: [...statuses], pageSize: 5, signal: controller.signal, onProgress: (p) => p.assignments >= 10 && controller.abort() });
    assert.ok(partial.cancelled && partial.rows > 0 && partial.rows < 120);
    const r = await download(accepted, { statuses: ['Submitted', 'Accepted'], file, resume: 'Continue' });
    assert.equal(r.resumed, true);
    assert.equal(r.resumedRows, partial.rows);
    assert.equal(fs.readFileSync(path.join(root(), file), 'utf8'), fs.readFileSync(full, 'utf8'));
  });

  it('downloads the files Tolokers uploaded, once', async () => {
    const folder = `attachments/${accepted}`;
    const listed = await collect(client.attachments.all({ pool_id: accepted }));
    assert.ok(listed.length > 0, 'the simulated Tolokers uploaded files');
    const attachments = async () =>
      answering(api, [{ title: /Download attachments/, answer: { input: folder } }], async () => vscode.commands.executeCommand<AttachmentsResult>('toloka.downloadAttachments', await row(accepted)));
    const first = await attachments();
    assert.equal(first.downloaded, listed.length);
    const names = fs.readdirSync(path.join(root(), folder));
    assert.deepEqual(names.sort(), listed.map((a) => `${a.id}-${a.name}`).sort());
    const content = fs.readFileSync(path.join(root(), folder, `${listed[0]?.id}-${listed[0]?.name}`), 'utf8');
    assert.match(content, /^file uploaded by /);
    const second = await attachments();
    assert.deepEqual([second.downloaded, second.skipped], [0, listed.length]);
  });

  it('applies a review file: bad rows go to the Problems panel and nothing is sent; good verdicts accept and reject', async () => {
    const results = `results/${submitted}.tsv`;
    await download(submitted, { statuses: ['Submitted'], columns: ['assignment_id'], file: results });
    const [header, ...rows] = fs.readFileSync(path.join(root(), results), 'utf8').trimEnd().split('\n');
    const ids = [...new Set(rows.map((r) => r.split('\t').pop() ?? ''))];
    assert.equal(ids.length, 30); // 120 task answers in suites of 4

    const bad = workspaceFile('review-bad.tsv', [`${header}\tACCEPT:verdict\tACCEPT:comment`, `${rows[0]}\t-\t`, `${rows[1]}\tok\t`].join('\n'));
    const shown = await answering(api, [], async (p) => {
      assert.equal(await vscode.commands.executeCommand<ReviewResult | undefined>('toloka.applyReview', bad), undefined);
      return p.errors();
    });
    assert.match(shown.join('\n'), /2 row\(s\) cannot be applied.*Nothing was sent/);
    const problems = vscode.languages.getDiagnostics(bad).filter((d) => d.source === 'Toloka review');
    assert.deepEqual(problems.map((d) => d.range.start.line), [1, 2]);
    assert.ok((await collect(client.assignments.all({ pool_id: submitted, status: ['SUBMITTED'] }))).length === 30, 'nothing was sent');

    // Reject the first assignment with a comment, accept the others.
    const review = workspaceFile('review.tsv', [`${header}\tACCEPT:verdict\tACCEPT:comment`, ...rows.map((r) => (r.endsWith(ids[0] ?? '?') ? `${r}\t-\tThe picture is a dog` : `${r}\t+\t`))].join('\n'));
    // Declined: nothing changes.
    await answering(api, [{ title: /^Accept 29 and reject 1 assignment/, answer: { confirm: false } }], () => vscode.commands.executeCommand('toloka.applyReview', review));
    assert.equal((await collect(client.assignments.all({ pool_id: submitted, status: ['SUBMITTED'] }))).length, 30, 'a declined review sends nothing');
    const done = await answering(api, [{ title: /^Accept 29 and reject 1 assignment/, answer: { confirm: true } }], () => vscode.commands.executeCommand<ReviewResult>('toloka.applyReview', review));
    assert.deepEqual(done.counts, { accepted: 29, rejected: 1, unchanged: 0, refused: 0, failed: 0 });
    const rejected = await client.assignments.get(ids[0] ?? '');
    assert.deepEqual([rejected.status, rejected.public_comment], ['REJECTED', 'The picture is a dog']);
  });

  it('aggregates a results file with Dawid-Skene into INPUT/OUTPUT/CONFIDENCE rows and opens them', async () => {
    const results = `results/${accepted}-for-ds.tsv`;
    await download(accepted, { statuses: ['Accepted'], columns: ['task_id', 'worker_id'], file: results });
    const output = `results/${accepted}-for-ds.ds.tsv`;
    const r = await answering(
      api,
      [
        { title: /Aggregate which output field/, answer: { pick: 'result' } },
        { title: /with which method/, answer: { pick: 'Dawid-Skene' } },
        { title: /Control tasks/, answer: { pick: 'Aggregate every task' } },
      ],
      () => vscode.commands.executeCommand<LocalAggregation>('toloka.aggregateResults', vscode.Uri.file(path.join(root(), results))),
    );
    assert.equal(r.tasks, 40);
    assert.equal(r.responses, 120);
    const [header, ...rows] = fs.readFileSync(path.join(root(), output), 'utf8').trimEnd().split('\n');
    assert.equal(header, 'INPUT:image\tOUTPUT:result\tCONFIDENCE:result');
    assert.equal(rows.length, 40);
    assert.ok(rows.every((row) => /^https:\/\/example\.com\/done\/\d+\.jpg\t(cat|dog|other)\t(0(\.\d+)?|1)$/.test(row)), rows[0]);
    await eventually('the aggregated file to open', () => vscode.window.activeTextEditor?.document.uri.fsPath === path.join(root(), output));
  });

  it("aggregates a pool with Toloka's own Dawid-Skene", async () => {
    const output = `results/${accepted}.toloka-ds.tsv`;
    const r = await answering(api, [{ title: /on Toloka/, answer: { pick: 'Dawid-Skene' } }], async () => vscode.commands.executeCommand<{ tasks: number }>('toloka.aggregateOnToloka', await row(accepted)));
    assert.equal(r.tasks, 40);
    const rows = fs.readFileSync(path.join(root(), output), 'utf8').trimEnd().split('\n').slice(1);
    const images = new Set((await collect(client.tasks.all({ pool_id: accepted }))).map((t) => t.input_values['image']));
    assert.deepEqual(new Set(rows.map((row) => row.split('\t')[0])), images);
  });
});
