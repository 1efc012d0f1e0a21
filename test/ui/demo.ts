import { seedDemo } from '../../src/sandbox/demo';
import { startSandbox, type Sandbox } from '../../src/sandbox/server';
import { useWorkbench, type Workbench } from './workbench';

/**
 * A sandbox seeded with the demo project, its Tolokers then paused so pool states hold still,
 * and a workbench on it, for the enclosing `describe`.
 */
export function useDemo(settings: Record<string, unknown> = {}): { sandbox: () => Sandbox; workbench: () => Workbench } {
  let sandbox: Sandbox | undefined;
  before(async function () {
    this.timeout(180_000);
    sandbox = await startSandbox({ tolokers: { assignmentsPerSecond: 2000, thinkMs: [1, 5] } });
    await seedDemo(sandbox.apiRoot);
    sandbox.tolokers.options = { ...sandbox.tolokers.options, assignmentsPerSecond: 0 };
  });
  const workbench = useWorkbench(() => ({ settings: { 'toloka.environment': 'local', 'toloka.local.url': sandbox?.origin ?? '', ...settings } }));
  after(async () => {
    await sandbox?.stop();
  });
  return {
    sandbox: () => {
      if (!sandbox) throw new Error('the sandbox did not start');
      return sandbox;
    },
    workbench,
  };
}
