import * as vscode from 'vscode';
import type { ClientProvider } from '../environment/clientProvider';
import { Commands } from '../ids';
import type { UserRestriction } from '../toloka/models';
import { formatDateTime } from '../toloka/models/common';
import { BansView, type Ban } from '../views/bans';
import type { Prompter } from './prompter';
import { pickPool, poolIdOf } from './pick';
import { resultRowsFrom } from './resultRows';
import { registerCommand, type CommandServices } from './registerCommand';

export interface BanDeps extends CommandServices {
  readonly connections: ClientProvider;
}

const WORKER = /^[0-9a-f]{32}$/;

async function workersFrom(prompter: Prompter, arg: unknown): Promise<string[]> {
  const from = await resultRowsFrom(arg, 'file');
  if (from) {
    const ids = [...new Set(from.rows.map((r) => r.workerId))];
    if (ids.length === 0) throw new Error(`${vscode.workspace.asRelativePath(from.uri)}: no Toloker ids in the ${from.selected ? 'selected rows' : 'file'}`);
    return ids;
  }
  const text = await prompter.input({
    title: 'Ban which Tolokers? Their ids, separated by spaces or commas',
    validate: (v) => {
      const ids = v.split(/[\s,]+/).filter(Boolean);
      if (ids.length === 0) return 'one Toloker id at least';
      const bad = ids.find((id) => !WORKER.test(id));
      return bad ? `${bad} is not a Toloker id (32 hexadecimal digits)` : undefined;
    },
  });
  return [...new Set(text.split(/[\s,]+/).filter(Boolean))];
}

const durations = [
  { label: 'For a day', value: 1 },
  { label: 'For a week', value: 7 },
  { label: 'For 30 days', value: 30 },
  { label: 'Until lifted', value: 0 },
];

/** Ban Tolokers… (from ids, or the rows of a results TSV) with scope, duration and comment; lift a ban; the Bans view. */
export function registerBanCommands(context: vscode.ExtensionContext, deps: BanDeps): void {
  const view = new BansView(deps.connections);
  context.subscriptions.push(view);
  registerCommand(context, deps, Commands.refreshBans, () => view.refresh(), { quiet: true });

  registerCommand(
    context,
    deps,
    Commands.banTolokers,
    async ({ prompter, log }, arg) => {
      const workers = await workersFrom(prompter, arg);
      const who = workers.length === 1 ? `Toloker ${workers[0] ?? ''}` : `${workers.length} Tolokers`;
      const scope = await prompter.pick<UserRestriction['scope']>(
        [
          { label: 'From one pool', value: 'POOL' },
          { label: "From a pool's project", value: 'PROJECT' },
          { label: 'From all my projects', value: 'ALL_PROJECTS' },
        ],
        { title: `Ban ${who}: from where?` },
      );
      const { client } = await deps.connections.connection();
      let target: { pool_id?: string; project_id?: string } = {};
      let whereText = 'all your projects';
      if (scope !== 'ALL_PROJECTS') {
        const poolId = poolIdOf(arg) ?? (await pickPool(prompter, deps.connections, scope === 'POOL' ? `Ban ${who} from which pool?` : `Ban ${who} from the project of which pool?`));
        if (scope === 'POOL') {
          target = { pool_id: poolId };
          whereText = `pool ${poolId}`;
        } else {
          const projectId = (await client.pools.get(poolId)).project_id;
          target = { project_id: projectId };
          whereText = `project ${projectId}`;
        }
      }
      const days = await prompter.pick(durations, { title: `Ban ${who} from ${whereText}: for how long?` });
      const comment = (await prompter.input({ title: `Ban ${who}: a private comment`, prompt: 'For you and your team; the Tolokers do not see it', value: 'Banned from VS Code' })).trim().slice(0, 499);
      await prompter.confirm({ message: `Ban ${who} from ${whereText}${days ? ` for ${days} day(s)` : ' until lifted'}?`, detail: 'They will take no more task suites there. Their answers so far stay as they are.', action: 'Ban' });
      const will = days ? { will_expire: formatDateTime(new Date(Date.now() + days * 86_400_000)) } : {};
      const ids: string[] = [];
      for (const user_id of workers) {
        const r = await client.userRestrictions.put({ scope, user_id, ...target, private_comment: comment || 'Banned from VS Code', ...will });
        ids.push(r.id ?? '');
      }
      log.info(`${who} banned from ${whereText} (${ids.join(', ')})`);
      void prompter.message('info', `${who === `Toloker ${workers[0] ?? ''}` ? who : `${workers.length} Toloker(s)`} banned from ${whereText}.`);
      view.refresh();
      return ids;
    },
    { failure: 'Could not ban' },
  );

  registerCommand(
    context,
    deps,
    Commands.liftBan,
    async ({ prompter, log }, arg) => {
      const { client } = await deps.connections.connection();
      let ban = arg && typeof arg === 'object' && 'id' in arg && 'user_id' in arg ? (arg as Ban) : undefined;
      if (!ban) {
        const all: Ban[] = [];
        for await (const r of client.userRestrictions.all()) if (r.id && r.scope !== 'SYSTEM') all.push({ ...r, id: r.id });
        if (all.length === 0) throw new Error('no Toloker is banned');
        ban = await prompter.pick(all.map((b) => ({ label: b.user_id, description: `${b.scope.toLowerCase()} ${b.pool_id ?? b.project_id ?? ''}`.trim(), detail: b.private_comment, value: b })), { title: 'Lift which ban?' });
      }
      await prompter.confirm({ message: `Lift the ban of Toloker ${ban.user_id} (${ban.scope === 'POOL' ? `pool ${ban.pool_id ?? ''}` : ban.scope === 'PROJECT' ? `project ${ban.project_id ?? ''}` : 'all projects'})?`, detail: 'They will be able to take task suites there again.', action: 'Lift Ban' });
      await client.userRestrictions.remove(ban.id);
      log.info(`ban ${ban.id} of Toloker ${ban.user_id} lifted`);
      view.refresh();
      return ban.id;
    },
    { failure: 'Could not lift the ban' },
  );
}
