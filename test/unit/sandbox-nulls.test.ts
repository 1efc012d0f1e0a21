/** toloka-kit compatibility: the sandbox reads a JSON null as an absent field, as Toloka does. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classificationProject, harness } from './fixtures';

async function send(origin: string, method: string, url: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const r = await fetch(`${origin}${url}`, { method, headers: { Authorization: 'OAuth test', 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return { status: r.status, body: (await r.json()) as unknown };
}

describe('Sandbox: JSON null as absent (toloka-kit)', () => {
  it('takes training tasks with "overlap": null beside "infinite_overlap": true, and a pool with null fields', async () => {
    const h = await harness({ tolokers: { assignmentsPerSecond: 0 } });
    try {
      const project = await send(h.sandbox.origin, 'POST', '/api/v1/projects', classificationProject);
      const projectId = (project.body as { id: string }).id;
      const training = await send(h.sandbox.origin, 'POST', '/api/v1/trainings', {
        project_id: projectId, private_name: 'Training', may_contain_adult_content: false, assignment_max_duration_seconds: 600,
        mix_tasks_in_creation_order: true, shuffle_tasks_in_task_suite: true, training_tasks_in_task_suite_count: 2, task_suites_required_to_pass: 1, retry_training_after_days: null, inherited_instructions: false, public_instructions: null,
      });
      assert.equal(training.status, 201, JSON.stringify(training.body));
      const trainingId = (training.body as { id: string }).id;
      const tasks = [0, 1].map((i) => ({ pool_id: trainingId, input_values: { image: `https://example.com/t${i}.jpg` }, known_solutions: [{ output_values: { result: 'cat' }, correctness_weight: 1 }], overlap: null, infinite_overlap: true, message_on_unknown_solution: null }));
      const created = await send(h.sandbox.origin, 'POST', '/api/v1/tasks?allow_defaults=true', tasks);
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const body = created.body as { items: Record<string, { infinite_overlap?: boolean; overlap?: unknown }>; validation_errors?: unknown };
      assert.equal(body.validation_errors, undefined, JSON.stringify(body.validation_errors));
      assert.equal(Object.keys(body.items).length, 2);
      assert.equal(body.items['0']?.infinite_overlap, true);
      assert.equal(body.items['0']?.overlap, undefined, 'null left out, not stored');
    } finally {
      await h.stop();
    }
  });
});
