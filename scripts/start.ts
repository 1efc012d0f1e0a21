/**
 * `npm start`: the playground. Starts the local Toloka sandbox seeded with a demo account
 * (kept in .playground/ across runs), installs the freshly built extension into a real VS Code
 * (code-server) set to the `local` environment on that sandbox, opens the demo workspace,
 * prints the URL, and stops everything on Ctrl+C.
 *   --port <n>   port to serve the workbench on (default 8800, or a free one if taken)
 *   --fresh      forget the playground's sandbox data and workspace and start over
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { seedDemo } from '../src/sandbox/demo';
import { startSandbox } from '../src/sandbox/server';
import { freePort, startCodeServer } from '../test/runners/codeServer';
import { installExtensionInto } from '../test/runners/install';
import { repoRoot } from '../test/runners/provision';

function portArg(): number | undefined {
  const i = process.argv.indexOf('--port');
  if (i < 0) return undefined;
  const n = Number(process.argv[i + 1]);
  if (!Number.isInteger(n) || n <= 0 || n > 65535) throw new Error(`--port takes a port number, not ${String(process.argv[i + 1])}`);
  return n;
}

async function portOrFree(wanted: number): Promise<number> {
  const net = await import('node:net');
  const free = await new Promise<boolean>((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(wanted, '127.0.0.1', () => s.close(() => resolve(true)));
  });
  return free ? wanted : await freePort();
}

async function main(): Promise<void> {
  const home = path.join(repoRoot, '.playground');
  if (process.argv.includes('--fresh')) fs.rmSync(home, { recursive: true, force: true });
  const workspace = path.join(home, 'workspace');
  const dataFile = path.join(home, 'sandbox.jsonl');
  const fresh = !fs.existsSync(dataFile);
  const sandbox = await startSandbox({ dataFile, saveIntervalMs: 5000 });
  if (fresh) {
    const demo = await seedDemo(sandbox.apiRoot);
    console.log(`Seeded the demo project ${demo.projectId}: open pool ${demo.openPoolId}, closed pool ${demo.closedPoolId} with results, archived pool ${demo.archivedPoolId}`);
    await sandbox.save();
  }
  if (!fs.existsSync(workspace)) {
    fs.mkdirSync(workspace, { recursive: true });
    fs.cpSync(path.join(repoRoot, 'playground'), workspace, { recursive: true });
  }
  const extensionsDir = path.join(home, 'extensions');
  installExtensionInto(extensionsDir);
  const port = portArg() ?? (await portOrFree(8800));
  const server = await startCodeServer({
    workspace,
    port,
    extensionsDir,
    userDataDir: path.join(home, 'user-data'),
    settings: { 'toloka.environment': 'local', 'toloka.local.url': sandbox.origin },
  });
  console.log('');
  console.log(`  Toloka playground is running: ${server.workbenchUrl(workspace)}`);
  console.log(`  workspace: ${workspace}`);
  console.log(`  local Toloka sandbox: ${sandbox.apiRoot} (data: ${dataFile})`);
  console.log('  Press Ctrl+C to stop.');
  console.log('');
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.log('stopping the playground…');
    await server.stop();
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
