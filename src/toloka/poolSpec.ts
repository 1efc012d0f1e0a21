import type { TolokaClient } from './client';
import type { CallOptions } from './http';
import type { Pool, Project, TaskSpec } from './models';

export interface PoolWithSpec {
  readonly pool: Pool & { id: string };
  readonly project: Project;
  /** The project's task spec: the fields a pool's tasks and answers have. */
  readonly spec: TaskSpec;
  /** `"Pool name" (123)`, for messages. */
  readonly title: string;
}

/** A pool with its project, for the commands that read or write its tasks and answers. */
export async function loadPoolWithSpec(client: TolokaClient, poolId: string, options: CallOptions = {}): Promise<PoolWithSpec> {
  const pool = await client.pools.get(poolId, options);
  const project = await client.projects.get(pool.project_id, options);
  return { pool: { ...pool, id: pool.id ?? poolId }, project, spec: project.task_spec, title: `"${pool.private_name}" (${poolId})` };
}
