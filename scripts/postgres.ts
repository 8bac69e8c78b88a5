/**
 * The embedded PostgreSQL server as one supervised process of `npm start` (@onecheck/pgserver: the
 * cluster in <DATA_DIR>/postgres, listening on 127.0.0.1:POSTGRES_PORT). Running it in its own
 * child, not in the supervisor, means it stops with the supervisor whatever ends it: the SIGTERM
 * this process gets then (from the supervisor, or from its reaper) stops the server cleanly. If the
 * server dies, this process exits and the supervisor starts it again.
 */
import { startPostgresServer } from '@onecheck/pgserver';
import { postgresEnv } from './env';

const { dataDir, port } = postgresEnv();
const say = (line: string) => console.log(line);
const server = await startPostgresServer({
  dataDir,
  port,
  logger: { info: () => {}, warn: say, error: (line) => console.error(line) },
});
console.log(`PostgreSQL ready on 127.0.0.1:${server.port} (pid ${server.pid}, data ${dataDir}/postgres)`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await server.stop();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
void server.exited.then(({ code, signal }) => {
  if (stopping) return;
  console.error(`PostgreSQL stopped on its own (code ${code}, signal ${signal})`);
  process.exit(1);
});
