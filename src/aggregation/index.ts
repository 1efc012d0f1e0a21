export * from './responses';
export * from './groups';
export * from './majorityVote';
export * from './wawa';
export * from './dawidSkene';
export * from './glad';
export * from './methods';
// runInWorker is imported from './runInWorker' where it is used: re-exported here it would load
// worker_threads and zod/mini into every importer, the command-line tool included (+20 MB RSS).
export * from './median';
