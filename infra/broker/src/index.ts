/**
 * @onecheck/broker — a single-node broker speaking the Kafka wire protocol,
 * for local runs and tests where no real Kafka can be installed. Production
 * points the same client code at real Kafka.
 */
export { startBroker, type RunningBroker } from './broker';
export type { BrokerOptions, BrokerLimits, Logger } from './config';
export { DEFAULT_LIMITS } from './config';
export type { ServerStats } from './server';
export {
  scramCredential,
  userCredentials,
  usersFromPasswords,
  loadUsersFile,
  SCRAM_MECHANISMS,
  type ScramCredential,
  type ScramMechanism,
  type UserCredentials,
} from './auth/scram';
export { ANONYMOUS, loadAccessFile, validateAccess, type AccessDefinition, type PrincipalAccess } from './auth/access';
export { ACCESS_FILE, ensureKafkaPasswords, generatePassword, passwordFile, passwordsFor } from './auth/credentials';
export { ensureLocalCa, type LocalCa } from './auth/localCa';
export { ensureComposeSecrets, passwordSecret } from './composeSecrets';
export { kafkaAcls, kafkaSetupScript, kafkaEnvFile, passwordVariable, type KafkaAcl } from './auth/kafkaSetup';
