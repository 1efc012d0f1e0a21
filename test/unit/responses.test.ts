/** Reading responses for aggregation (CSV and results TSV), and the `npm run aggregate` tool. */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { Responses } from '../../src/aggregation';
import { readResponsesCsv, readResponsesFromResults, ResponsesFileError } from '../../src/files/responses';
import { repoRoot } from '../runners/provision';
import { datasetPath, itWithDatasets } from './helpers/datasets';
import { tempFiles } from './helpers/tempFiles';

const { dir, file } = tempFiles('tlk-responses-');

function triples(r: Responses): string[] {
  return Array.from(r.tasks, (_, i) => `${r.workerNames[r.workers[i] as number]}|${r.taskNames[r.tasks[i] as number]}|${r.labelNames[r.labels[i] as number]}`);
}

describe('Responses for aggregation', () => {
  it('reads worker,task,label CSV in any column order, with quotes, CRLF, a BOM and no final newline', async () => {
    const f = file('\uFEFFtask,extra,label,worker\r\nt1,x,cat,w1\r\n"t,2",y,"a ""dog""",w2\r\nt1,z,,w3\r\nt1,,cat,w2');
    const r = await readResponsesCsv(f);
    assert.deepEqual(triples(r), ['w1|t1|cat', 'w2|t,2|a "dog"', 'w2|t1|cat']);
    assert.deepEqual(r.taskNames, ['t1', 't,2']);
  });

  it('reads a file larger than its 4 MiB buffer without losing the lines that straddle chunks', async () => {
    const lines = ['worker,task,label'];
    for (let i = 0; i < 300_000; i++) lines.push(`worker-${i % 977},task-number-${i},label-${i % 7}`);
    const f = file(lines.join('\n') + '\n');
    assert.ok(fs.statSync(f).size > 8 << 20);
    const r = await readResponsesCsv(f);
    assert.equal(r.tasks.length, 300_000);
    assert.equal(r.taskNames.length, 300_000);
    assert.equal(r.workerNames.length, 977);
    assert.equal(r.labelNames.length, 7);
    for (const i of [0, 123_456, 299_999]) assert.equal(triples(r)[i], `worker-${i % 977}|task-number-${i}|label-${i % 7}`);
  });

  it('names the file, the line and what is wrong', async () => {
    const noLabel = file('worker,task,answer\nw,t,a\n');
    await assert.rejects(readResponsesCsv(noLabel), (e: unknown) => e instanceof ResponsesFileError && e.message === `${noLabel}:1: the header must name the columns worker, task and label; missing: label`);
    const short = file('worker,task,label\nw1,t1,a\nw2,t2\n');
    await assert.rejects(readResponsesCsv(short), (e: unknown) => e instanceof ResponsesFileError && e.message === `${short}:3: expected at least 3 columns, found 2`);
  });

  it('reads a results TSV: ASSIGNMENT:worker_id, OUTPUT:<field>, tasks by id, control tasks left out on request', async () => {
    const tsv = file(
      [
        'INPUT:image\tOUTPUT:label\tGOLDEN:label\tASSIGNMENT:task_id\tASSIGNMENT:worker_id',
        'http://x/1.png\tcat\t\tt1\tw1',
        'http://x/1.png\tdog\t\tt1\tw2',
        'http://x/2.png\tdog\tdog\tt2\tw1',
        'http://x/3.png\t\t\tt3\tw2',
      ].join('\n'),
      'tsv',
    );
    const all = await readResponsesFromResults(tsv, 'label');
    assert.deepEqual(triples(all.responses), ['w1|t1|cat', 'w2|t1|dog', 'w1|t2|dog']);
    assert.deepEqual(all.inputHeaders, ['INPUT:image']);
    assert.deepEqual(all.inputs[1], ['http://x/2.png']);
    const general = await readResponsesFromResults(tsv, 'label', { excludeControl: true });
    assert.deepEqual(triples(general.responses), ['w1|t1|cat', 'w2|t1|dog']);
    assert.equal(general.skippedControl, 1);
    await assert.rejects(readResponsesFromResults(tsv, 'result'), /OUTPUT:result; the file has OUTPUT:label/);
  });

  it('a cancelled read of a results file fails rather than returning part of it', async () => {
    const lines = ['ASSIGNMENT:worker_id\tASSIGNMENT:task_id\tOUTPUT:y'];
    for (let i = 0; i < 200_000; i++) lines.push(`w${i % 50}\tt${i}\tlabel`);
    const tsv = file(lines.join('\n'), 'tsv');
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(readResponsesFromResults(tsv, 'y', { signal: controller.signal }), /cancelled/);
  });

  it('without ASSIGNMENT:task_id, the INPUT: values identify a task', async () => {
    const tsv = file(['INPUT:a\tINPUT:b\tOUTPUT:y\tASSIGNMENT:worker_id', '1\tx\tp\tw1', '1\ty\tq\tw1', '1\tx\tq\tw2'].join('\n'), 'tsv');
    const { responses } = await readResponsesFromResults(tsv, 'y');
    assert.equal(responses.taskNames.length, 2);
    assert.deepEqual(Array.from(responses.tasks), [0, 1, 0]);
  });

  itWithDatasets('toloka aggregate: majority vote on a shared dataset matches crowd-kit, from CSV and from a results TSV', () => {
    const dataset = datasetPath('dog');
    const expected = new Map(
      fs.readFileSync(path.join(dataset, 'crowdkit_pred.csv'), 'utf8').trim().split('\n').slice(1).map((l) => {
        const [task, mv] = l.split(',');
        return [task ?? '', mv ?? ''];
      }),
    );
    const cli = path.join(repoRoot, 'dist', 'cli', 'toloka.mjs');
    const read = (f: string): Map<string, string> =>
      new Map(fs.readFileSync(f, 'utf8').trim().split('\n').slice(1).map((l) => l.split(',') as [string, string]));

    const out = path.join(dir, 'dog-mv.csv');
    const run = spawnSync(process.execPath, [cli, 'aggregate', '--method', 'mv', '--input', path.join(dataset, 'labels.csv'), '--output', out], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(read(out), expected);

    // The same answers as a results TSV.
    const rows = fs.readFileSync(path.join(dataset, 'labels.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    const tsv = file(['ASSIGNMENT:worker_id\tASSIGNMENT:task_id\tOUTPUT:breed', ...rows.map(([w, t, l]) => `${w}\t${t}\t${l}`)].join('\n'), 'tsv');
    const out2 = path.join(dir, 'dog-mv-tsv.csv');
    const run2 = spawnSync(process.execPath, [cli, 'aggregate', '--method', 'mv', '--input', tsv, '--field', 'breed', '--output', out2], { encoding: 'utf8' });
    assert.equal(run2.status, 0, run2.stderr);
    assert.deepEqual(read(out2), expected);

    const bad = spawnSync(process.execPath, [cli, 'aggregate', '--method', 'em', '--input', tsv, '--output', out2], { encoding: 'utf8' });
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, /unknown method "em"; choose one of mv, wawa, ds, glad, zbs/);
  });
});
