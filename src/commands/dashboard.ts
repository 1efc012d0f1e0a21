import * as vscode from 'vscode';
import { z } from 'zod';
import type { ClientProvider } from '../environment/clientProvider';
import { Commands } from '../ids';
import { restrictionApplies } from '../toloka/models';
import { formatDateTime } from '../toloka/models/common';
import type { Dashboards } from '../views/dashboard/panel';
import { pickPool, poolIdOf } from './pick';
import { registerCommand, type CommandServices } from './registerCommand';

export interface DashboardCommandDeps extends CommandServices {
  readonly connections: ClientProvider;
  readonly dashboards: Dashboards;
}

/** What a dashboard's buttons act on: a Toloker of a pool. Checked, as any argument from a webview. */
const Target = z.object({ poolId: z.string().regex(/^\d+$/), workerId: z.string().optional() });

function target(arg: unknown): z.infer<typeof Target> {
  const t = Target.safeParse(arg);
  if (!t.success) throw new Error('this action is run from a pool dashboard');
  return t.data;
}

const durations = [
  { label: 'For a day', value: 1 },
  { label: 'For a week', value: 7 },
  { label: 'For 30 days', value: 30 },
  { label: 'Until lifted', value: 0 },
] as const;

/** Open Pool Dashboard, and the dashboard's actions: open or close the pool, ban or unban a Toloker (always asked). */
export function registerDashboardCommands(context: vscode.ExtensionContext, deps: DashboardCommandDeps): void {
  registerCommand(
    context,
    deps,
    Commands.poolDashboard,
    async ({ prompter }, arg) => {
      const poolId = poolIdOf(arg) ?? (await pickPool(prompter, deps.connections, 'Open the dashboard of which pool?'));
      const { client } = await deps.connections.connection();
      const pool = await client.pools.get(poolId);
      const panel = await deps.dashboards.open(poolId, `Pool: ${pool.private_name}`);
      return panel.poolId;
    },
    { failure: 'Could not open the pool dashboard', retry: true },
  );

  const lifecycle = (id: string, command: string): void =>
    registerCommand(context, deps, id, async (_ctx, arg) => {
      const { poolId } = target(arg);
      const { client } = await deps.connections.connection();
      const pool = await client.pools.get(poolId);
      // The same command as the tree's context menu, on the same kind of row.
      await vscode.commands.executeCommand(command, { kind: 'pool', key: `pool/${poolId}`, pool, busy: false });
    });
  lifecycle(Commands.dashboardOpenPool, Commands.openPool);
  lifecycle(Commands.dashboardClosePool, Commands.closePool);

  registerCommand(
    context,
    deps,
    Commands.banToloker,
    async ({ prompter, log }, arg) => {
      const { poolId, workerId } = target(arg);
      if (!workerId) throw new Error('no Toloker to ban');
      const days = await prompter.pick(durations.map((d) => ({ label: d.label, value: d.value })), { title: `Ban Toloker ${workerId} from pool ${poolId}` });
      const comment = (await prompter.input({ title: `Ban Toloker ${workerId}: a private comment`, prompt: 'For you and your team; the Toloker does not see it', value: 'Banned from the pool dashboard' })).trim();
      await prompter.confirm({ message: `Ban Toloker ${workerId} from pool ${poolId}${days ? ` for ${days} day(s)` : ' until lifted'}?`, detail: 'They will take no more task suites of this pool. Their answers so far stay as they are.', action: 'Ban' });
      const { client } = await deps.connections.connection();
      const r = await client.userRestrictions.put({
        scope: 'POOL', user_id: workerId, pool_id: poolId, private_comment: comment || 'Banned from the pool dashboard',
        ...(days ? { will_expire: formatDateTime(new Date(Date.now() + days * 86_400_000)) } : {}),
      });
      log.info(`Toloker ${workerId} banned from pool ${poolId} (restriction ${r.id ?? '?'})`);
      void prompter.message('info', `Toloker ${workerId} is banned from pool ${poolId}${days ? ` for ${days} day(s)` : ''}.`);
      return r.id;
    },
    { failure: 'Could not ban the Toloker' },
  );

  registerCommand(
    context,
    deps,
    Commands.unbanToloker,
    async ({ prompter, log }, arg) => {
      const { poolId, workerId } = target(arg);
      if (!workerId) throw new Error('no Toloker to unban');
      const { client } = await deps.connections.connection();
      const pool = await client.pools.get(poolId);
      const bans = [];
      for await (const r of client.userRestrictions.all({ user_id: workerId })) if (r.id && restrictionApplies(r, { id: poolId, project_id: pool.project_id }, Date.now())) bans.push(r);
      if (bans.length === 0) {
        void prompter.message('info', `Toloker ${workerId} is not banned from pool ${poolId}.`);
        return 0;
      }
      const scopes = bans.map((b) => (b.scope === 'POOL' ? 'this pool' : b.scope === 'PROJECT' ? 'its project' : b.scope === 'ALL_PROJECTS' ? 'all your projects' : b.scope.toLowerCase())).join(', ');
      await prompter.confirm({ message: `Lift the ban of Toloker ${workerId} (${scopes})?`, detail: 'They will be able to take task suites again.', action: 'Unban' });
      for (const b of bans) await client.userRestrictions.remove(b.id ?? '');
      log.info(`Toloker ${workerId}: ${bans.length} ban(s) lifted (${scopes})`);
      return bans.length;
    },
    { failure: 'Could not unban the Toloker' },
  );
}
