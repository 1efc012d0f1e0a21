export * from './responses';
export * from './majorityVote';
export * from './wawa';
export * from './dawidSkene';
