/**
 * Where a subcommand talks to: `--env local|sandbox|production|custom` (default local),
 * `--api-url` for custom and local (the site root or the API root alike), and the token from
 * TOLOKA_API_TOKEN, never from a flag (flags end up in shell history and `ps`).
 */
import { z } from 'zod';
import { apiRootOf, EnvironmentName, hostedApiRoots, TolokaClient } from '../toloka/client';
import type { Logger } from '../toloka/logger';
import type { FlagSpec } from './args';
import { UsageError } from './args';

/** Where `toloka sandbox` listens by default, and so where `--env local` looks first. */
export const DEFAULT_LOCAL_ORIGIN = 'http://127.0.0.1:8999';

export const connectionFlags: readonly FlagSpec[] = [
  { name: 'env', kind: 'string', value: '<local|sandbox|production|custom>', help: `which Toloka (default local: a sandbox at ${DEFAULT_LOCAL_ORIGIN}, e.g. \`toloka sandbox\`)` },
  { name: 'api-url', kind: 'string', value: '<url>', help: 'the server for custom (and local): http://host:port or http://host:port/api' },
  { name: 'verbose', kind: 'boolean', help: 'log every request and retry on stderr' },
];

export const ConnectionArgs = z.object({
  env: EnvironmentName.default('local'),
  apiUrl: z.string().url().optional(),
  verbose: z.boolean().default(false),
});
export type ConnectionArgs = z.infer<typeof ConnectionArgs>;

export interface Target {
  readonly environment: EnvironmentName;
  readonly apiRoot: string;
  readonly client: TolokaClient;
}

export function connect(args: ConnectionArgs, env: NodeJS.ProcessEnv, logger: Logger): Target {
  const token = env['TOLOKA_API_TOKEN']?.trim();
  let apiRoot: string;
  if (args.env === 'sandbox' || args.env === 'production') {
    if (args.apiUrl) throw new UsageError(`--api-url is for the custom and local environments; ${args.env} is ${hostedApiRoots[args.env]}`);
    apiRoot = hostedApiRoots[args.env];
  } else if (args.env === 'custom') {
    if (!args.apiUrl) throw new UsageError('--env custom needs --api-url <url>');
    apiRoot = apiRootOf(args.apiUrl);
  } else {
    apiRoot = apiRootOf(args.apiUrl ?? DEFAULT_LOCAL_ORIGIN);
  }
  if (!token && args.env !== 'local') throw new UsageError(`set TOLOKA_API_TOKEN to your API key for ${args.env} (it is never taken from a flag)`);
  return { environment: args.env, apiRoot, client: new TolokaClient({ baseUrl: apiRoot, credential: token || 'local-sandbox', logger, userAgent: 'toloka-cli' }) };
}
