/** Results on disk: Toloka's results TSV, JSONL, resuming without duplicates, bans. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { aggregateOnToloka, aggregateResultsFile } from '../../src/files/aggregated';
import { assignmentRows, checkpointFileFor, downloadResults, interruptedDownload, parseTimeRange, resultHeaders, tsvCell } from '../../src/files/results';
import { readTsvRows } from '../../src/files/records';
import { convertCell } from '../../src/files/tasks';
import { majorityVote, ResponseBuilder, type Aggregated, type MethodId, type Responses } from '../../src/aggregation';
import { runInWorker } from '../../src/aggregation/runInWorker';
import { restrictionApplies, type Assignment, type TaskSpec } from '../../src/toloka/models';
import { collect } from '../../src/toloka/paging';
import { repoRoot } from '../runners/provision';
import { classificationProject, harness, poolFor, tasks, until, type Harness } from './fixtures';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tlk-results-'));
const workerFile = path.join(repoRoot, 'dist', 'aggregationWorker.js');
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const spec: TaskSpec = {
  input_spec: {
    text: { type: 'string' },
    n: { type: 'integer', required: false },
    tags: { type: 'array_string', required: false },
    meta: { type: 'json', required: false },
    ok: { type: 'boolean', required: false },
  },
  output_spec: { label: { type: 'string' }, note: { type: 'string', required: false }, probs: { type: 'array_float', required: false } },
};

const assignment: Assignment = {
  id: 'a1',
  task_suite_id: 's1',
  pool_id: '42',
  user_id: 'w9',
  status: 'ACCEPTED',
  reward: 0.05,
  created: '2026-11-01T10:00:00',
  submitted: '2026-11-01T10:02:00',
  accepted: '2026-11-02T08:00:00',
  tasks: [
    { id: 't1', pool_id: '42', input_values: { text: 'a\tb "c"\nd', n: 7, tags: ['x', 'y,z', 'say "hi"'], meta: { k: [1, 'v'] }, ok: true } },
    { id: 't2', pool_id: '42', input_values: { text: 'plain' }, known_solutions: [{ output_values: { label: 'cat' } }], message_on_unknown_solution: 'Look at the ears' },
  ],
  solutions: [{ output_values: { label: 'dog', note: 'fine', probs: [0.25, 0.75] } }, { output_values: { label: 'cat', note: null } }],
};

describe('Results TSV', () => {
  it('writes the header and rows of an assignment exactly as Toloka quotes them', () => {
    const columns = ['link', 'assignment_id', 'task_id', 'worker_id', 'status', 'started', 'accepted', 'reward'] as const;
    const header = resultHeaders(spec, columns).join('\t');
    assert.equal(
      header,
      'INPUT:text\tINPUT:n\tINPUT:tags\tINPUT:meta\tINPUT:ok\tOUTPUT:label\tOUTPUT:note\tOUTPUT:probs\tGOLDEN:label\tGOLDEN:note\tGOLDEN:probs\tHINT:text\t' +
        'ASSIGNMENT:link\tASSIGNMENT:assignment_id\tASSIGNMENT:task_id\tASSIGNMENT:worker_id\tASSIGNMENT:status\tASSIGNMENT:started\tASSIGNMENT:accepted\tASSIGNMENT:reward',
    );
    const expected =
      [
        '"a\tb ""c""\nd"', '7', '"""x"",""y,z"",""say """"hi"""""""', '"{""k"":[1,""v""]}"', 'true',
        'dog', 'fine', '0.25,0.75', '', '', '', '',
        'https://platform.toloka.ai/task/42/s1', 'a1', 't1', 'w9', 'APPROVED', '2026-11-01T10:00:00', '2026-11-02T08:00:00', '0.05',
      ].join('\t') +
      '\n' +
      [
        'plain', '', '', '', '',
        'cat', 'null', '', 'cat', '', '', 'Look at the ears',
        'https://platform.toloka.ai/task/42/s1', 'a1', 't2', 'w9', 'APPROVED', '2026-11-01T10:00:00', '2026-11-02T08:00:00', '0.05',
      ].join('\t') +
      '\n';
    assert.equal(assignmentRows(assignment, { spec, columns, webOrigin: 'https://platform.toloka.ai' }), expected);
  });

  it('reads back through the upload reader to the same values', async () => {
    const file = path.join(dir, 'roundtrip.tsv');
    fs.writeFileSync(file, resultHeaders(spec, ['task_id']).map(tsvCell).join('\t') + '\n' + assignmentRows(assignment, { spec, columns: ['task_id'] }));
    const rows: string[][] = [];
    for await (const r of readTsvRows(file)) rows.push(r.value as string[]);
    const [headers, first] = rows as [string[], string[]];
    const cell = (name: string): string => first[headers.indexOf(name)] ?? '';
    const input = assignment.tasks[0]?.input_values ?? {};
    for (const field of ['text', 'n', 'tags', 'meta', 'ok'] as const) assert.deepEqual(convertCell(spec.input_spec[field], cell(`INPUT:${field}`)), input[field], field);
    assert.deepEqual(convertCell(spec.output_spec['probs'], cell('OUTPUT:probs')), [0.25, 0.75]);
  });
});

describe('Start-time range', () => {
  it('reads FROM..TO as UTC date-times, either side optional, and says what is wrong', () => {
    assert.deepEqual(parseTimeRange(''), {});
    assert.deepEqual(parseTimeRange('2026-11-01..2026-11-20T12:00'), { from: '2026-11-01T00:00:00.000', to: '2026-11-20T12:00:00.000' });
    assert.deepEqual(parseTimeRange('..2026-11-20'), { to: '2026-11-20T00:00:00.000' });
    assert.deepEqual(parseTimeRange('2026-11-01T10:00+02:00..'), { from: '2026-11-01T08:00:00.000' });
    assert.equal(parseTimeRange('2026-11-20..2026-11-01'), 'The range ends before it starts');
    const refusal = (text: string): string => {
      const r = parseTimeRange(text);
      assert.equal(typeof r, 'string', `${text} is refused`);
      return r as string;
    };
    assert.match(refusal('yesterday..'), /"yesterday" is not a date/);
    assert.match(refusal('2026-11-01'), /Write FROM\.\.TO/);
  });
});

describe('Bans', () => {
  it('keep a Toloker out of the pools their scope covers until will_expire, read as UTC wherever the machine is', () => {
    const pool = { id: 'p1', project_id: 'j1' };
    const now = Date.parse('2026-11-24T12:00:00Z');
    const zone = process.env['TZ'];
    process.env['TZ'] = 'Asia/Kolkata'; // UTC+5:30: a local-time reading would put every expiry hours off
    try {
      assert.equal(restrictionApplies({ scope: 'POOL', pool_id: 'p1' }, pool, now), true);
      assert.equal(restrictionApplies({ scope: 'POOL', pool_id: 'p2' }, pool, now), false);
      assert.equal(restrictionApplies({ scope: 'PROJECT', project_id: 'j1' }, pool, now), true);
      assert.equal(restrictionApplies({ scope: 'PROJECT', project_id: 'j2' }, pool, now), false);
      assert.equal(restrictionApplies({ scope: 'ALL_PROJECTS' }, pool, now), true);
      assert.equal(restrictionApplies({ scope: 'SYSTEM' }, pool, now), true);
      assert.equal(restrictionApplies({ scope: 'ALL_PROJECTS', will_expire: '2026-11-24T13:00:00' }, pool, now), true, 'an hour to go');
      assert.equal(restrictionApplies({ scope: 'ALL_PROJECTS', will_expire: '2026-11-24T11:00:00' }, pool, now), false, 'expired an hour ago');
    } finally {
      if (zone === undefined) delete process.env['TZ'];
      else process.env['TZ'] = zone;
    }
  });
});

describe('Downloading results', () => {
  let h: Harness;
  let poolId = '';
  let projectSpec: TaskSpec;
  before(async () => {
    h = await harness({ tolokers: { assignmentsPerSecond: 5000, thinkMs: [1, 3], count: 12, accuracy: [0.7, 0.95] } });
    const project = await h.client.projects.create(classificationProject);
    projectSpec = project.task_spec;
    const pool = await h.client.pools.create(poolFor(project.id ?? '', { mixer_config: { real_tasks_count: 3, golden_tasks_count: 0, training_tasks_count: 0 } }));
    poolId = pool.id ?? '';
    await h.client.tasks.createMany(tasks(poolId, 90));
    await h.client.operations.wait(await h.client.pools.open(poolId), { firstDelayMs: 10, intervalMs: 20 });
    await until('the pool to complete', async () => (await h.client.pools.get(poolId)).status === 'CLOSED', 30_000);
  });
  after(() => h.stop());

  const statuses = ['SUBMITTED', 'ACCEPTED'] as const;

  it('writes one row per task of each assignment, as the client lists them', async () => {
    const file = path.join(dir, 'full.tsv');
    const result = await downloadResults({ client: h.client, poolId, spec: projectSpec, file, format: 'tsv', statuses: [...statuses], pageSize: 25 });
    const listed = await collect(h.client.assignments.all({ pool_id: poolId, status: [...statuses] }));
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    assert.equal(lines[0], 'INPUT:image\tOUTPUT:result\tGOLDEN:result\tHINT:text\tASSIGNMENT:link\tASSIGNMENT:assignment_id\tASSIGNMENT:task_id\tASSIGNMENT:worker_id\tASSIGNMENT:status\tASSIGNMENT:started');
    const expectedRows = listed.flatMap((a) => a.tasks.map((t, i) => `${String(t.input_values['image'])}\t${String(a.solutions?.[i]?.output_values['result'])}\t\t\t\t${a.id}\t${t.id ?? ''}\t${a.user_id}\t${a.status === 'ACCEPTED' ? 'APPROVED' : a.status}\t${a.created ?? ''}`));
    assert.equal(expectedRows.length, 270); // 90 tasks, overlap 3
    assert.deepEqual(lines.slice(1), expectedRows);
    assert.equal(result.rows, 270);
    assert.equal(result.cancelled, false);
    assert.equal(fs.existsSync(checkpointFileFor(file)), false, 'a finished download leaves no checkpoint');
  });

  it('writes JSON Lines, one assignment per line', async () => {
    const file = path.join(dir, 'full.jsonl');
    await downloadResults({ client: h.client, poolId, spec: projectSpec, file, format: 'jsonl', statuses: [...statuses] });
    const listed = await collect(h.client.assignments.all({ pool_id: poolId, status: [...statuses] }));
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Assignment);
    assert.deepEqual(lines, listed);
  });

  it('resumes after a cancel and after a kill mid-page, never duplicating a row', async () => {
    const whole = path.join(dir, 'whole.tsv');
    await downloadResults({ client: h.client, poolId, spec: projectSpec, file: whole, format: 'tsv', statuses: [...statuses], pageSize: 10 });

    const file = path.join(dir, 'resumed.tsv');
    const controller = new AbortController();
    const first = await downloadResults({
      client: h.client, poolId, spec: projectSpec, file, format: 'tsv', statuses: [...statuses], pageSize: 10, signal: controller.signal,
      onProgress: (p) => p.assignments >= 30 && controller.abort(),
    });
    assert.equal(first.cancelled, true);
    assert.ok(first.rows > 0 && first.rows < 270, `cancelled after ${first.rows} rows`);
    assert.deepEqual(interruptedDownload({ file, poolId, format: 'tsv', statuses: [...statuses] }), { rows: first.rows, assignments: first.assignments });
    // A different choice of columns is a different file: it would not resume.
    assert.equal(interruptedDownload({ file, poolId, format: 'tsv', statuses: [...statuses], columns: ['assignment_id'] }), undefined);

    // A killed process may have written part of a page after its last checkpoint.
    fs.appendFileSync(file, 'half a row of a page that was never checkpointed\tX');
    const second = await downloadResults({ client: h.client, poolId, spec: projectSpec, file, format: 'tsv', statuses: [...statuses], pageSize: 10 });
    assert.equal(second.resumed, true);
    assert.equal(second.resumedRows, first.rows);
    assert.equal(second.rows, 270);
    assert.equal(fs.readFileSync(file, 'utf8'), fs.readFileSync(whole, 'utf8'));
  });

  it('stops at a page the server got wrong, naming the field, with what came before kept for a resume', async () => {
    const assignments = h.sandbox.state.pools.get(poolId)?.data.assignments ?? [];
    const broken = assignments[40] as unknown as { user_id: unknown };
    const original = broken.user_id;
    broken.user_id = 42;
    try {
      const file = path.join(dir, 'broken.tsv');
      await assert.rejects(
        downloadResults({ client: h.client, poolId, spec: projectSpec, file, format: 'tsv', statuses: [...statuses], pageSize: 10 }),
        (e: unknown) => e instanceof Error && /does not fit the expected shape/.test(e.message) && /user_id/.test(e.message),
      );
      assert.deepEqual(interruptedDownload({ file, poolId, format: 'tsv', statuses: [...statuses] })?.assignments, 40, 'the four good pages are kept');
    } finally {
      broken.user_id = original;
    }
  });

  it('leaves out the assignments of Tolokers banned from the pool, on request', async () => {
    const listed = await collect(h.client.assignments.all({ pool_id: poolId, status: [...statuses] }));
    const banned = listed[0]?.user_id ?? '';
    await h.client.userRestrictions.put({ scope: 'POOL', pool_id: poolId, user_id: banned, private_comment: 'spam' });
    const file = path.join(dir, 'no-banned.tsv');
    const result = await downloadResults({ client: h.client, poolId, spec: projectSpec, file, format: 'tsv', statuses: [...statuses], excludeBanned: true, columns: ['worker_id'] });
    const workers = fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(1).map((l) => l.split('\t').pop());
    assert.ok(!workers.includes(banned));
    assert.equal(result.skippedBanned, listed.filter((a) => a.user_id === banned).length);
    assert.equal(workers.length, 270 - listed.filter((a) => a.user_id === banned).reduce((n, a) => n + a.tasks.length, 0));
  });

  it('aggregates a results file locally, and the pool on Toloka, into INPUT/OUTPUT/CONFIDENCE rows', async () => {
    const results = path.join(dir, 'for-aggregation.tsv');
    await downloadResults({ client: h.client, poolId, spec: projectSpec, file: results, format: 'tsv', statuses: ['ACCEPTED'], columns: ['task_id', 'worker_id'] });
    const output = path.join(dir, 'aggregated-mv.tsv');
    const local = await aggregateResultsFile({ input: results, field: 'result', method: 'mv', output });
    assert.equal(local.tasks, 90);

    // The same votes counted straight from the API.
    const listed = await collect(h.client.assignments.all({ pool_id: poolId, status: ['ACCEPTED'] }));
    const b = new ResponseBuilder();
    const image = new Map<string, string>();
    for (const a of listed) {
      a.tasks.forEach((t, i) => {
        b.add(a.user_id, t.id ?? '', String(a.solutions?.[i]?.output_values['result']));
        image.set(t.id ?? '', String(t.input_values['image']));
      });
    }
    const r = b.build();
    const mv = majorityVote(r);
    const expected = new Map(r.taskNames.map((t, i) => [image.get(t), `${r.labelNames[mv.labels[i] as number]}\t${Math.round((mv.confidence[i] as number) * 1e6) / 1e6}`]));
    const [header, ...rows] = fs.readFileSync(output, 'utf8').trimEnd().split('\n');
    assert.equal(header, 'INPUT:image\tOUTPUT:result\tCONFIDENCE:result');
    assert.deepEqual(new Map(rows.map((row) => { const [img, label, conf] = row.split('\t'); return [img, `${label}\t${conf}`]; })), expected);

    const server = path.join(dir, 'aggregated-ds.tsv');
    const remote = await aggregateOnToloka({ client: h.client, poolId, spec: projectSpec, field: 'result', how: { type: 'DAWID_SKENE' }, output: server });
    assert.equal(remote.operation.status, 'SUCCESS');
    assert.equal(remote.tasks, 90);
    const serverRows = fs.readFileSync(server, 'utf8').trimEnd().split('\n').slice(1).map((row) => row.split('\t'));
    assert.deepEqual(new Set(serverRows.map((c) => c[0])), new Set(image.values()), 'every task with its input');
    assert.ok(serverRows.every((c) => ['cat', 'dog', 'other'].includes(c[1] ?? '') && Number(c[2]) > 0 && Number(c[2]) <= 1));
  });

  it('aggregates in the worker thread as the command does, and a cancel there writes nothing', async () => {
    const results = path.join(dir, 'for-worker.tsv');
    await downloadResults({ client: h.client, poolId, spec: projectSpec, file: results, format: 'tsv', statuses: ['ACCEPTED'], columns: ['task_id', 'worker_id'] });
    const run = (m: MethodId, r: Responses, s?: AbortSignal): Promise<Aggregated> => runInWorker(workerFile, m, r, s);
    const here = path.join(dir, 'ds-here.tsv');
    const there = path.join(dir, 'ds-there.tsv');
    const stages: string[] = [];
    await aggregateResultsFile({ input: results, field: 'result', method: 'ds', output: here });
    await aggregateResultsFile({ input: results, field: 'result', method: 'ds', output: there, run, onStage: (s) => stages.push(s) });
    assert.equal(fs.readFileSync(there, 'utf8'), fs.readFileSync(here, 'utf8'));
    assert.deepEqual(stages, ['reading', 'aggregating', 'writing']);

    const cancelled = path.join(dir, 'ds-cancelled.tsv');
    const controller = new AbortController();
    await assert.rejects(
      aggregateResultsFile({ input: results, field: 'result', method: 'glad', output: cancelled, run, signal: controller.signal, onStage: (s) => s === 'aggregating' && controller.abort() }),
      /cancelled/,
    );
    assert.equal(fs.existsSync(cancelled), false);
  });
});
