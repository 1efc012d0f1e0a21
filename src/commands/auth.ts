import * as vscode from 'vscode';
import type { ClientProvider } from '../environment/clientProvider';
import { storedCredentialKey, type StoredCredential } from '../environment/clientProvider';
import { hostedApiRoots, TolokaClient } from '../toloka/client';
import { isTolokaError } from '../toloka/errors';
import { guessAuthScheme, type AuthScheme } from '../toloka/http';
import { Commands } from './ids';

export interface AuthDeps {
  readonly connections: ClientProvider;
  readonly secrets: vscode.SecretStorage;
  readonly log: vscode.LogOutputChannel;
}

/**
 * `Toloka: Sign In` asks for an OAuth token or API key, checks it with the requester
 * endpoint, and keeps it in SecretStorage for the current environment. A refused credential
 * is reported and not stored. Nothing logs or writes the credential anywhere else.
 */
export function registerAuth(context: vscode.ExtensionContext, deps: AuthDeps): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(Commands.signIn, async (given?: { credential: string; scheme?: AuthScheme }) => {
      const s = deps.connections.settings();
      const env = s.environment;
      if (env === 'local') {
        void vscode.window.showInformationMessage('The local sandbox needs no sign-in. Switch the environment to sign in to Toloka.', 'Select Environment…').then((a) => {
          if (a) void vscode.commands.executeCommand(Commands.selectEnvironment);
        });
        return false;
      }
      const credential = given?.credential ?? (await vscode.window.showInputBox({
        title: `Sign in to Toloka ${env}`,
        prompt: 'Paste an API key (Profile → API keys in Toloka) or a legacy OAuth token',
        password: true,
        ignoreFocusOut: true,
        validateInput: (v) => (v.trim() === '' ? 'Paste the key or token' : /\s/.test(v.trim()) ? 'A key or token has no spaces' : undefined),
      }))?.trim();
      if (!credential) return false;
      let scheme = given?.scheme;
      if (!scheme) {
        const guessed = guessAuthScheme(credential);
        const pick = await vscode.window.showQuickPick(
          [
            { label: 'ApiKey' as const, description: guessed === 'ApiKey' ? '(looks like one)' : '', detail: 'An API key: never expires' },
            { label: 'OAuth' as const, description: guessed === 'OAuth' ? '(looks like one)' : '', detail: 'A legacy OAuth token' },
          ].sort((a) => (a.label === guessed ? -1 : 1)),
          { title: 'What kind of credential is it?' },
        );
        if (!pick) return false;
        scheme = pick.label;
      }
      const apiRoot = env === 'custom' ? `${s.customUrl.replace(/\/+$/, '').replace(/\/api$/, '')}/api` : hostedApiRoots[env];
      const client = new TolokaClient({ baseUrl: apiRoot, credential, authScheme: scheme, maxAttempts: 2, timeoutMs: 20_000, logger: deps.log });
      try {
        const me = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Checking the credential with Toloka ${env}…` }, () => client.requester.get());
        const stored: StoredCredential = { credential, scheme };
        await deps.secrets.store(storedCredentialKey(env), JSON.stringify(stored));
        const name = me.public_name?.['EN'] ?? Object.values(me.public_name ?? {})[0] ?? me.id;
        deps.log.info(`Signed in to Toloka ${env} as ${name} (${me.id}) with ${scheme}`);
        void vscode.window.showInformationMessage(`Signed in to Toloka ${env} as ${name}.`);
        return true;
      } catch (err) {
        const refused = isTolokaError(err) && (err.kind === 'unauthorized' || err.kind === 'forbidden');
        const reason = refused ? `Toloka ${env} refused this ${scheme === 'ApiKey' ? 'API key' : 'token'}` : `Could not reach Toloka ${env}: ${err instanceof Error ? err.message : String(err)}`;
        deps.log.warn(`Sign-in to Toloka ${env} failed: ${reason}`);
        void vscode.window.showErrorMessage(`${reason}. Nothing was stored.`);
        return false;
      }
    }),
    vscode.commands.registerCommand(Commands.signOut, async () => {
      const env = deps.connections.settings().environment;
      await deps.secrets.delete(storedCredentialKey(env));
      deps.log.info(`Signed out of Toloka ${env}`);
      void vscode.window.showInformationMessage(`Signed out of Toloka ${env}.`);
    }),
  );
}
