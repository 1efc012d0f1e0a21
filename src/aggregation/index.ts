export * from './responses';
export * from './majorityVote';
export * from './dawidSkene';
