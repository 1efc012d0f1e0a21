/**
 * The Toloka API client: one HttpCore (one axios instance) shared by an object per API area.
 * No `vscode` import: the same client serves the extension, the tests and command-line tools.
 */
import { AnalyticsApi } from './endpoints/analytics';
import { AppsApi } from './endpoints/apps';
import { AssignmentsApi } from './endpoints/assignments';
import { UserBonusesApi, UserMetadataApi } from './endpoints/bonuses';
import { AggregatedSolutionsApi, AttachmentsApi, RequesterApi, SkillsApi, UserRestrictionsApi } from './endpoints/misc';
import { MessagesApi } from './endpoints/messages';
import { UserSkillsApi } from './endpoints/userSkills';
import { OperationsApi } from './endpoints/operations';
import { PoolsApi, TrainingsApi } from './endpoints/pools';
import { ProjectsApi } from './endpoints/projects';
import { TaskSuitesApi, TasksApi } from './endpoints/tasks';
import { WebhooksApi } from './endpoints/webhooks';
import { SandboxApi } from './endpoints/sandbox';
import { z } from 'zod';
import { HttpCore, type HttpOptions } from './http';

/** Where the extension and the command line can talk to: Toloka's two hosted environments, the local sandbox, any other server. */
export const EnvironmentName = z.enum(['production', 'sandbox', 'local', 'custom']);
export type EnvironmentName = z.infer<typeof EnvironmentName>;

/** API roots (`…/api`) of Toloka's hosted environments. */
export const hostedApiRoots = {
  production: 'https://toloka.dev/api',
  sandbox: 'https://sandbox.toloka.dev/api',
} as const;

/**
 * The API root (`<origin>/api`) of a server given by its site root or its API root:
 * `http://127.0.0.1:8800`, `http://127.0.0.1:8800/` and `http://127.0.0.1:8800/api` alike.
 */
export function apiRootOf(url: string): string {
  return `${url.trim().replace(/\/+$/, '').replace(/\/api$/, '')}/api`;
}

/** Web UI origins, for "Open in Toloka" links. */
export const webOrigins = {
  production: 'https://platform.toloka.ai',
  sandbox: 'https://platform.sandbox.toloka.ai',
} as const;

export class TolokaClient {
  readonly core: HttpCore;
  readonly requester: RequesterApi;
  readonly projects: ProjectsApi;
  readonly pools: PoolsApi;
  readonly trainings: TrainingsApi;
  readonly tasks: TasksApi;
  readonly taskSuites: TaskSuitesApi;
  readonly assignments: AssignmentsApi;
  readonly operations: OperationsApi;
  readonly aggregatedSolutions: AggregatedSolutionsApi;
  readonly attachments: AttachmentsApi;
  readonly skills: SkillsApi;
  readonly userRestrictions: UserRestrictionsApi;
  readonly userSkills: UserSkillsApi;
  readonly apps: AppsApi;
  readonly analytics: AnalyticsApi;
  readonly userBonuses: UserBonusesApi;
  readonly webhooks: WebhooksApi;
  readonly messages: MessagesApi;
  readonly userMetadata: UserMetadataApi;
  /** Routes only the local sandbox has (dry-runs). */
  readonly sandbox: SandboxApi;

  constructor(options: HttpOptions) {
    this.core = new HttpCore(options);
    this.requester = new RequesterApi(this.core);
    this.projects = new ProjectsApi(this.core);
    this.pools = new PoolsApi(this.core);
    this.trainings = new TrainingsApi(this.core);
    this.tasks = new TasksApi(this.core);
    this.taskSuites = new TaskSuitesApi(this.core);
    this.assignments = new AssignmentsApi(this.core);
    this.operations = new OperationsApi(this.core);
    this.aggregatedSolutions = new AggregatedSolutionsApi(this.core);
    this.attachments = new AttachmentsApi(this.core);
    this.skills = new SkillsApi(this.core);
    this.userRestrictions = new UserRestrictionsApi(this.core);
    this.userSkills = new UserSkillsApi(this.core);
    this.apps = new AppsApi(this.core);
    this.analytics = new AnalyticsApi(this.core, this.operations);
    this.userBonuses = new UserBonusesApi(this.core);
    this.webhooks = new WebhooksApi(this.core);
    this.messages = new MessagesApi(this.core);
    this.userMetadata = new UserMetadataApi(this.core);
    this.sandbox = new SandboxApi(this.core);
  }
}
