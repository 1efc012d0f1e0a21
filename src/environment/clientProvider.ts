import * as vscode from 'vscode';
import { apiRootOf, hostedApiRoots, TolokaClient } from '../toloka/client';
import type { AuthScheme } from '../toloka/http';
import { Disposable } from '../util/disposable';
import type { LocalSandboxService } from './localSandbox';
import { readSettings, type EnvironmentName, type Settings } from './settings';

/** What Sign In keeps in SecretStorage, one entry per environment. */
export interface StoredCredential {
  readonly credential: string;
  readonly scheme: AuthScheme;
  /** The API root the credential was entered for: it is sent nowhere else without consent. */
  readonly apiRoot?: string | undefined;
}

/**
 * Asks whether a credential entered for one address may go to another; true only when the
 * user agreed. The composition root asks through the prompter.
 */
export type CredentialConsent = (question: { environment: EnvironmentName; enteredFor: string; now: string }) => Promise<boolean>;

export function storedCredentialKey(environment: EnvironmentName): string {
  return `toloka.token.${environment}`;
}

/** The credential the built-in sandbox is called with; it accepts any. */
const LOCAL_CREDENTIAL = 'local-sandbox';

export interface Connection {
  readonly environment: EnvironmentName;
  readonly apiRoot: string;
  readonly client: TolokaClient;
}

/** The API root of the environment in the settings, without needing a credential. */
export function apiRootFor(s: Settings): string | undefined {
  if (s.environment === 'custom') return s.customUrl.trim() ? apiRootOf(s.customUrl) : undefined;
  if (s.environment === 'local') return s.localUrl.trim() ? apiRootOf(s.localUrl) : undefined;
  return hostedApiRoots[s.environment];
}

/**
 * Builds the client for the chosen environment, once per change of settings or sign-in.
 * Tokens come from SecretStorage, one per environment; nothing else stores them, and nothing
 * here keeps them in a property another extension could read.
 */
export class ClientProvider extends Disposable {
  readonly #changed = this.own(new vscode.EventEmitter<void>());
  /** Fires when the environment or its credential changes. */
  readonly onDidChange = this.#changed.event;
  #current: Promise<Connection> | undefined;
  readonly #secrets: vscode.SecretStorage;
  readonly #local: LocalSandboxService;
  readonly #log: vscode.LogOutputChannel;
  readonly #consent: CredentialConsent;
  /** Moves the user refused in this session (environment → address): not asked again. */
  readonly #refused = new Set<string>();

  constructor(secrets: vscode.SecretStorage, local: LocalSandboxService, log: vscode.LogOutputChannel, consent: CredentialConsent) {
    super();
    this.#secrets = secrets;
    this.#local = local;
    this.#log = log;
    this.#consent = consent;
    this.own(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('toloka')) this.reset();
      }),
    );
    this.own(
      secrets.onDidChange((e) => {
        if (!e.key.startsWith('toloka.token.')) return;
        this.#refused.clear();
        this.reset();
      }),
    );
  }

  settings(): Settings {
    return readSettings(this.#log);
  }

  reset(): void {
    this.#current = undefined;
    this.#changed.fire();
  }

  /**
   * The connection made already for the current settings, if any: for background figures
   * (a CodeLens, a hover) that must never start the sandbox or ask for anything.
   */
  existing(): Promise<Connection> | undefined {
    return this.#current;
  }

  /**
   * The connection for the current settings. Concurrent callers share one; a failed attempt
   * is forgotten (the next call tries again) unless a newer attempt has replaced it already.
   */
  connection(): Promise<Connection> {
    if (!this.#current) {
      const attempt = this.connect();
      this.#current = attempt;
      attempt.catch(() => {
        if (this.#current === attempt) this.#current = undefined;
      });
    }
    return this.#current;
  }

  /**
   * The local sandbox (`toloka.localUrl`, or the built-in one, started if need be), whatever
   * environment is chosen: where dry-runs go. Needs no credential.
   */
  async local(): Promise<Connection> {
    const s = this.settings();
    return s.environment === 'local' ? await this.connection() : await this.localConnection(s);
  }

  private async localConnection(s: Settings): Promise<Connection> {
    const apiRoot = apiRootFor({ ...s, environment: 'local' }) ?? (await this.#local.ensureStarted()).apiRoot;
    return { environment: 'local', apiRoot, client: new TolokaClient({ timeoutMs: s.requestTimeoutSeconds * 1000, logger: this.#log, userAgent: 'toloka-vscode', baseUrl: apiRoot, credential: LOCAL_CREDENTIAL }) };
  }

  private async connect(): Promise<Connection> {
    const s = this.settings();
    const common = { timeoutMs: s.requestTimeoutSeconds * 1000, logger: this.#log, userAgent: 'toloka-vscode' };
    if (s.environment === 'local') return await this.localConnection(s);
    const apiRoot = apiRootFor(s);
    if (!apiRoot) throw new Error('Set toloka.customUrl to the address of your Toloka-compatible server');
    const raw = await this.#secrets.get(storedCredentialKey(s.environment));
    if (!raw) throw new Error(`Not signed in to Toloka ${s.environment}: run "Toloka: Sign In"`);
    let stored: StoredCredential;
    try {
      stored = JSON.parse(raw) as StoredCredential;
    } catch {
      stored = { credential: raw, scheme: 'OAuth' };
    }
    if (stored.apiRoot !== apiRoot) stored = await this.rebind(s.environment, stored, apiRoot);
    return { environment: s.environment, apiRoot, client: new TolokaClient({ ...common, baseUrl: apiRoot, credential: stored.credential, authScheme: stored.scheme }) };
  }

  /**
   * The credential of this environment was entered for another address (the custom URL was
   * changed since): it goes to the new one only if the user says so, and is then bound to it.
   */
  private async rebind(environment: EnvironmentName, stored: StoredCredential, apiRoot: string): Promise<StoredCredential> {
    const enteredFor = stored.apiRoot ?? 'an address this version of the extension did not record';
    const key = `${environment} ${apiRoot}`;
    const refusal = new Error(`the ${environment} API key was entered for ${enteredFor}, not ${apiRoot}, and was not sent there. Sign in again for ${apiRoot}, or set toloka.customUrl back`);
    if (this.#refused.has(key)) throw refusal;
    const agreed = await this.#consent({ environment, enteredFor, now: apiRoot });
    if (!agreed) {
      this.#refused.add(key);
      this.#log.warn(`Not sending the ${environment} credential to ${apiRoot}: it was entered for ${enteredFor}`);
      throw refusal;
    }
    const rebound: StoredCredential = { ...stored, apiRoot };
    this.#log.info(`The ${environment} credential now goes to ${apiRoot}, as agreed`);
    await this.#secrets.store(storedCredentialKey(environment), JSON.stringify(rebound));
    return rebound;
  }
}
