/**
 * The four kinds of objects a workspace file can describe, in the order they depend on each
 * other: skills, then projects, then training pools, then pools. No `vscode` import.
 */
export type DeployKind = 'skill' | 'project' | 'training' | 'pool';

export const deployKinds: readonly DeployKind[] = ['skill', 'project', 'training', 'pool'];

export const suffixOf: Record<DeployKind, string> = {
  skill: '.skill.json',
  project: '.project.json',
  training: '.training.json',
  pool: '.pool.json',
};

export function deployKindOf(file: string): DeployKind | undefined {
  const base = file.split(/[\\/]/).pop() ?? '';
  return deployKinds.find((k) => base.endsWith(suffixOf[k]));
}

/** Fields Toloka sets itself: never sent, never compared, flagged in files as "set by Toloka". */
export const serverOwned: Record<DeployKind, readonly string[]> = {
  skill: ['id', 'owner', 'created'],
  project: ['id', 'owner', 'created', 'status'],
  training: ['id', 'owner', 'created', 'status', 'last_close_reason', 'last_started', 'last_stopped'],
  pool: ['id', 'owner', 'created', 'status', 'last_close_reason', 'last_started', 'last_stopped', 'type'],
};

/** The metadata key the marker of a create goes under (projects, trainings, pools); skills are found by name. */
export const MARKER_KEY = 'toloka-vscode-deploy';

/** What a reference may stand for, by the name of the field it replaces. */
export function referenceKindFor(field: string | number | undefined): DeployKind | undefined {
  if (field === 'project_id') return 'project';
  if (field === 'training_pool_id') return 'training';
  if (field === 'skill_id' || field === 'answer_weight_skill_id' || field === 'key' || field === 'value') return 'skill';
  return undefined;
}
