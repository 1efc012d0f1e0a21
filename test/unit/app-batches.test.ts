/** Create Batch from File's engine: items into one new app batch, journaled so a rerun adds nothing twice. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sendItems } from '../../src/files/appItems';
import { harness, type Harness } from './fixtures';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tlk-batches-'));

describe('Items from a file into an app batch', () => {
  let h: Harness;
  let appProjectId = '';
  before(async () => {
    h = await harness({ tolokers: { assignmentsPerSecond: 0 } });
    appProjectId = (await h.client.apps.createProject({ app_id: 'text-classification', name: 'Batches', parameters: { categories: ['a', 'b'] } })).id ?? '';
  });
  after(async () => h.stop());

  const batches = () => [...h.sandbox.state.appBatches.values()].filter((b) => b.api.app_project_id === appProjectId);
  const inBatch = (id: string) => (h.sandbox.state.appItems.get(appProjectId) ?? []).filter((i) => i.api.batch_id === id);

  it('puts every item in one new batch, in requests of batchSize, and a rerun adds nothing', async () => {
    const file = path.join(dir, 'items.jsonl');
    fs.writeFileSync(file, Array.from({ length: 5 }, (_, i) => JSON.stringify({ text: `item ${i}` })).join('\n'));
    const r = await sendItems({ client: h.client, file, format: 'jsonl', appProjectId, batchSize: 2, batch: { name: 'From items.jsonl' } });
    assert.equal(r.sent, 5);
    assert.equal(batches().length, 1);
    const id = r.batchId ?? '';
    assert.equal(batches()[0]?.api.id, id);
    assert.equal(batches()[0]?.api.name, 'From items.jsonl');
    assert.deepEqual(inBatch(id).map((i) => i.api.input_data['text']), [0, 1, 2, 3, 4].map((i) => `item ${i}`));
    assert.equal((await h.client.apps.batch(appProjectId, id)).item_count, 5);

    const again = await sendItems({ client: h.client, file, format: 'jsonl', appProjectId, batchSize: 2, batch: { name: 'From items.jsonl' } });
    assert.deepEqual([again.sent, again.resumed, again.batchId], [0, 5, id]);
    assert.equal(batches().length, 1);
    assert.equal(inBatch(id).length, 5);
  });

  it('after a crash past the first request, a rerun adds the rest to the same batch', async () => {
    const file = path.join(dir, 'crash.json');
    fs.writeFileSync(file, JSON.stringify(Array.from({ length: 4 }, (_, i) => ({ text: `c ${i}` }))));
    const journalFile = `${file}.toloka-batch.jsonl`;
    const first = await sendItems({ client: h.client, file, format: 'json', appProjectId, batchSize: 2, batch: { name: 'Crash' } });
    const id = first.batchId ?? '';
    // As if the process died after the first request: its second batch never went out.
    const lines = fs.readFileSync(journalFile, 'utf8').trim().split('\n');
    fs.writeFileSync(journalFile, `${lines.filter((l) => !l.includes('"batch":1')).join('\n')}\n`);
    for (const rec of inBatch(id).slice(2)) (h.sandbox.state.appItems.get(appProjectId) ?? []).splice((h.sandbox.state.appItems.get(appProjectId) ?? []).indexOf(rec), 1);
    const before = batches().length;
    const rerun = await sendItems({ client: h.client, file, format: 'json', appProjectId, batchSize: 2, batch: { name: 'Crash' } });
    assert.deepEqual([rerun.sent, rerun.resumed, rerun.batchId], [2, 2, id]);
    assert.equal(batches().length, before, 'no new batch');
    assert.deepEqual(inBatch(id).map((i) => i.api.input_data['text']), ['c 0', 'c 1', 'c 2', 'c 3']);
  });

  it('a streaming send and a batch of the same file keep their journals apart', async () => {
    const file = path.join(dir, 'both.jsonl');
    fs.writeFileSync(file, JSON.stringify({ text: 'both' }));
    assert.equal((await sendItems({ client: h.client, file, format: 'jsonl', appProjectId })).sent, 1);
    const b = await sendItems({ client: h.client, file, format: 'jsonl', appProjectId, batch: { name: 'Both' } });
    assert.equal(b.sent, 1);
    assert.equal(inBatch(b.batchId ?? '').length, 1);
  });
});
