import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import type { Sandbox } from '../../src/sandbox/server';
import { TolokaClient } from '../../src/toloka/client';
import { verifyWebhook } from '../../src/toloka/webhookSignature';
import type { TolokaTestApi } from '../../src/testSeam';
import { eventually, literally, withTestSandbox } from './extension';
import { answering } from './prompter';

describe('Subscribe to Pool Events', function () {
  this.timeout(90_000);
  let sandbox: Sandbox;
  let api: TolokaTestApi;
  let server: http.Server;
  const received: Array<{ uuid: string; type: string; assignment_id?: string }> = [];
  let unsigned = 0;

  withTestSandbox({ quotas: false, tolokers: { assignmentsPerSecond: 500, thinkMs: [1, 3], count: 6 } }, async (t) => {
    ({ sandbox, api } = t);
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        if (!verifyWebhook('s3cret', body, req.headers['toloka-signature'] as string | undefined)) unsigned++;
        received.push(...(JSON.parse(body) as { events: Array<{ uuid: string; type: string; assignment_id?: string }> }).events);
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("subscribes a receiver on 127.0.0.1 that then gets each event of the pool's run once, signed", async () => {
    const client = new TolokaClient({ baseUrl: sandbox.apiRoot, credential: 'seed' });
    const project = await client.projects.create({ public_name: 'Hooks', task_spec: { input_spec: { t: { type: 'string' } }, output_spec: { l: { type: 'string', allowed_values: ['a', 'b'] } } } });
    const pool = await client.pools.create({ project_id: project.id ?? '', private_name: 'Hooked', will_expire: '2099-01-01T00:00:00', reward_per_assignment: 0.01, assignment_max_duration_seconds: 60, defaults: { default_overlap_for_new_task_suites: 2 }, mixer_config: { real_tasks_count: 1, golden_tasks_count: 0, training_tasks_count: 0 } });
    const poolId = pool.id ?? '';
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/toloka`;
    const ids = await answering(
      api,
      [
        { title: /events of which pool/, answer: { pick: literally(`· ${poolId}`) } },
        { title: new RegExp(`^Which events of pool ${poolId}\\?$`), answer: { pickMany: ['ASSIGNMENT_SUBMITTED', 'POOL_CLOSED'] } },
        { title: /POST the events to which URL/, answer: { input: url } },
        { title: /secret key/, answer: { input: 's3cret' } },
      ],
      () => vscode.commands.executeCommand<string[]>('toloka.webhooks.subscribe'),
    );
    assert.equal(ids.length, 2);
    await client.tasks.createMany(Array.from({ length: 3 }, (_, i) => ({ pool_id: poolId, input_values: { t: `t${i}` }, overlap: 2 })), { openPool: true });
    await eventually('the pool to close', async () => (await client.pools.get(poolId)).status === 'CLOSED', 30_000);
    const assignments = sandbox.state.pools.get(poolId)?.data.assignments ?? [];
    await eventually('every event', () => received.filter((e) => e.type === 'POOL_CLOSED').length === 1 && received.filter((e) => e.type === 'ASSIGNMENT_SUBMITTED').length >= assignments.length, 30_000);
    assert.deepEqual(received.filter((e) => e.type === 'ASSIGNMENT_SUBMITTED').map((e) => e.assignment_id).sort(), assignments.map((a) => a.id).sort());
    assert.equal(new Set(received.map((e) => e.uuid)).size, received.length, 'each event once');
    assert.equal(unsigned, 0);
  });
});
