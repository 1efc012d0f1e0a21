/** Command and view identifiers, shared by package.json contributions, handlers and tests. */
export const Commands = {
  showLogs: 'toloka.showLogs',
  selectEnvironment: 'toloka.selectEnvironment',
  startLocalSandbox: 'toloka.startLocalSandbox',
  stopLocalSandbox: 'toloka.stopLocalSandbox',
} as const;

export const Views = {
  container: 'toloka',
  projects: 'toloka.projects',
} as const;
