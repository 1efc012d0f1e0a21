/**
 * What the menus see of an explorer row: its context value (matched by `when` clauses in
 * package.json) and, for Copy ID, the one id it stands for. No vscode import, so the menus'
 * clauses are checked against every kind of row in plain Node.
 */
import type { Node } from './model';

export function contextValueOf(node: Node): string {
  switch (node.kind) {
    case 'pool':
      return `toloka.pool.${(node.pool.status ?? 'CLOSED').toLowerCase()}`;
    case 'training':
      return `toloka.training.${(node.pool.status ?? 'CLOSED').toLowerCase()}`;
    case 'appBatch':
      return `toloka.appBatch.${(node.batch.status ?? 'NEW').toLowerCase()}`;
    default:
      return `toloka.${node.kind}`;
  }
}

/** The id Copy ID puts on the clipboard: rows of one object each, never the folders above them. */
export function copyableId(node: Node): string | undefined {
  switch (node.kind) {
    case 'project':
      return node.project.id;
    case 'pool':
    case 'training':
      return node.pool.id;
    case 'appProject':
      return node.appProject.id;
    case 'skill':
      return node.skill.id;
    default:
      return undefined;
  }
}
