/** Command and view identifiers, shared by package.json contributions, handlers and tests. */
export const Commands = {
  showLogs: 'toloka.showLogs',
} as const;

export const Views = {
  container: 'toloka',
  projects: 'toloka.projects',
} as const;
