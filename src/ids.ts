/** Command and view identifiers, shared by package.json contributions, handlers and tests. */
export const Commands = {
  showLogs: 'toloka.showLogs',
  openWalkthrough: 'toloka.openWalkthrough',
  selectEnvironment: 'toloka.selectEnvironment',
  useLocalSandbox: 'toloka.useLocalSandbox',
  startLocalSandbox: 'toloka.startLocalSandbox',
  stopLocalSandbox: 'toloka.stopLocalSandbox',
  signIn: 'toloka.signIn',
  signOut: 'toloka.signOut',
  refresh: 'toloka.refresh',
  refreshNode: 'toloka.refreshNode',
  loadMore: 'toloka.loadMore',
  filter: 'toloka.filter',
  clearFilter: 'toloka.clearFilter',
  findPool: 'toloka.findPool',
  copyId: 'toloka.copyId',
  openInToloka: 'toloka.openInToloka',
  openPool: 'toloka.pool.open',
  closePool: 'toloka.pool.close',
  archivePool: 'toloka.pool.archive',
  clonePool: 'toloka.pool.clone',
  openPoolAsJson: 'toloka.pool.openAsJson',
  refreshOperations: 'toloka.operations.refresh',
  showOperation: 'toloka.operations.show',
  newPoolFile: 'toloka.newPoolFile',
  newProjectFile: 'toloka.newProjectFile',
  newTasksFile: 'toloka.newTasksFile',
  validatePayload: 'toloka.validatePayload',
  createDemoProject: 'toloka.createDemoProject',
  uploadTasks: 'toloka.uploadTasks',
  sendItems: 'toloka.apps.sendItems',
  fetchAppResults: 'toloka.apps.fetchResults',
  downloadResults: 'toloka.downloadResults',
  downloadAttachments: 'toloka.downloadAttachments',
  applyReview: 'toloka.applyReview',
  aggregateResults: 'toloka.aggregateResults',
  aggregateOnToloka: 'toloka.aggregateOnToloka',
} as const;

/** The Getting Started walkthrough (contributes.walkthroughs), as `workbench.action.openWalkthrough` names it. */
export const WALKTHROUGH = 'toloka-community.toloka-vscode#toloka.gettingStarted';

export const Views = {
  container: 'toloka',
  projects: 'toloka.projects',
  operations: 'toloka.operations',
} as const;
