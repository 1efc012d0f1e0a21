/** Payloads shared by the unit tests: a classification project and a pool for it. */
import type { Pool, Project } from '../../src/toloka/models';
import { formatDateTime } from '../../src/toloka/models/common';
import { TolokaClient } from '../../src/toloka/client';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/server';

export const classificationProject: Project = {
  public_name: 'Is it a cat?',
  public_description: 'Look at the picture and say whether it shows a cat.',
  task_spec: {
    input_spec: { image: { type: 'url', required: true } },
    output_spec: { result: { type: 'string', required: true, allowed_values: ['cat', 'dog', 'other'] } },
    view_spec: { type: 'classic', markup: '<img src="{{img url=image}}">' },
  },
};

export function poolFor(projectId: string, overrides: Partial<Pool> = {}): Pool {
  return {
    project_id: projectId,
    private_name: 'Cats, batch 1',
    may_contain_adult_content: false,
    will_expire: formatDateTime(new Date(Date.now() + 7 * 86_400_000)),
    reward_per_assignment: 0.02,
    assignment_max_duration_seconds: 600,
    defaults: { default_overlap_for_new_task_suites: 3, default_overlap_for_new_tasks: 3 },
    mixer_config: { real_tasks_count: 5, golden_tasks_count: 0, training_tasks_count: 0 },
    ...overrides,
  };
}

export function tasks(poolId: string, n: number, start = 0) {
  return Array.from({ length: n }, (_, i) => ({ pool_id: poolId, input_values: { image: `https://example.com/cat-${start + i}.jpg` }, overlap: 3 }));
}

export interface Harness {
  readonly sandbox: Sandbox;
  readonly client: TolokaClient;
  stop(): Promise<void>;
}

export async function harness(options: SandboxOptions = {}, clientOptions: Partial<ConstructorParameters<typeof TolokaClient>[0]> = {}): Promise<Harness> {
  const sandbox = await startSandbox({ tolokers: { assignmentsPerSecond: 2000, thinkMs: [1, 5] }, ...options });
  const client = new TolokaClient({ baseUrl: sandbox.apiRoot, credential: 'test-token', baseDelayMs: 5, maxDelayMs: 2000, ...clientOptions });
  return { sandbox, client, stop: () => sandbox.stop() };
}

/** Polls until `check` returns a truthy value; never a fixed sleep. */
export async function until<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** One plain HTTP request to a sandbox (no client in between): the status and the parsed body. */
export async function send(origin: string, method: string, url: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const r = await fetch(`${origin}${url}`, { method, headers: { Authorization: 'OAuth test', 'Content-Type': 'application/json' }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  return { status: r.status, body: r.status === 204 ? undefined : ((await r.json()) as unknown) };
}
