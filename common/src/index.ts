export * from './errors';
export * from './users';
export * from './auth';
export * from './health';
export * from './channels';
export * from './realtime/events';
