import * as vscode from 'vscode';
import { apiRootFor, storedCredentialKey, type ClientProvider, type StoredCredential } from '../environment/clientProvider';
import { Commands } from '../ids';
import { TolokaClient } from '../toloka/client';
import { describeError, isTolokaError } from '../toloka/errors';
import { guessAuthScheme, type AuthScheme } from '../toloka/http';
import { registerCommand, type CommandServices } from './registerCommand';

export interface AuthDeps extends CommandServices {
  readonly connections: ClientProvider;
  readonly secrets: vscode.SecretStorage;
}

/**
 * `Toloka: Sign In` asks for an OAuth token or API key, checks it with the requester
 * endpoint, and keeps it in SecretStorage for the current environment. A refused credential
 * is reported and not stored. Nothing logs or writes the credential anywhere else, and the
 * command takes no arguments: a credential is only ever typed by the user.
 */
export function registerAuth(context: vscode.ExtensionContext, deps: AuthDeps): void {
  registerCommand(
    context,
    deps,
    Commands.signIn,
    async ({ prompter, log }) => {
      const s = deps.connections.settings();
      const env = s.environment;
      if (env === 'local') {
        void prompter.message('info', 'The local sandbox needs no sign-in. Switch the environment to sign in to Toloka.', 'Select Environment…').then((a) => {
          if (a) void vscode.commands.executeCommand(Commands.selectEnvironment);
        });
        return false;
      }
      const apiRoot = apiRootFor(s);
      if (!apiRoot) throw new Error('the custom environment has no address: set toloka.customUrl (for example http://127.0.0.1:8999) first');
      const credential = (
        await prompter.input({
          title: `Sign in to Toloka ${env}`,
          prompt: `Paste an API key (Profile → API keys in Toloka) or a legacy OAuth token for ${apiRoot}`,
          password: true,
          validate: (v) => (v.trim() === '' ? 'Paste the key or token' : /\s/.test(v.trim()) ? 'A key or token has no spaces' : undefined),
        })
      ).trim();
      const guessed = guessAuthScheme(credential);
      const scheme = await prompter.pick<AuthScheme>(
        [
          { label: 'ApiKey', value: 'ApiKey' as const, description: guessed === 'ApiKey' ? '(looks like one)' : '', detail: 'An API key: never expires' },
          { label: 'OAuth', value: 'OAuth' as const, description: guessed === 'OAuth' ? '(looks like one)' : '', detail: 'A legacy OAuth token' },
        ].sort((a) => (a.value === guessed ? -1 : 1)),
        { title: 'What kind of credential is it?' },
      );
      const client = new TolokaClient({ baseUrl: apiRoot, credential, authScheme: scheme, maxAttempts: 2, timeoutMs: 20_000, logger: log });
      try {
        const me = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Checking the credential with Toloka ${env}…` }, () => client.requester.get());
        const stored: StoredCredential = { credential, scheme, apiRoot };
        await deps.secrets.store(storedCredentialKey(env), JSON.stringify(stored));
        const name = me.public_name?.['EN'] ?? Object.values(me.public_name ?? {})[0] ?? me.id;
        log.info(`Signed in to Toloka ${env} as ${name} (${me.id}) with ${scheme}`);
        void prompter.message('info', `Signed in to Toloka ${env} as ${name}.`);
        return true;
      } catch (err) {
        const refused = isTolokaError(err) && (err.kind === 'unauthorized' || err.kind === 'forbidden');
        const reason = refused ? `Toloka ${env} refused this ${scheme === 'ApiKey' ? 'API key' : 'token'}` : `could not reach Toloka ${env}: ${describeError(err)}`;
        log.warn(`Sign-in to Toloka ${env} failed: ${reason}`);
        throw new Error(`${reason}. Nothing was stored`, { cause: err });
      }
    },
    { failure: 'Sign-in failed' },
  );
  registerCommand(context, deps, Commands.signOut, async ({ prompter, log }) => {
    const env = deps.connections.settings().environment;
    await deps.secrets.delete(storedCredentialKey(env));
    log.info(`Signed out of Toloka ${env}`);
    void prompter.message('info', `Signed out of Toloka ${env}.`);
  });
}
