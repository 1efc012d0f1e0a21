/** Bonuses: the sandbox's /user-bonuses as Toloka answers it, and paying a TSV exactly once whatever happens on the way. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { bonusJournalFor, bonusResultsFor, BonusFileChanged, describeBonusError, payBonuses, readBonusFile } from '../../src/files/bonuses';
import { tolokerData } from '../../src/sandbox/tolokerState';
import { isTolokaError, TolokaError } from '../../src/toloka/errors';
import { harness, type Harness } from './fixtures';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tlk-bonus-'));

function bonusesOf(h: Harness) {
  return [...tolokerData(h.sandbox.state).bonuses.values()];
}

describe('sandbox /user-bonuses', () => {
  let h: Harness;
  let worker = '';
  before(async () => {
    h = await harness({ quotas: false, tolokers: { assignmentsPerSecond: 0 } }, { maxAttempts: 20, baseDelayMs: 2, maxDelayMs: 100 });
    worker = h.sandbox.tolokers.workers[0]?.id ?? '';
  });
  after(() => h.stop());
  beforeEach(() => {
    h.sandbox.state.requester.balance = 1000;
  });

  it('issues one bonus synchronously, lowers the balance, and gets and lists it by Toloker', async () => {
    const b = await h.client.userBonuses.create({ user_id: worker, amount: 1.5, public_title: { EN: 'Thanks' }, public_message: { EN: 'Good work' }, private_comment: 'sync' });
    assert.equal(b.amount, 1.5);
    assert.match(b.id, /^\d+$/);
    assert.equal((await h.client.requester.get()).balance, 998.5);
    assert.deepEqual((await h.client.userBonuses.get(b.id)).user_id, worker);
    const mine = [];
    for await (const x of h.client.userBonuses.all({ user_id: worker })) mine.push(x.id);
    assert.ok(mine.includes(b.id));
    const none = [];
    for await (const x of h.client.userBonuses.all({ user_id: 'f'.repeat(32) })) none.push(x.id);
    assert.deepEqual(none, []);
  });

  it('issues an array synchronously and asynchronously under the given operation_id, logged per bonus', async () => {
    const w2 = h.sandbox.tolokers.workers[1]?.id ?? '';
    const sync = await h.client.userBonuses.createMany([{ user_id: worker, amount: 0.01, without_message: true, public_title: null, public_message: null }, { user_id: w2, amount: 0.02, without_message: true }]);
    assert.deepEqual(Object.keys(sync.items), ['0', '1']);
    const opId = '0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9';
    const op = await h.client.userBonuses.createAsync([{ user_id: worker, amount: 0.5, without_message: true }, { user_id: w2, amount: 0.25, without_message: true }], { operationId: opId });
    assert.equal(op.id, opId);
    assert.equal(op.type, 'USER_BONUS.BATCH_CREATE');
    const done = await h.client.operations.wait(op, { firstDelayMs: 10, intervalMs: 10 });
    assert.equal(done.status, 'SUCCESS');
    const log = await h.client.operations.log(opId);
    assert.deepEqual(log.map((e) => e.type), ['USER_BONUS_PERSIST', 'USER_BONUS_PERSIST']);
    assert.ok(log.every((e) => typeof e.output?.['user_bonus_id'] === 'string'));
    assert.equal(h.sandbox.state.requester.balance, 1000 - 0.03 - 0.75);
    await assert.rejects(h.client.userBonuses.createAsync([{ user_id: worker, amount: 0.5, without_message: true }], { operationId: opId }), (e) => isTolokaError(e, 'conflict') && e.code === 'OPERATION_ALREADY_EXISTS');
  });

  it("answers Toloka's 409 when the balance cannot cover the bonuses, shown in words, and pays nothing", async () => {
    h.sandbox.state.requester.balance = 1;
    const before = bonusesOf(h).length;
    const err = await h.client.userBonuses.create({ user_id: worker, amount: 2, without_message: true }).catch((e: unknown) => e);
    assert.ok(isTolokaError(err, 'conflict'));
    assert.equal(err.status, 409);
    assert.equal(err.code, 'NOT_ENOUGH_BALANCE');
    assert.match(describeBonusError(err) ?? '', /balance does not cover these bonuses/);
    await assert.rejects(h.client.userBonuses.createAsync([{ user_id: worker, amount: 0.6, without_message: true }, { user_id: worker, amount: 0.7, without_message: true }]), (e) => isTolokaError(e, 'conflict') && e.code === 'NOT_ENOUGH_BALANCE');
    assert.equal(bonusesOf(h).length, before);
    assert.equal(h.sandbox.state.requester.balance, 1);
  });

  it("refuses the same bonus twice in one request with Toloka's ENTITY_CONFLICT, and an unknown Toloker or amount out of range by field", async () => {
    const same = { user_id: worker, amount: 0.1, public_title: { EN: 'a' }, public_message: { EN: 'b' } };
    await assert.rejects(h.client.userBonuses.createMany([same, same]), (e) => isTolokaError(e, 'conflict') && e.code === 'ENTITY_CONFLICT');
    await assert.rejects(h.client.userBonuses.create({ ...same, user_id: 'a'.repeat(32) }), (e) => isTolokaError(e, 'validation') && e.fieldErrors.some((f) => f.field === 'user_id' && f.code === 'ENTITY_DOES_NOT_EXIST'));
    const raw = await fetch(`${h.sandbox.apiRoot}/v1/user-bonuses`, { method: 'POST', headers: { Authorization: 'OAuth x', 'Content-Type': 'application/json' }, body: JSON.stringify({ ...same, amount: 100.5 }) });
    assert.equal(raw.status, 400);
    assert.equal(((await raw.json()) as { payload: Record<string, { code: string }> }).payload['amount']?.code, 'VALUE_GREATER_THAN_MAX');
  });
});

describe('readBonusFile', () => {
  it('names every bad row by line: amount ≤0, over the limit, not a number, a bad worker id, a duplicate, a missing message', () => {
    const w = 'a'.repeat(32);
    const text = [
      'worker_id\tamount\tpublic_title\tpublic_message\tpublic_title:DE\tpublic_message:DE',
      `${w}\t0.5\tThanks\tWell done\tDanke\tGut gemacht`,
      `${w}\t0\tT\tM`,
      `${w}\t-1\tT\tM`,
      `${w}\t101\tT\tM`,
      `${w}\tabc\tT\tM`,
      `not-a-worker\t1\tT\tM`,
      `${w}\t0.5\tThanks\tWell done\tDanke\tGut gemacht`,
      `${w}\t1\t\t`,
      '',
    ].join('\n');
    const f = readBonusFile(text);
    assert.equal(f.rows.length, 1);
    assert.deepEqual(f.rows[0]?.bonus.public_title, { EN: 'Thanks', DE: 'Danke' });
    assert.deepEqual(f.problems.map((p) => p.line), [3, 4, 5, 6, 7, 8, 9]);
    const say = (line: number): string => f.problems.find((p) => p.line === line)?.problems.join('; ') ?? '';
    assert.match(say(3), /more than 0/);
    assert.match(say(4), /more than 0/);
    assert.match(say(5), /over Toloka's limit/);
    assert.match(say(6), /not a number/);
    assert.match(say(7), /not a Toloker id/);
    assert.match(say(8), /duplicate of line 2/);
    assert.match(say(9), /needs public_title and public_message/);
  });
});

describe('payBonuses', () => {
  let h: Harness;
  let workers: string[] = [];
  before(async () => {
    h = await harness({ quotas: false, tolokers: { assignmentsPerSecond: 0, count: 40 } }, { maxAttempts: 20, baseDelayMs: 2, maxDelayMs: 100 });
    workers = h.sandbox.tolokers.workers.map((w) => w.id);
  });
  after(() => h.stop());

  function file(name: string, n: number): string {
    const f = path.join(dir, name);
    fs.writeFileSync(f, ['worker_id\tamount\twithout_message\tprivate_comment', ...workers.slice(0, n).map((w, i) => `${w}\t${(0.01 * (i + 1)).toFixed(2)}\ttrue\t${name}`)].join('\n') + '\n');
    return f;
  }

  function paidIn(name: string): Map<string, number> {
    const per = new Map<string, number>();
    for (const b of bonusesOf(h)) if (b.private_comment === name) per.set(b.user_id, (per.get(b.user_id) ?? 0) + 1);
    return per;
  }

  it('pays every row once across a run stopped after the first batch was sent, and a lost answer; the balance falls by exactly the total', async () => {
    const f = file('crash.tsv', 40);
    const checked = readBonusFile(fs.readFileSync(f, 'utf8'));
    assert.equal(checked.problems.length, 0);
    const balance = h.sandbox.state.requester.balance;
    const stop = new AbortController();
    await assert.rejects(
      payBonuses(checked, { client: h.client, file: f, apiRoot: h.sandbox.apiRoot, batchSize: 10, pollMs: 5, signal: stop.signal, onProgress: (p) => p.sentBatch === 1 && stop.abort() }),
      (e: Error) => e.name === 'AbortError' || isTolokaError(e, 'cancelled'),
    );
    const journal = fs.readFileSync(bonusJournalFor(f, h.sandbox.apiRoot), 'utf8');
    assert.match(journal, /"t":"sent","batch":1/);
    assert.doesNotMatch(journal, /"t":"done","batch":1/);
    // Second run: Toloka takes batch 2 and its answer is lost, so the resend finds the operation id
    // in use (409); then batch 3 is taken, its answer lost, and the run ends there.
    const api = h.client.userBonuses;
    const original = api.createAsync.bind(api);
    let calls = 0;
    api.createAsync = async (...args) => {
      calls++;
      const op = await original(...args);
      if (calls === 1) return await original(...args);
      if (calls === 2) throw new TolokaError({ kind: 'network', code: 'ECONNRESET', message: 'the answer was lost' });
      return op;
    };
    await assert.rejects(payBonuses(checked, { client: h.client, file: f, apiRoot: h.sandbox.apiRoot, batchSize: 10, pollMs: 5 }), (e) => isTolokaError(e, 'network'));
    assert.equal(calls, 2);
    // Third run: batch 3 is looked up by its operation id; nothing is sent.
    const result = await payBonuses(checked, { client: h.client, file: f, apiRoot: h.sandbox.apiRoot, batchSize: 10, pollMs: 5 });
    assert.equal(calls, 2, 'the rerun sent nothing');
    api.createAsync = original;
    assert.equal(result.paid + result.resumed, 40);
    assert.equal(result.failed, 0);
    const per = paidIn('crash.tsv');
    assert.equal(per.size, 40);
    assert.ok([...per.values()].every((n) => n === 1), 'nobody paid twice');
    const total = checked.total;
    assert.equal(Math.round((balance - h.sandbox.state.requester.balance) * 1000) / 1000, total);
    const rows = fs.readFileSync(bonusResultsFor(f, h.sandbox.apiRoot), 'utf8').trim().split('\n');
    assert.equal(rows.length, 41, 'a header and one result row per bonus');
    assert.ok(rows.slice(1).every((r) => r.split('\t')[3] === 'PAID'));
    // A third run pays nothing more.
    const again = await payBonuses(checked, { client: h.client, file: f, apiRoot: h.sandbox.apiRoot, batchSize: 10, pollMs: 5 });
    assert.equal(again.paid, 0);
    assert.equal(again.resumed, 40);
    assert.equal(paidIn('crash.tsv').size, 40);
  });

  it('refuses to pay a file that changed after bonuses were paid from it', async () => {
    const f = file('changed.tsv', 3);
    await payBonuses(readBonusFile(fs.readFileSync(f, 'utf8')), { client: h.client, file: f, apiRoot: h.sandbox.apiRoot, pollMs: 5 });
    fs.appendFileSync(f, `${workers[5] ?? ''}\t0.05\ttrue\tchanged.tsv\n`);
    await assert.rejects(payBonuses(readBonusFile(fs.readFileSync(f, 'utf8')), { client: h.client, file: f, apiRoot: h.sandbox.apiRoot, pollMs: 5 }), BonusFileChanged);
    assert.equal(paidIn('changed.tsv').size, 3);
  });
});

describe('/user-metadata/:id', () => {
  it("tells a sandbox Toloker's country, languages and device, the same every time, and 404 for nobody", async () => {
    const h = await harness({ quotas: false, tolokers: { assignmentsPerSecond: 0, count: 2 } });
    try {
      const id = h.sandbox.tolokers.workers[0]?.id ?? '';
      const m = await h.client.userMetadata.get(id);
      assert.equal(m.id, id);
      assert.match(m.country ?? '', /^[A-Z]{2}$/);
      assert.ok(m.languages?.includes('EN'));
      assert.deepEqual(await h.client.userMetadata.get(id), m);
      await assert.rejects(h.client.userMetadata.get('0'.repeat(32)), (e) => isTolokaError(e, 'not-found'));
    } finally {
      await h.stop();
    }
  });
});
