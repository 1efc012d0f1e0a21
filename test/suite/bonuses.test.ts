import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { PayResult } from '../../src/files/bonuses';
import { bonusResultsFor } from '../../src/files/bonuses';
import { startSandbox, type Sandbox } from '../../src/sandbox/server';
import { tolokerData } from '../../src/sandbox/tolokerState';
import type { TolokaTestApi } from '../../src/testSeam';
import { activateExtension, eventually, resetEnvironment, useSandbox, workspaceFile } from './extension';
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

  before(async () => {
    sandbox = await startSandbox({ quotas: false, tolokers: { assignmentsPerSecond: 0, count: 250 } });
    workers = sandbox.tolokers.workers.map((w) => w.id);
    api = await activateExtension();
    await useSandbox(api, sandbox.origin);
  });

  after(async () => {
    await resetEnvironment();
    await sandbox.stop();
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
});
