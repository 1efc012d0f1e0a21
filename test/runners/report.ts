/** What each test layer hands back to the orchestrator. */
export interface LayerReport {
  readonly layer: string;
  readonly passed: number;
  readonly failed: number;
  readonly failures: ReadonlyArray<{ readonly title: string; readonly message: string }>;
}

export function emptyReport(layer: string): LayerReport {
  return { layer, passed: 0, failed: 0, failures: [] };
}

export function crashedReport(layer: string, err: unknown): LayerReport {
  const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
  return { layer, passed: 0, failed: 1, failures: [{ title: `${layer} layer could not run`, message }] };
}
