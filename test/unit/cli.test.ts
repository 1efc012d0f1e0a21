/** The `toloka` command line, run from the build as CI runs it: help, usage errors, exit codes, the sandbox. */
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { UsageError } from '../../src/cli/args';
import { parseFaults } from '../../src/cli/commands/sandbox';
import { connect } from '../../src/cli/connection';
import { silentLogger } from '../../src/toloka/logger';
import { TolokaClient } from '../../src/toloka/client';
import { startSandboxProcess } from '../../scripts/bench/sandboxProcess';
import { repoRoot } from '../runners/provision';
import { startSandbox } from '../../src/sandbox/server';
import { drawCrowd, parseCrowd } from '../../src/sandbox/dryrun/crowd';
import { classificationProject, poolFor, until } from './fixtures';

const bin = path.join(repoRoot, 'dist', 'cli', 'toloka.mjs');
const toloka = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, TOLOKA_API_TOKEN: '' } });

describe('toloka command line', () => {
  it('lists its commands with --help, prints its version, and exits 1 with usage on no command', () => {
    const help = toloka('--help');
    assert.equal(help.status, 0);
    assert.match(help.stdout, /usage: toloka <command>/);
    assert.match(help.stdout, /aggregate .*\n.*metrics .*\n.*sandbox/);
    const version = toloka('--version');
    assert.equal(version.stdout.trim(), (JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version);
    const none = toloka();
    assert.equal(none.status, 1);
    assert.match(none.stderr, /usage: toloka <command>/);
  });

  it('gives each subcommand its own --help, and refuses unknown commands, flags and missing values with the usage line', () => {
    const help = toloka('aggregate', '--help');
    assert.equal(help.status, 0);
    assert.match(help.stdout, /--method <mv\|wawa\|ds\|glad/);
    for (const [args, message] of [
      [['frobnicate'], /unknown command "frobnicate"/],
      [['aggregate', '--methd', 'mv'], /toloka aggregate: unknown option --methd\nusage: toloka aggregate/],
      [['aggregate', '--method'], /--method needs a value/],
      [['aggregate', '--method', 'mv', '--input', 'x.csv'], /--output: is required/],
      [['sandbox', '--port', 'eighty'], /--port: a port is a number/],
      [['sandbox', '--faults', 'error=2'], /--faults: error takes a rate from 0 to 1, not "2"/],
    ] as const) {
      const r = toloka(...args);
      assert.equal(r.status, 1, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message, args.join(' '));
    }
  });

  it('reads fault settings as the sandbox takes them', () => {
    assert.deepEqual(parseFaults('error=0.1, reset=0.05,reset-after=0.05,rps=20,latency=50,retry-after=1'), { errorRate: 0.1, resetRate: 0.05, resetAfterRate: 0.05, requestsPerSecond: 20, latencyMs: 50, retryAfterSeconds: 1 });
    assert.throws(() => parseFaults('boom=1'), UsageError);
  });

  it('takes the token from TOLOKA_API_TOKEN only, and --api-url only where it means something', () => {
    assert.throws(() => connect({ env: 'production', verbose: false }, {}, silentLogger), /set TOLOKA_API_TOKEN/);
    assert.throws(() => connect({ env: 'sandbox', apiUrl: 'http://evil.example', verbose: false }, { TOLOKA_API_TOKEN: 't' }, silentLogger), /--api-url is for the custom and local environments/);
    assert.throws(() => connect({ env: 'custom', verbose: false }, { TOLOKA_API_TOKEN: 't' }, silentLogger), /--env custom needs --api-url/);
    assert.equal(connect({ env: 'custom', apiUrl: 'http://127.0.0.1:8800/', verbose: false }, { TOLOKA_API_TOKEN: 't' }, silentLogger).apiRoot, 'http://127.0.0.1:8800/api');
    assert.equal(connect({ env: 'local', verbose: false }, {}, silentLogger).apiRoot, 'http://127.0.0.1:8999/api');
    assert.equal(connect({ env: 'production', verbose: false }, { TOLOKA_API_TOKEN: 't' }, silentLogger).apiRoot, 'https://toloka.dev/api');
  });

  it('--crowd gives the sandbox a crowd of archetypes, and a bad crowd file is named by its field', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tlk-cli-'));
    try {
      const bad = path.join(dir, 'bad-crowd.json');
      fs.writeFileSync(bad, JSON.stringify({ archetypes: [{ name: 'x', share: 1, accuracy: 2 }] }));
      const r = toloka('sandbox', '--port', '0', '--crowd', bad);
      assert.equal(r.status, 1);
      assert.match(r.stderr, /bad-crowd\.json: archetypes\.0\.accuracy: /);
      const good = path.join(dir, 'crowd.json');
      const spec = { size: 5, archetypes: [{ name: 'careful', share: 1, accuracy: 0.9 }] };
      fs.writeFileSync(good, JSON.stringify(spec));
      const sandbox = await startSandboxProcess(['--no-tolokers', '--seed', '4', '--crowd', good]);
      try {
        const client = new TolokaClient({ baseUrl: sandbox.apiRoot, credential: 'x' });
        // The crowd's Tolokers are the sandbox's: each has a profile, drawn from the seed.
        for (const m of drawCrowd(parseCrowd(spec), 4)) assert.equal((await client.userMetadata.get(m.id)).id, m.id);
      } finally {
        sandbox.stop();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs the sandbox until Ctrl+C, then saves its state and exits 130', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tlk-cli-'));
    const data = path.join(dir, 'state.jsonl');
    const sandbox = await startSandboxProcess(['--no-tolokers', '--data', data]);
    const { child } = sandbox;
    try {
      await new TolokaClient({ baseUrl: sandbox.apiRoot, credential: 'x' }).projects.create(classificationProject);
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGINT');
      assert.equal(await exited, 130);
      assert.match(fs.readFileSync(data, 'utf8'), /Is it a cat\?/);
    } finally {
      sandbox.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("enforces Toloka's quota on creating projects: the 21st in a minute is a 429, and --no-quotas lifts it", async () => {
    for (const flags of [[], ['--no-quotas']]) {
      const sandbox = await startSandboxProcess(['--no-tolokers', ...flags]);
      try {
        const statuses: number[] = [];
        for (let i = 0; i < 21; i++) {
          const r = await fetch(`${sandbox.apiRoot}/v1/projects`, { method: 'POST', headers: { Authorization: 'OAuth x', 'Content-Type': 'application/json' }, body: JSON.stringify({ ...classificationProject, public_name: `p${i}` }) });
          statuses.push(r.status);
        }
        assert.deepEqual(statuses.slice(0, 20).every((c) => c === 201), true, statuses.join(','));
        assert.equal(statuses[20], flags.length === 0 ? 429 : 201, flags.join(' ') || 'quotas on');
      } finally {
        sandbox.stop();
      }
    }
  });

  it('uploads a file with the same checks and journal as the extension, and downloads the results', async () => {
    const sandbox = await startSandbox({ quotas: false, tolokers: { assignmentsPerSecond: 3000, thinkMs: [1, 2] } });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tlk-cli-up-'));
    try {
      const client = new TolokaClient({ baseUrl: sandbox.apiRoot, credential: 'x' });
      const project = await client.projects.create(classificationProject);
      const pool = await client.pools.create(poolFor(project.id ?? '', { mixer_config: { real_tasks_count: 1, golden_tasks_count: 0, training_tasks_count: 0 } }));
      const file = path.join(dir, 'cats.jsonl');
      const line = (i: number) => JSON.stringify({ input_values: { image: `https://example.com/${i}.jpg` }, overlap: 1 });
      fs.writeFileSync(file, [line(0), JSON.stringify({ input_values: { image: 7 } }), '{"input_values": {"image": "https://e.com/a", "image": "https://e.com/b"}}', line(3)].join('\n'));
      const env = { ...process.env, TOLOKA_API_TOKEN: '', CI: 'true' };
      // Asynchronously: the sandbox answers from this very process.
      const run = (...args: string[]) =>
        new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
          const child = spawn(process.execPath, [bin, ...args, '--env', 'custom', '--api-url', sandbox.origin], { env: { ...env, TOLOKA_API_TOKEN: 'x' } });
          let stdout = '';
          let stderr = '';
          child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
          child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
          child.on('close', (status) => resolve({ status, stdout, stderr }));
        });
      const bad = await run('upload', file, '--pool', pool.id ?? '');
      assert.equal(bad.status, 1, bad.stderr);
      assert.match(bad.stderr, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2: input_values.image: `));
      assert.match(bad.stderr, /:3: input_values: duplicate key "image"/);
      assert.match(bad.stderr, /2 invalid record\(s\) in .*: nothing was sent/);
      assert.equal(sandbox.state.pools.get(pool.id ?? '')?.data.tasks.length, 0, 'nothing reached the sandbox');

      fs.writeFileSync(file, Array.from({ length: 30 }, (_, i) => line(i)).join('\n'));
      const good = await run('upload', file, '--pool', pool.id ?? '', '--open-pool');
      assert.equal(good.status, 0, good.stderr);
      assert.equal((JSON.parse(good.stdout.trim()) as { created: number }).created, 30);
      assert.ok(good.stderr.split('\n').filter(Boolean).every((l) => JSON.parse(l) !== null), 'off a terminal, stderr is JSON lines');
      const again = await run('upload', file, '--pool', pool.id ?? '');
      assert.equal(again.status, 0, again.stderr);
      assert.deepEqual(JSON.parse(again.stdout.trim()), { file, pool: pool.id, created: 0, resumed: 30, alreadyInPool: 0, refused: 0, invalidSkipped: 0, results: `${file}.toloka-results-${pool.id}-${new URL(sandbox.apiRoot).host.replace(":", "_")}.jsonl` });

      await until('the pool to be completed', async () => (await client.pools.get(pool.id ?? '')).status === 'CLOSED', 30_000);
      const out = path.join(dir, 'results.tsv');
      const dl = await run('download', pool.id ?? '', '--out', out, '--status', 'ACCEPTED', '--columns', 'assignment_id,worker_id');
      assert.equal(dl.status, 0, dl.stderr);
      assert.equal((JSON.parse(dl.stdout.trim()) as { rows: number }).rows, 30);
      const rows = fs.readFileSync(out, 'utf8').trim().split('\n');
      assert.equal(rows[0], 'INPUT:image\tOUTPUT:result\tGOLDEN:result\tHINT:text\tASSIGNMENT:assignment_id\tASSIGNMENT:worker_id');
      assert.equal(rows.length, 31);
      const wrong = await run('download', pool.id ?? '', '--out', out, '--status', 'DONE');
      assert.equal(wrong.status, 1);
      assert.match(wrong.stderr, /--status: unknown status DONE; choose from/);
    } finally {
      await sandbox.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
