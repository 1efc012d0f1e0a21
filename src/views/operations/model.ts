/**
 * The account's recent asynchronous operations, newest first. While any of them is pending
 * or running the list is polled; once none is, polling stops until the next refresh.
 */
import type { TolokaClient } from '../../toloka/client';
import type { Operation } from '../../toloka/models';

export class OperationsModel {
  items: Operation[] = [];
  error: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private loading: Promise<void> | undefined;
  private readonly listeners = new Set<() => void>();
  private disposed = false;

  constructor(
    private readonly client: () => Promise<TolokaClient>,
    private readonly describeError: (err: unknown) => string,
    public pollMs = 1000,
    public limit = 50,
  ) {}

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  get polling(): boolean {
    return this.timer !== undefined;
  }

  /** Loads the list now; keeps polling while something runs. */
  refresh(): Promise<void> {
    this.loading ??= this.load().finally(() => (this.loading = undefined));
    return this.loading;
  }

  private async load(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    try {
      const page = await (await this.client()).operations.recent(this.limit);
      this.items = page.items;
      this.error = undefined;
    } catch (err) {
      this.error = this.describeError(err);
    }
    for (const l of this.listeners) l();
    const running = this.items.some((o) => o.status === 'PENDING' || o.status === 'RUNNING');
    if (running && !this.disposed) {
      this.timer = setTimeout(() => void this.refresh(), this.pollMs);
    }
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.listeners.clear();
  }
}
