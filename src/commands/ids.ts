/** Command and view identifiers, shared by package.json contributions, handlers and tests. */
export const Commands = {
  showLogs: 'toloka.showLogs',
  selectEnvironment: 'toloka.selectEnvironment',
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
} as const;

export const Views = {
  container: 'toloka',
  projects: 'toloka.projects',
  operations: 'toloka.operations',
} as const;
