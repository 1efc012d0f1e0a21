/**
 * `npm run bench -- deploy`: a folder of one skill, one project and 200 pools against a sandbox
 * in its own process (quotas off): the first apply (creates per second, bounded by the API), then
 * the plan of the applied folder (every pool read back and compared), which should stay under 2 s.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { applyPlan } from '../../src/deploy/apply';
import { changesCount, makePlan } from '../../src/deploy/plan';
import { StateStore } from '../../src/deploy/state';
import { loadWorkspace } from '../../src/deploy/workspace';
import { TolokaClient } from '../../src/toloka/client';
import { repoRoot } from '../../test/runners/provision';
import { figure, round } from './report';
import { startSandboxProcess } from './sandboxProcess';

const POOLS = 200;

export async function benchDeploy(): Promise<void> {
  const sandbox = await startSandboxProcess(['--no-tolokers', '--no-quotas']);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'toloka-bench-deploy-'));
  try {
    fs.mkdirSync(path.join(dir, '.toloka'));
    const example = path.join(repoRoot, 'playground', 'pipeline');
    fs.copyFileSync(path.join(example, 'animals.project.json'), path.join(dir, 'animals.project.json'));
    fs.copyFileSync(path.join(example, 'accuracy.skill.json'), path.join(dir, 'accuracy.skill.json'));
    const pool = JSON.parse(fs.readFileSync(path.join(example, 'animals.pool.json'), 'utf8')) as Record<string, unknown>;
    delete (pool['quality_control'] as Record<string, unknown>)['training_requirement'];
    fs.mkdirSync(path.join(dir, 'pools'));
    for (let i = 0; i < POOLS; i++) {
      const text = JSON.stringify({ ...pool, private_name: `Animals, batch ${i}` }, null, 2).replaceAll('"./', '"../');
      fs.writeFileSync(path.join(dir, 'pools', `batch-${i}.pool.json`), text);
    }
    const client = new TolokaClient({ baseUrl: sandbox.apiRoot, credential: 'bench' });
    const store = await StateStore.open(dir, 'bench');

    let started = performance.now();
    const first = await makePlan(client, await loadWorkspace([dir]), store, 'bench');
    const firstPlanS = (performance.now() - started) / 1000;
    started = performance.now();
    const result = await applyPlan(client, first, store);
    const applyS = (performance.now() - started) / 1000;
    if (result.created !== POOLS + 2) throw new Error(`created ${result.created}, not ${POOLS + 2}`);

    started = performance.now();
    const again = await makePlan(client, await loadWorkspace([dir]), store, 'bench');
    const planS = (performance.now() - started) / 1000;
    if (changesCount(again) !== 0) throw new Error('the plan after apply is not empty');

    figure('deploy', 'plan of 200 applied pools (read and compare each)', round(planS), 's', { pools: POOLS });
    figure('deploy', 'plan of 200 new pools (no reads)', round(firstPlanS), 's', { pools: POOLS });
    figure('deploy', 'apply: creates per second', round(result.created / applyS), 'requests/s', { created: result.created, seconds: round(applyS) });
  } finally {
    sandbox.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
