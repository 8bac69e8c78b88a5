/**
 * @onecheck/broker — a single-node broker speaking the Kafka wire protocol,
 * for local runs and tests where no real Kafka can be installed. Production
 * points the same client code at real Kafka.
 */
export { startBroker, type RunningBroker } from './broker';
export type { BrokerOptions, Logger } from './config';
