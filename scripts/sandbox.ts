/**
 * `npm run sandbox -- [--port 8999] [--data <file>] [--seed 1] [--demo] [--token <t>]…`
 * The local Toloka on loopback, until Ctrl+C. Point any Toloka client at `<origin>/api`.
 */
import * as fs from 'node:fs';
import { seedDemo } from '../src/sandbox/demo';
import { startSandbox } from '../src/sandbox/server';

function args(argv: string[]): { port: number; data?: string; seed: number; demo: boolean; tokens: string[]; quotas: boolean; speed?: number } {
  const out: { port: number; data?: string; seed: number; demo: boolean; tokens: string[]; quotas: boolean; speed?: number } = { port: 8999, seed: 1, demo: false, tokens: [], quotas: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${String(a)} needs a value`);
      return v;
    };
    if (a === '--port') out.port = Number(value());
    else if (a === '--data') out.data = value();
    else if (a === '--seed') out.seed = Number(value());
    else if (a === '--token') out.tokens.push(value());
    else if (a === '--speed') out.speed = Number(value());
    else if (a === '--demo') out.demo = true;
    else if (a === '--no-quotas') out.quotas = false;
    else throw new Error(`unknown option ${String(a)}; options: --port, --data, --seed, --token, --speed (assignments/s), --demo, --no-quotas`);
  }
  if (!Number.isInteger(out.port) || out.port < 0 || out.port > 65535) throw new Error('--port takes a port number');
  return out;
}

async function main(): Promise<void> {
  const o = args(process.argv.slice(2));
  const fresh = !o.data || !fs.existsSync(o.data);
  const sandbox = await startSandbox({
    port: o.port,
    seed: o.seed,
    quotas: o.quotas,
    ...(o.data ? { dataFile: o.data } : {}),
    ...(o.tokens.length > 0 ? { tokens: o.tokens } : {}),
    ...(o.speed !== undefined ? { tolokers: { assignmentsPerSecond: o.speed } } : {}),
  });
  if (o.demo && fresh) {
    const ids = await seedDemo(sandbox.apiRoot, o.tokens[0] ?? 'local');
    console.log(`seeded the demo project ${ids.projectId}: open pool ${ids.openPoolId}, closed ${ids.closedPoolId}, archived ${ids.archivedPoolId}`);
  }
  console.log(`Toloka sandbox listening: ${sandbox.apiRoot}${o.data ? ` (data: ${o.data})` : ''}`);
  console.log(o.tokens.length > 0 ? `accepted tokens: ${o.tokens.length}` : 'any token is accepted ("Authorization: OAuth <anything>")');
  const stop = async (): Promise<void> => {
    console.log('saving and stopping…');
    await sandbox.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
