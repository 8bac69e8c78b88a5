/**
 * @onecheck/events — the event backbone (DESIGN.md §3).
 *
 * Producer side, inside the transaction that changes state:
 *   await db.transaction(async (tx) => { …update…; await recordEvent(tx, { source, type, key: uscc, data, time: now }); });
 *   // `data` is typed (and validated) by the type's contract in @onecheck/contracts.
 *   relay.notify(); // optional: publish now instead of at the next poll
 *
 * Wiring in a service (one relay per service database, one consumer per handler group):
 *   const bus = createBus({ brokers: brokersFromEnv() ?? [localBroker.brokers], clientId: 'market', logger });
 *   const relay = startRelay({ db, bus, logger, clock });
 *   const consumer = startConsumer({ db, bus, logger, clock, groupId: 'credit.licence-projection',
 *     topics: [TOPICS.licence], handlers: { 'onecheck.licence.granted.v1': async (event, tx) => { … } } });
 *   // on shutdown: await consumer.stop(); await relay.stop(); await bus.disconnect();
 */
export * from './catalogue';
export * from './cloudevent';
export * from './consumer';
export * from './kafka';
export * from './outbox';
export * from './relay';
export * from './retention';
export * from './signing';
export * from './tables';
export * from './validate';
