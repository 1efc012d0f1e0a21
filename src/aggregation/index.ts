export * from './responses';
export * from './majorityVote';
export * from './wawa';
export * from './dawidSkene';
export * from './glad';
export * from './methods';
export * from './runInWorker';
