export * from './catalogue';
export * from './cloudevent';
export * from './outbox';
export * from './tables';
export * from './validate';
