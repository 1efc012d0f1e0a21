import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PayResult } from '../../src/files/bonuses';
import { bonusResultsFor } from '../../src/files/bonuses';
import { downloadResults } from '../../src/files/results';
import type { Sandbox } from '../../src/sandbox/server';
import { tolokerData } from '../../src/sandbox/tolokerState';
import { TolokaClient } from '../../src/toloka/client';
import { collect } from '../../src/toloka/paging';
import type { TolokaTestApi } from '../../src/testSeam';
import { eventually, withTestSandbox, workspaceFile } from './extension';
import { answering, type Shown } from './prompter';

describe('Pay Bonuses', function () {
  this.timeout(120_000);
  let sandbox: Sandbox;
  let api: TolokaTestApi;
  let workers: string[] = [];
  const paid = (comment: string): Map<string, number> => {
    const per = new Map<string, number>();
    for (const b of tolokerData(sandbox.state).bonuses.values()) if (b.private_comment === comment) per.set(b.user_id, (per.get(b.user_id) ?? 0) + 1);
    return per;
  };
  const pay = (file: vscode.Uri, steps: Parameters<typeof answering>[1], onMessage?: (m: Shown) => string | undefined) =>
    answering(api, steps, () => vscode.commands.executeCommand<PayResult | undefined>('toloka.payBonuses', file), onMessage);

  withTestSandbox({ quotas: false, tolokers: { assignmentsPerSecond: 0, count: 250 } }, (t) => {
    ({ sandbox, api } = t);
    workers = sandbox.tolokers.workers.map((w) => w.id);
  });

  it('names bad rows by line in the Problems panel and sends nothing, asking nothing', async () => {
    const w = workers[0] ?? '';
    const file = workspaceFile('bad-bonuses.tsv', ['worker_id\tamount\twithout_message', `${w}\t0.5\ttrue`, `${w}\t0\ttrue`, `${w}\tlots\ttrue`, 'nobody\t1\ttrue', `${w}\t500\ttrue`, `${w}\t0.5\ttrue`, ''].join('\n'));
    const before = tolokerData(sandbox.state).bonuses.size;
    const shown: Shown[] = [];
    const r = await pay(file, [], (m) => {
      shown.push(m);
      return undefined;
    });
    assert.equal(r, undefined);
    assert.equal(tolokerData(sandbox.state).bonuses.size, before, 'nothing was sent');
    const diagnostics = vscode.languages.getDiagnostics(file).filter((d) => d.source === 'Toloka bonuses');
    assert.deepEqual(diagnostics.map((d) => d.range.start.line + 1), [3, 4, 5, 6, 7]);
    assert.match(diagnostics[4]?.message ?? '', /duplicate of line 2/);
    assert.ok(shown.some((m) => m.kind === 'error' && /5 row\(s\) with problems/.test(m.text)));
  });

  it('pays a TSV in batches after one confirmation; stopped after the first batch and rerun, every Toloker is paid once and the balance falls by the total', async () => {
    const rows = workers.map((w, i) => `${w}\t${(0.01 + (i % 7) * 0.01).toFixed(2)}\tThanks\tFor the good answers\tcrash run`);
    const file = workspaceFile('bonuses.tsv', `worker_id\tamount\tpublic_title\tpublic_message\tprivate_comment\n${rows.join('\n')}\n`);
    const total = Math.round(workers.reduce((s, _, i) => s + 0.01 + (i % 7) * 0.01, 0) * 1000) / 1000;
    const balance = sandbox.state.requester.balance;
    const confirm = { title: /^Pay 250 bonus\(es\), \$[\d.]+ in all, to 250 Toloker\(s\)\?$/, answer: { confirm: true } } as const;
    // Toloka goes away once the first batch is paid: the run fails part-way.
    const stopper = eventually('the first batch paid', () => paid('crash run').size >= 100, 60_000).then(() => {
      sandbox.faults = { ...sandbox.faults, errorRate: 1 };
    });
    const shown: Shown[] = [];
    const first = await pay(file, [confirm], (m) => {
      shown.push(m);
      return undefined;
    });
    await stopper;
    sandbox.faults = { ...sandbox.faults, errorRate: 0 };
    assert.equal(first, undefined, 'the first run did not finish');
    assert.ok(shown.some((m) => m.kind === 'error' && /no Toloker is paid twice/.test(m.text)), JSON.stringify(shown));
    assert.ok(paid('crash run').size < 250);
    const second = await pay(file, [{ title: /^Pay 250 bonus/, answer: { confirm: true } }]);
    assert.ok(second);
    assert.equal(second.paid + second.resumed, 250);
    const per = paid('crash run');
    assert.equal(per.size, 250, 'every Toloker paid');
    assert.ok([...per.values()].every((n) => n === 1), 'nobody paid twice');
    assert.equal(Math.round((balance - sandbox.state.requester.balance) * 1000) / 1000, total);
    const results = fs.readFileSync(bonusResultsFor(file.fsPath, sandbox.apiRoot), 'utf8').trim().split('\n');
    assert.equal(results.length, 251, 'one result row per bonus');
  });

  it("refuses in words, before asking, a file the balance cannot cover", async () => {
    sandbox.state.requester.balance = 0.5;
    try {
      const file = workspaceFile('too-much.tsv', `worker_id\tamount\twithout_message\n${workers[0] ?? ''}\t1\ttrue\n`);
      const shown: Shown[] = [];
      await pay(file, [], (m) => {
        shown.push(m);
        return undefined;
      });
      assert.ok(shown.some((m) => m.kind === 'error' && /total \$1\.00 but the account's balance is \$0\.50/.test(m.text)), JSON.stringify(shown));
    } finally {
      sandbox.state.requester.balance = 1000;
    }
  });

  it('pays one Toloker a bonus from a dashboard row, asking the amount, the message and then to pay', async () => {
    const w = workers[3] ?? '';
    const before = sandbox.state.requester.balance;
    const id = await answering(
      api,
      [
        { title: /^Bonus for Toloker .*amount/, answer: { input: '0.75' } },
        { title: /its title/, answer: { input: 'Great work' } },
        { title: /its text/, answer: { input: 'Thanks for the careful answers' } },
        { title: /^Pay Toloker .* a bonus of \$0\.75\?$/, answer: { confirm: true } },
      ],
      () => vscode.commands.executeCommand<string>('toloka.dashboard.bonus', { poolId: '1000001', workerId: w }),
    );
    const b = tolokerData(sandbox.state).bonuses.get(id);
    assert.equal(b?.user_id, w);
    assert.deepEqual(b?.public_title, { EN: 'Great work' });
    assert.equal(Math.round((before - sandbox.state.requester.balance) * 1000) / 1000, 0.75);
  });

  it('pays a bonus to the Tolokers on the rows selected in a results TSV, one per assignment, after showing the total; a rerun pays nothing twice', async () => {
    const client = new TolokaClient({ baseUrl: sandbox.apiRoot, credential: 'seed' });
    const spec = { input_spec: { t: { type: 'string' as const } }, output_spec: { l: { type: 'string' as const } } };
    const projectId = (await client.projects.create({ public_name: 'Row bonuses', task_spec: spec })).id ?? '';
    const poolId = (await client.pools.create({
      project_id: projectId, private_name: 'Row bonus pool', will_expire: '2099-01-01T00:00:00', reward_per_assignment: 0.01, assignment_max_duration_seconds: 60,
      defaults: { default_overlap_for_new_task_suites: 1, default_overlap_for_new_tasks: 1 }, mixer_config: { real_tasks_count: 2, golden_tasks_count: 0, training_tasks_count: 0 },
    })).id ?? '';
    await client.tasks.createMany(Array.from({ length: 6 }, (_, i) => ({ pool_id: poolId, input_values: { t: `task ${i}` }, overlap: 1 })));
    sandbox.tolokers.options = { ...sandbox.tolokers.options, assignmentsPerSecond: 200 };
    await client.operations.wait(await client.pools.open(poolId), { firstDelayMs: 10, intervalMs: 20 });
    await eventually('the pool to finish', async () => (await client.pools.get(poolId)).status === 'CLOSED', 60_000);
    sandbox.tolokers.options = { ...sandbox.tolokers.options, assignmentsPerSecond: 0 };
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
    const results = path.join(root, 'row-bonus-results.tsv');
    await downloadResults({ client, poolId, spec, file: results, format: 'tsv', statuses: ['SUBMITTED', 'ACCEPTED'] });
    const table = fs.readFileSync(results, 'utf8').trim().split('\n').map((l) => l.split('\t'));
    const [assignmentCol, workerCol] = ['ASSIGNMENT:assignment_id', 'ASSIGNMENT:worker_id'].map((h) => table[0]?.indexOf(h) ?? -1);
    // Lines 2 to 4: two tasks of one assignment and the first of the next.
    const picked = new Map(table.slice(1, 4).map((r) => [r[assignmentCol ?? -1] ?? '', r[workerCol ?? -1] ?? '']));
    assert.equal(picked.size, 2, 'the three rows are of two assignments');

    const editor = await vscode.window.showTextDocument(vscode.Uri.file(results));
    editor.selection = new vscode.Selection(1, 0, 3, 2);
    const balance = sandbox.state.requester.balance;
    const tolokers = new Set(picked.values()).size;
    // A fresh script for each run: the prompter uses its answers up.
    const steps = () => [
      { title: new RegExp(`^Bonus for ${tolokers === 1 ? 'Toloker [0-9a-f]{32}' : '2 Tolokers'} \\(each bonus\\): the amount in US dollars$`), answer: { input: '0.35' } },
      { title: /its title/, answer: { input: 'Nice work' } },
      { title: /its text/, answer: { input: 'Thank you for these answers' } },
      { title: new RegExp(`^Pay 2 bonus\\(es\\), \\$0\\.70 in all, to ${tolokers} Toloker\\(s\\)\\?$`), answer: { confirm: true } },
    ];
    const shown: Shown[] = [];
    const first = await answering(api, steps(), () => vscode.commands.executeCommand<PayResult>('toloka.bonuses.payRow', editor.document.uri), (m) => {
      shown.push(m);
      return undefined;
    });
    assert.deepEqual([first.paid, first.resumed, first.failed], [2, 0, 0]);
    assert.ok(shown.some((m) => m.kind === 'info' && /^Paid 2 bonus\(es\), \$0\.70 in all\. Results: /.test(m.text)), JSON.stringify(shown));
    assert.equal(Math.round((balance - sandbox.state.requester.balance) * 1000) / 1000, 0.7, 'the balance falls by exactly the bonuses');
    const listed = (await collect(client.userBonuses.all())).filter((b) => b.assignment_id !== undefined && picked.has(b.assignment_id));
    assert.deepEqual(listed.map((b) => [b.assignment_id, b.user_id, b.amount, b.public_title?.['EN']]).sort(), [...picked].map(([a, w]) => [a, w, 0.35, 'Nice work']).sort());

    // The same rows, amount and message again: the journal knows they are paid.
    const again = await answering(api, steps(), () => vscode.commands.executeCommand<PayResult>('toloka.bonuses.payRow', editor.document.uri));
    assert.deepEqual([again.paid, again.resumed], [0, 2]);
    assert.equal(Math.round((balance - sandbox.state.requester.balance) * 1000) / 1000, 0.7, 'nothing paid twice');
    assert.equal((await collect(client.userBonuses.all())).filter((b) => b.assignment_id !== undefined && picked.has(b.assignment_id)).length, 2);
  });
});
