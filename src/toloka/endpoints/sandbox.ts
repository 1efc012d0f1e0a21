import { z } from 'zod';
import type { CallOptions, HttpCore } from '../http';
import { Id, type FieldSpecMap, Operation } from '../models';

/** A dry-run as `POST /api/v1/sandbox/dry-runs` takes it (the local sandbox only; Toloka has no such route). */
export interface SandboxDryRunBody {
  readonly title: string;
  readonly input_spec?: FieldSpecMap | undefined;
  readonly output_spec: FieldSpecMap;
  readonly pool: object;
  readonly tasks: readonly object[];
  readonly training?: { readonly pool: object; readonly tasks: readonly object[] } | undefined;
  readonly crowd: object;
  readonly seed: number;
  /** Names for the sandbox's copies of the skills, by the pool's skill id. */
  readonly skill_names?: Readonly<Record<string, string>> | undefined;
}

/** What a finished dry-run operation's details say: where the run is in the sandbox, and its report (checked by its reader). */
export const SandboxDryRunDetails = z.looseObject({
  project_id: Id,
  pool_id: Id,
  training_id: Id.optional(),
  skill_ids: z.record(z.string(), z.string()),
  report: z.unknown(),
});
export type SandboxDryRunDetails = z.infer<typeof SandboxDryRunDetails>;

/** Routes only the local sandbox has. */
export class SandboxApi {
  constructor(private readonly core: HttpCore) {}

  /** Copies the pool (project, training, skills) into the sandbox and runs it with a simulated crowd; an operation. */
  dryRun(body: SandboxDryRunBody, options: CallOptions = {}) {
    return this.core.request({ method: 'POST', path: '/v1/sandbox/dry-runs', data: body, schema: Operation, ...options });
  }

  /** Stops a dry-run early: its operation ends with what happened until then. */
  cancelDryRun(operationId: string, options: CallOptions = {}) {
    return this.core.request({ method: 'POST', path: `/v1/sandbox/dry-runs/${encodeURIComponent(operationId)}/cancel`, schema: z.unknown(), allowEmpty: true, idempotent: true, ...options });
  }
}
