export { startPostgresServer, freePort, freePorts } from './server';
export type { PostgresServer, PostgresServerOptions, PgServerLogger } from './server';
export { provisionServiceDatabase, serviceDatabaseName } from './provision';
export type { ProvisionOptions } from './provision';
export { postgresBinaries } from './binaries';
