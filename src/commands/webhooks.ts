import type * as vscode from 'vscode';
import type { ClientProvider } from '../environment/clientProvider';
import { Commands } from '../ids';
import { WebhookEventType } from '../toloka/models';
import { pickPool, poolIdOf } from './pick';
import { registerCommand, type CommandServices } from './registerCommand';

export interface WebhookDeps extends CommandServices {
  readonly connections: ClientProvider;
}

const described: Record<string, string> = {
  ASSIGNMENT_CREATED: 'A Toloker took a task suite',
  ASSIGNMENT_SUBMITTED: 'A Toloker submitted a task suite',
  ASSIGNMENT_APPROVED: 'A task suite was accepted',
  ASSIGNMENT_REJECTED: 'A task suite was rejected',
  ASSIGNMENT_SKIPPED: 'A Toloker skipped a task suite',
  ASSIGNMENT_EXPIRED: 'A task suite was not done in time',
  DYNAMIC_OVERLAP_COMPLETED: 'A task got its aggregated answer (dynamic overlap)',
  POOL_CLOSED: 'The pool closed',
};

function urlProblem(v: string): string | undefined {
  try {
    const u = new URL(v.trim());
    return u.protocol === 'https:' || u.protocol === 'http:' ? undefined : 'an http:// or https:// URL';
  } catch {
    return 'a URL such as https://example.com/toloka-webhook';
  }
}

/** Subscribe to Pool Events… and Remove Webhook Subscription…, through the prompter. */
export function registerWebhookCommands(context: vscode.ExtensionContext, deps: WebhookDeps): void {
  registerCommand(
    context,
    deps,
    Commands.subscribePoolEvents,
    async ({ prompter, log }, arg) => {
      const poolId = poolIdOf(arg) ?? (await pickPool(prompter, deps.connections, 'Subscribe to the events of which pool?'));
      const types = await prompter.pickMany(
        WebhookEventType.options.filter((t) => t !== 'TEST_EVENT').map((t) => ({ label: t, description: described[t], value: t, picked: t === 'ASSIGNMENT_SUBMITTED' || t === 'POOL_CLOSED' })),
        { title: `Which events of pool ${poolId}?` },
      );
      if (types.length === 0) throw new Error('choose one event type at least');
      const url = (await prompter.input({ title: 'Toloka will POST the events to which URL?', placeHolder: 'https://example.com/toloka-webhook', validate: urlProblem })).trim();
      const secret = await prompter.input({ title: 'A secret key to sign the notifications with (Toloka-Signature); empty for none', password: true });
      const { client } = await deps.connections.connection();
      const r = await client.webhooks.upsert(types.map((event_type) => ({ webhook_url: url, event_type, pool_id: poolId, ...(secret ? { secret_key: secret } : {}) })));
      const errors = Object.entries(r.validation_errors ?? {}).map(([i, e]) => `${types[Number(i)] ?? i}: ${Object.entries(e).map(([f, v]) => `${f}: ${(v as { message?: string }).message ?? JSON.stringify(v)}`).join('; ')}`);
      if (errors.length > 0 && Object.keys(r.items).length === 0) throw new Error(`Toloka refused the subscription: ${errors.join(' · ')}`);
      log.info(`pool ${poolId}: ${Object.keys(r.items).length} webhook subscription(s) to ${url}`);
      void prompter.message(errors.length ? 'warning' : 'info', `Pool ${poolId}: ${Object.values(r.items).map((s) => s.event_type).join(', ')} go to ${url}${errors.length ? `; refused: ${errors.join(' · ')}` : ''}.`);
      return Object.values(r.items).map((s) => s.id);
    },
    { failure: 'Could not subscribe to the pool events' },
  );

  registerCommand(
    context,
    deps,
    Commands.removeWebhook,
    async ({ prompter }, arg) => {
      const { client } = await deps.connections.connection();
      const poolId = poolIdOf(arg);
      const subs = [];
      for await (const s of client.webhooks.all(poolId ? { pool_id: poolId } : {})) subs.push(s);
      if (subs.length === 0) throw new Error(`there are no webhook subscriptions${poolId ? ` for pool ${poolId}` : ''}`);
      const sub = await prompter.pick(subs.map((s) => ({ label: s.event_type, description: `pool ${s.pool_id}`, detail: s.webhook_url, value: s })), { title: 'Remove which webhook subscription?' });
      await prompter.confirm({ message: `Stop sending ${sub.event_type} of pool ${sub.pool_id} to ${sub.webhook_url}?`, action: 'Remove' });
      await client.webhooks.remove(sub.id);
      return sub.id;
    },
    { failure: 'Could not remove the webhook subscription' },
  );
}
