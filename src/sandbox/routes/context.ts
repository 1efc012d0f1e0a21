import type { Router } from '../http';
import type { OperationEngine } from '../operations';
import type { SandboxState } from '../state';

/** What every route module is given. */
export interface RouteContext {
  readonly router: Router;
  readonly state: SandboxState;
  readonly ops: OperationEngine;
  /** Called when a pool opens, so simulated Tolokers start on it. */
  readonly onPoolOpened: (poolId: string) => void;
}

export const ok = (body: unknown) => ({ status: 200, body });
export const created = (body: unknown) => ({ status: 201, body });
export const accepted = (body: unknown) => ({ status: 202, body });
export const noContent = () => ({ status: 204 });
