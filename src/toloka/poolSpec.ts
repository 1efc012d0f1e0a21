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

/**
 * The skill ids a pool's configuration names: in its filter (`category: "skill"`), in its
 * quality-control actions (`skill_id`) and conditions (`{"key": "skill_id", "value": …}`), in
 * dynamic overlap and pricing (`answer_weight_skill_id`, `skill_id`). In the order first named.
 */
export function poolSkillIds(pool: Pick<Pool, 'filter' | 'quality_control'> & Record<string, unknown>): string[] {
  const out = new Set<string>();
  const idOf = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined);
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (!v || typeof v !== 'object') return;
    const o = v as Record<string, unknown>;
    const add = (x: unknown) => {
      const id = idOf(x);
      if (id) out.add(id);
    };
    if (o['category'] === 'skill') add(o['key']);
    if (o['key'] === 'skill_id') add(o['value']);
    add(o['skill_id']);
    add(o['answer_weight_skill_id']);
    for (const [k, x] of Object.entries(o)) if (k !== 'skill_id' && typeof x === 'object') walk(x);
  };
  walk([pool.filter, pool.quality_control, pool['dynamic_overlap_config'], pool['dynamic_pricing_config']]);
  return [...out];
}
