/**
 * The messages between the extension and the sandbox process it starts (over Node's IPC
 * channel), checked with zod on both sides. No vscode import.
 */
import { z } from 'zod';

/** What the extension asks the sandbox process to run; passed in TOLOKA_SANDBOX_OPTIONS as JSON. */
export const SandboxProcessOptions = z.object({
  dataFile: z.string().optional(),
  port: z.number().int().min(0).max(65535).default(0),
  seed: z.number().int().optional(),
  /** How long after a change the state is written (milliseconds). */
  saveDelayMs: z.number().int().min(0).optional(),
  /** A crowd file (JSON, as a dry-run's) for the simulated Tolokers. */
  crowdFile: z.string().min(1).optional(),
});
export type SandboxProcessOptions = z.input<typeof SandboxProcessOptions>;

export const FromSandbox = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), apiRoot: z.string(), origin: z.string(), port: z.number(), pid: z.number() }),
  z.object({ type: z.literal('log'), level: z.enum(['debug', 'info', 'warn', 'error']), message: z.string() }),
  z.object({ type: z.literal('failed'), message: z.string() }),
  z.object({ type: z.literal('stopped') }),
]);
export type FromSandbox = z.infer<typeof FromSandbox>;

export const ToSandbox = z.discriminatedUnion('type', [z.object({ type: z.literal('stop') })]);
export type ToSandbox = z.infer<typeof ToSandbox>;
