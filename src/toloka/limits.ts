/** Toloka's documented limits (reference §1.5), shared by the client, the uploader and the sandbox. */
export const TolokaLimits = {
  /** Sum of all tasks' `input_values` in one create request, as UTF-8 JSON. */
  inputValuesBytesPerRequest: 1_048_576,
  /** Sum of all known (and baseline) solutions' `output_values` in one create request. */
  outputValuesBytesPerRequest: 4_194_304,
  tasksPerMinute: 200_000,
  tasksPerDay: 4_000_000,
  /** Items in one synchronous `POST /tasks`. */
  syncBatch: 5000,
} as const;

/** Bytes of a value as JSON in UTF-8, the way the limits count it. */
export function jsonBytes(value: unknown): number {
  return value === undefined ? 0 : Buffer.byteLength(JSON.stringify(value), 'utf8');
}

/** The bytes of `known_solutions[*].output_values` of a task. */
export function solutionBytes(task: { known_solutions?: unknown }): number {
  const known = task.known_solutions;
  if (!Array.isArray(known)) return 0;
  let n = 0;
  for (const s of known as Array<{ output_values?: unknown }>) n += jsonBytes(s?.output_values);
  return n;
}
