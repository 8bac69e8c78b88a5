export * from './identity';
export * from './reuse';
export * from './secrets';
export * from './tokens';
