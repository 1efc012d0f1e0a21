/**
 * Seeds a sandbox with a demo account for the playground: a classification project with an
 * open pool (tasks and control tasks, being worked on), a closed pool with results, and an
 * archived pool. Goes through the client, so the demo is built exactly as a user would.
 */
import { TolokaClient } from '../toloka/client';
import type { Pool, Project } from '../toloka/models';
import { formatDateTime } from '../toloka/models/common';

export const demoProject: Project = {
  public_name: 'Which animal is in the picture?',
  public_description: 'Look at the photo and choose the animal you see.',
  public_instructions: '<p>Choose <b>cat</b>, <b>dog</b> or <b>other</b>. If unsure, pick the animal that fills most of the photo.</p>',
  task_spec: {
    input_spec: { image: { type: 'url', required: true } },
    output_spec: { result: { type: 'string', required: true, allowed_values: ['cat', 'dog', 'other'] } },
    view_spec: { type: 'classic', markup: '<img src="{{img url=image}}" width="400">{{field type="radio" name="result" value="cat" label="Cat"}}' },
  },
};

export function demoPool(projectId: string, name: string): Pool {
  return {
    project_id: projectId,
    private_name: name,
    may_contain_adult_content: false,
    will_expire: formatDateTime(new Date(Date.now() + 30 * 86_400_000)),
    reward_per_assignment: 0.02,
    assignment_max_duration_seconds: 600,
    auto_accept_solutions: true,
    defaults: { default_overlap_for_new_task_suites: 3, default_overlap_for_new_tasks: 3 },
    mixer_config: { real_tasks_count: 4, golden_tasks_count: 1, training_tasks_count: 0 },
  };
}

const animals = ['cat', 'dog', 'other'] as const;

function demoTasks(poolId: string, count: number, from: number) {
  return Array.from({ length: count }, (_, i) => ({ pool_id: poolId, input_values: { image: `https://example.com/animals/${from + i}.jpg` }, overlap: 3 }));
}

function goldenTasks(poolId: string, count: number) {
  return Array.from({ length: count }, (_, i) => ({
    pool_id: poolId,
    input_values: { image: `https://example.com/animals/control-${i}.jpg` },
    known_solutions: [{ output_values: { result: animals[i % 3] } }],
  }));
}

async function waitFor(client: TolokaClient, opId: string | undefined): Promise<void> {
  if (opId) await client.operations.wait(opId, { firstDelayMs: 10, intervalMs: 20 });
}

export async function seedDemo(apiRoot: string, credential = 'local'): Promise<{ projectId: string; openPoolId: string; closedPoolId: string; archivedPoolId: string }> {
  const client = new TolokaClient({ baseUrl: apiRoot, credential });
  const project = await client.projects.create(demoProject);
  const projectId = project.id ?? '';

  const closed = await client.pools.create(demoPool(projectId, 'Animals, batch 1 (done)'));
  const closedPoolId = closed.id ?? '';
  await client.tasks.createMany([...demoTasks(closedPoolId, 40, 0), ...goldenTasks(closedPoolId, 6)]);
  await waitFor(client, (await client.pools.open(closedPoolId))?.id);
  for (let i = 0; i < 600; i++) {
    if ((await client.pools.get(closedPoolId)).status === 'CLOSED') break;
    await new Promise((r) => setTimeout(r, 50));
  }

  const archived = await client.pools.create(demoPool(projectId, 'Animals, pilot (archived)'));
  const archivedPoolId = archived.id ?? '';
  await waitFor(client, (await client.pools.archive(archivedPoolId))?.id);

  const open = await client.pools.create(demoPool(projectId, 'Animals, batch 2'));
  const openPoolId = open.id ?? '';
  await client.tasks.createMany([...demoTasks(openPoolId, 200, 1000), ...goldenTasks(openPoolId, 10)]);
  await waitFor(client, (await client.pools.open(openPoolId))?.id);
  return { projectId, openPoolId, closedPoolId, archivedPoolId };
}
