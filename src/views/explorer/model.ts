/**
 * The explorer's data: nodes for projects, pools, training pools, app projects and their
 * details, loaded page by page per parent and cached until refreshed. It knows nothing of
 * VS Code (the provider maps nodes to tree items), so it is tested and benchmarked in Node.
 */
import type { TolokaClient } from '../../toloka/client';
import type { AppBatch, AppProject, Pool, PoolStatus, Project, Skill, TrainingPool } from '../../toloka/models';
import type { Page } from '../../toloka/paging';

export type Node =
  | { readonly kind: 'project'; readonly key: string; readonly project: Project & { id: string } }
  | { readonly kind: 'pool'; readonly key: string; readonly pool: Pool & { id: string }; readonly busy: boolean }
  | { readonly kind: 'training'; readonly key: string; readonly pool: TrainingPool & { id: string }; readonly busy: boolean }
  | { readonly kind: 'trainings'; readonly key: string; readonly projectId: string }
  | { readonly kind: 'appProjects'; readonly key: string }
  | { readonly kind: 'appProject'; readonly key: string; readonly appProject: AppProject & { id: string } }
  | { readonly kind: 'appBatches'; readonly key: string; readonly appProjectId: string }
  | { readonly kind: 'appBatch'; readonly key: string; readonly appProjectId: string; readonly batch: AppBatch }
  | { readonly kind: 'skills'; readonly key: string }
  | { readonly kind: 'skill'; readonly key: string; readonly skill: Skill & { id: string } }
  | { readonly kind: 'detail'; readonly key: string; readonly label: string; readonly value: string }
  | { readonly kind: 'loadMore'; readonly key: string; readonly parentKey: string }
  | { readonly kind: 'error'; readonly key: string; readonly parentKey: string; readonly message: string };

export interface Filter {
  /** Only pools in these statuses (all when empty). */
  readonly statuses: readonly PoolStatus[];
  /** Only pools, training pools and app projects whose name or id contains this text (case-insensitive). */
  readonly text: string;
}

export const noFilter: Filter = { statuses: [], text: '' };

interface Listing {
  nodes: Node[];
  next: string | undefined;
  hasMore: boolean;
  error: string | undefined;
  loading: Promise<void> | undefined;
}

export type Listener = (key: string | undefined) => void;

const ROOT = 'root';
/** Rows counted at most for a pool's details, so a huge pool never stalls the tree. */
export const COUNT_CAP = 10_000;

async function count(iter: AsyncIterable<unknown>): Promise<string> {
  let n = 0;
  for await (const _ of iter) if (++n >= COUNT_CAP) return `${COUNT_CAP}+`;
  return String(n);
}

function matches(text: string, ...fields: Array<string | undefined>): boolean {
  if (!text) return true;
  const t = text.toLowerCase();
  return fields.some((f) => f?.toLowerCase().includes(t));
}

export class ExplorerModel {
  private readonly listings = new Map<string, Listing>();
  private readonly nodes = new Map<string, Node>();
  private readonly listeners = new Set<Listener>();
  private readonly busyPools = new Set<string>();
  filter: Filter = noFilter;

  constructor(
    private readonly client: () => Promise<TolokaClient>,
    /** Rows per page. */
    public pageSize = 50,
    private readonly describeError: (err: unknown) => string = (e) => (e instanceof Error ? e.message : String(e)),
  ) {}

  onDidChange(listener: Listener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private fire(key: string | undefined): void {
    for (const l of this.listeners) l(key);
  }

  node(key: string): Node | undefined {
    return this.nodes.get(key);
  }

  /** The parent of a node, for reveal. */
  parentOf(node: Node): Node | undefined {
    if (node.kind === 'pool') return this.nodes.get(`project/${node.pool.project_id}`);
    if (node.kind === 'trainings') return this.nodes.get(`project/${node.projectId}`);
    if (node.kind === 'training') return this.nodes.get(`trainings/${node.pool.project_id}`);
    if (node.kind === 'appProject') return this.nodes.get('appProjects');
    if (node.kind === 'skill') return this.nodes.get('skills');
    if (node.kind === 'appBatches') return this.nodes.get(`appProject/${node.appProjectId}`);
    if (node.kind === 'appBatch') return this.nodes.get(`appBatches/${node.appProjectId}`);
    if (node.kind === 'loadMore' || node.kind === 'error') return node.parentKey === ROOT ? undefined : this.nodes.get(node.parentKey);
    if (node.kind === 'detail') return this.nodes.get(node.key.slice(0, node.key.lastIndexOf('/detail/')));
    return undefined;
  }

  /** What the root listing's state is, for the welcome views. */
  rootState(): 'unloaded' | 'loading' | 'error' | 'empty' | 'ready' {
    const l = this.listings.get(ROOT);
    if (!l) return 'unloaded';
    if (l.loading && l.nodes.length === 0) return 'loading';
    if (l.error && l.nodes.length === 0) return 'error';
    return l.nodes.length === 0 ? 'empty' : 'ready';
  }

  rootError(): string | undefined {
    return this.listings.get(ROOT)?.error;
  }

  /** Children of a node (root when undefined); the first call loads the first page. */
  async children(parent?: Node): Promise<Node[]> {
    const key = parent?.key ?? ROOT;
    if (parent?.kind === 'pool' || parent?.kind === 'training') return this.poolDetails(parent);
    if (parent && !['project', 'trainings', 'appProjects', 'appProject', 'appBatches', 'skills', 'skill'].includes(parent.kind)) return [];
    let listing = this.listings.get(key);
    if (!listing) {
      listing = { nodes: [], next: undefined, hasMore: false, error: undefined, loading: undefined };
      this.listings.set(key, listing);
      await this.loadPage(key, parent);
    } else if (listing.loading) {
      await listing.loading;
    }
    return this.rows(key, listing);
  }

  private rows(key: string, listing: Listing): Node[] {
    const out = [...listing.nodes];
    if (listing.error) out.push(this.remember({ kind: 'error', key: `${key}/error`, parentKey: key, message: listing.error }));
    else if (listing.hasMore) out.push(this.remember({ kind: 'loadMore', key: `${key}/more`, parentKey: key }));
    return out;
  }

  /** Loads the next page under a parent; the tree then shows it below the rows it had. */
  async loadMore(parentKey: string): Promise<void> {
    const listing = this.listings.get(parentKey);
    if (!listing || !listing.hasMore) return;
    await this.loadPage(parentKey, parentKey === ROOT ? undefined : this.nodes.get(parentKey));
    this.fire(parentKey === ROOT ? undefined : parentKey);
  }

  /** Forgets what was loaded under a node (everything when undefined) and asks the tree to ask again. */
  refresh(key?: string): void {
    if (key === undefined) {
      this.listings.clear();
      this.nodes.clear();
    } else {
      for (const k of [...this.listings.keys()]) if (k === key || k.startsWith(`${key}/`)) this.listings.delete(k);
      this.details.delete(key);
    }
    this.fire(key);
  }

  setFilter(filter: Filter): void {
    this.filter = filter;
    this.refresh();
  }

  /** Marks a pool or training pool as having an operation in progress (spinner) or not, updating its row. */
  setBusy(poolId: string, busy: boolean): void {
    if (busy) this.busyPools.add(poolId);
    else this.busyPools.delete(poolId);
    const node = this.nodes.get(`pool/${poolId}`) ?? this.nodes.get(`training/${poolId}`);
    if (node?.kind === 'pool' || node?.kind === 'training') this.replacePool({ ...node, busy });
  }

  /** Replaces a pool's row with fresh data from the server. */
  async reloadPool(poolId: string): Promise<void> {
    const client = await this.client();
    const pool = (await client.pools.get(poolId)) as Pool & { id: string };
    this.details.delete(`pool/${poolId}`);
    this.replacePool({ kind: 'pool', key: `pool/${pool.id}`, pool, busy: this.busyPools.has(pool.id) });
  }

  /** Replaces a training pool's row with fresh data from the server. */
  async reloadTraining(trainingId: string): Promise<void> {
    const client = await this.client();
    const pool = (await client.trainings.get(trainingId)) as TrainingPool & { id: string };
    this.details.delete(`training/${trainingId}`);
    this.replacePool(this.trainingNode(pool));
  }

  /**
   * Swaps a pool's node in its parent's listing and announces the change on the parent: the
   * tree knows rows by their element objects, so a new object is found through its parent
   * and matched to the old row by its id.
   */
  private replacePool(node: Extract<Node, { kind: 'pool' | 'training' }>): void {
    this.remember(node);
    const parentKey = `${node.kind === 'pool' ? 'project' : 'trainings'}/${node.pool.project_id}`;
    const listing = this.listings.get(parentKey);
    if (!listing) return;
    const i = listing.nodes.findIndex((n) => n.key === node.key);
    if (i >= 0) listing.nodes[i] = node;
    this.fire(this.nodes.has(parentKey) ? parentKey : undefined);
  }

  private remember<N extends Node>(node: N): N {
    this.nodes.set(node.key, node);
    return node;
  }

  private poolNode(pool: Pool & { id: string }): Node {
    return this.remember({ kind: 'pool', key: `pool/${pool.id}`, pool, busy: this.busyPools.has(pool.id) });
  }

  private trainingNode(pool: TrainingPool & { id: string }): Extract<Node, { kind: 'training' }> {
    return this.remember({ kind: 'training', key: `training/${pool.id}`, pool, busy: this.busyPools.has(pool.id) });
  }

  private loadPage(key: string, parent: Node | undefined): Promise<void> {
    const listing = this.listings.get(key);
    if (!listing) return Promise.resolve();
    if (listing.loading) return listing.loading;
    listing.loading = (async () => {
      try {
        const page = await this.fetch(parent, listing.next);
        listing.nodes.push(...page.items);
        listing.next = page.next;
        listing.hasMore = page.hasMore;
        listing.error = undefined;
      } catch (err) {
        listing.error = this.describeError(err);
      } finally {
        listing.loading = undefined;
      }
    })();
    return listing.loading;
  }

  /**
   * One page of rows. With a text filter, pages of the API are read until a page of rows
   * matches or the listing ends, so a filter never shows a misleadingly short list.
   */
  private async fetch(parent: Node | undefined, after: string | undefined): Promise<{ items: Node[]; next: string | undefined; hasMore: boolean }> {
    const client = await this.client();
    const want = this.pageSize;
    const filtering = this.filter.text !== '' || this.filter.statuses.length > 1;
    const limit = filtering ? 300 : want;
    const collect = async <T>(get: (after: string | undefined) => Promise<Page<T>>, keep: (t: T) => boolean, toNode: (t: T) => Node) => {
      const items: Node[] = [];
      let cursor = after;
      for (;;) {
        const page = await get(cursor);
        for (const item of page.items) if (keep(item)) items.push(toNode(item));
        cursor = page.next;
        if (!page.hasMore || items.length >= want) return { items, next: cursor, hasMore: page.hasMore };
      }
    };

    if (!parent) {
      const projects = await collect(
        (a) => client.projects.page({ status: 'ACTIVE' }, { limit, after: a }),
        // Projects are always listed: the text filter narrows the pools inside them.
        () => true,
        (p) => this.remember({ kind: 'project', key: `project/${p.id ?? ''}`, project: p as Project & { id: string } }),
      );
      // App projects get a section of their own after the first page, when there are any or
      // there are projects to show beside it (an empty account shows its welcome view instead).
      if (!after) {
        const apps = projects.items.length > 0 ? undefined : await client.apps.projectsPage({}, { limit: 1 }).catch(() => undefined);
        if (projects.items.length > 0 || (apps?.items.length ?? 0) > 0) projects.items.push(this.remember({ kind: 'appProjects', key: 'appProjects' }), this.remember({ kind: 'skills', key: 'skills' }));
      }
      return projects;
    }
    if (parent.kind === 'project') {
      const status = this.filter.statuses.length === 1 ? this.filter.statuses[0] : undefined;
      const result = await collect(
        (a) => client.pools.page({ project_id: parent.project.id, ...(status ? { status } : {}) }, { limit, after: a }),
        (p) => (this.filter.statuses.length === 0 || this.filter.statuses.includes(p.status ?? 'CLOSED')) && matches(this.filter.text, p.private_name, p.id),
        (p) => this.poolNode(p as Pool & { id: string }),
      );
      if (!after) result.items.unshift(this.remember({ kind: 'trainings', key: `trainings/${parent.project.id}`, projectId: parent.project.id }));
      return result;
    }
    if (parent.kind === 'trainings') {
      return collect(
        (a) => client.trainings.page({ project_id: parent.projectId }, { limit, after: a }),
        (p) => matches(this.filter.text, p.private_name, p.id),
        (p) => this.trainingNode(p as TrainingPool & { id: string }),
      );
    }
    if (parent.kind === 'appProjects') {
      return collect(
        (a) => client.apps.projectsPage({}, { limit, after: a }),
        (p) => matches(this.filter.text, p.name, p.id),
        (p) => this.remember({ kind: 'appProject', key: `appProject/${p.id ?? ''}`, appProject: p as AppProject & { id: string } }),
      );
    }
    if (parent.kind === 'skills') {
      return collect(
        (a) => client.skills.page({}, { limit: Math.min(limit, 100), after: a }),
        (k) => matches(this.filter.text, k.name, k.id),
        (k) => this.remember({ kind: 'skill', key: `skill/${k.id ?? ''}`, skill: k as Skill & { id: string } }),
      );
    }
    if (parent.kind === 'skill') {
      // How many Tolokers have the skill, and how they spread: what a requester checks before filtering on it.
      let n = 0;
      let sum = 0;
      for await (const us of client.userSkills.all({ skill_id: parent.skill.id }, { limit: 1000 })) {
        sum += us.exact_value ?? us.value ?? 0;
        if (++n >= COUNT_CAP) break;
      }
      const rows: Node[] = [this.detail(parent.key, 'Tolokers', n >= COUNT_CAP ? `${COUNT_CAP}+` : String(n))];
      if (n > 0) rows.push(this.detail(parent.key, 'mean value', (Math.round((sum / n) * 10) / 10).toString()));
      if (parent.skill.training) rows.push(this.detail(parent.key, 'training skill', 'yes'));
      return { items: rows, next: undefined, hasMore: false };
    }
    if (parent.kind === 'appProject') {
      const counts = new Map<string, number>();
      let n = 0;
      for await (const item of client.apps.items(parent.appProject.id, {}, { limit: 1000 })) {
        counts.set(item.status, (counts.get(item.status) ?? 0) + 1);
        if (++n >= COUNT_CAP) break;
      }
      const rows: Node[] = [this.detail(parent.key, 'Items', n >= COUNT_CAP ? `${COUNT_CAP}+` : String(n))];
      for (const [status, count] of counts) rows.push(this.detail(parent.key, status.toLowerCase(), String(count)));
      rows.push(this.remember({ kind: 'appBatches', key: `appBatches/${parent.appProject.id}`, appProjectId: parent.appProject.id }));
      return { items: rows, next: undefined, hasMore: false };
    }
    if (parent.kind === 'appBatches') {
      const projectId = parent.appProjectId;
      return collect(
        (a) => client.apps.batchesPage(projectId, {}, { limit: Math.min(limit, 1000), after: a }),
        (b) => matches(this.filter.text, b.name, b.id),
        (b) => this.remember({ kind: 'appBatch', key: `appBatch/${b.id}`, appProjectId: projectId, batch: b }),
      );
    }
    return { items: [], next: undefined, hasMore: false };
  }

  /** A training pool's facts as rows: status, the tasks in it and how many carry a hint. */
  private async loadTrainingDetails(node: Extract<Node, { kind: 'training' }>): Promise<Node[]> {
    const client = await this.client();
    const p = node.pool;
    let tasks = 0;
    let hinted = 0;
    for await (const t of client.tasks.all({ pool_id: p.id }, { limit: 1000 })) {
      if (t.message_on_unknown_solution) hinted++;
      if (++tasks >= COUNT_CAP) break;
    }
    return [
      this.detail(node.key, 'Status', `${p.status ?? 'unknown'}${p.last_close_reason ? ` (${p.last_close_reason.toLowerCase().replace(/_/g, ' ')})` : ''}`),
      this.detail(node.key, 'Tasks', tasks >= COUNT_CAP ? `${COUNT_CAP}+` : String(tasks)),
      this.detail(node.key, 'With a hint', String(hinted)),
    ];
  }

  private detail(parentKey: string, label: string, value: string): Node {
    return this.remember({ kind: 'detail', key: `${parentKey}/detail/${label}`, label, value });
  }

  private readonly details = new Map<string, Promise<Node[]>>();

  /** A pool's facts as rows: status, overlap, reward, counts of tasks and assignments. */
  private poolDetails(node: Extract<Node, { kind: 'pool' | 'training' }>): Promise<Node[]> {
    let rows = this.details.get(node.key);
    if (!rows) {
      rows = (node.kind === 'pool' ? this.loadPoolDetails(node) : this.loadTrainingDetails(node)).catch((err: unknown) => [
        this.remember({ kind: 'error', key: `${node.key}/error`, parentKey: node.key, message: this.describeError(err) }) as Node,
      ]);
      this.details.set(node.key, rows);
      void rows.then((r) => {
        if (r.some((x) => x.kind === 'error')) this.details.delete(node.key);
      });
    }
    return rows;
  }

  private async loadPoolDetails(node: Extract<Node, { kind: 'pool' }>): Promise<Node[]> {
    const client = await this.client();
    const p = node.pool;
    const byStatus = new Map<string, number>();
    let seen = 0;
    for await (const a of client.assignments.all({ pool_id: p.id }, { limit: 1000 })) {
      byStatus.set(a.status, (byStatus.get(a.status) ?? 0) + 1);
      if (++seen >= COUNT_CAP) break;
    }
    const rows: Node[] = [
      this.detail(node.key, 'Status', `${p.status ?? 'unknown'}${p.last_close_reason ? ` (${p.last_close_reason.toLowerCase().replace(/_/g, ' ')})` : ''}`),
      this.detail(node.key, 'Overlap', String(p.defaults.default_overlap_for_new_tasks ?? p.defaults.default_overlap_for_new_task_suites)),
      this.detail(node.key, 'Reward', `$${p.reward_per_assignment} per task suite`),
      this.detail(node.key, 'Tasks', await count(client.tasks.all({ pool_id: p.id }, { limit: 1000 }))),
      this.detail(node.key, 'Assignments', seen >= COUNT_CAP ? `${COUNT_CAP}+` : String(seen)),
    ];
    for (const [status, n] of [...byStatus].sort()) rows.push(this.detail(node.key, `  ${status.toLowerCase()}`, String(n)));
    return rows;
  }
}
