import pg from 'pg';

/**
 * A node-postgres pool that gets its connections back when the server goes away.
 *
 * drizzle's transaction() checks a client out, sends `begin`, and releases the client in a
 * `finally` that only starts after `begin` succeeded: when `begin` fails (the connection was
 * terminated by a server restart while idle in the pool), the client is never released. Each
 * such leak takes one connection from the pool for good; after `max` of them every request waits
 * for a connection that never comes, and `pool.end()` never returns.
 *
 * Here a checked-out client that loses its connection (node-postgres always reports that as an
 * 'error' event on the client) is released at once with that error, so the pool destroys it and
 * opens a fresh one on demand; the later release by its borrower is then a no-op.
 */
export class ResilientPool extends pg.Pool {
  override connect(): Promise<pg.PoolClient>;
  override connect(
    callback: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void,
  ): void;
  override connect(
    callback?: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void,
  ): Promise<pg.PoolClient> | void {
    if (!callback) return super.connect().then(guard);
    // pool.query() borrows through the callback form.
    super.connect((err, client, done) => {
      if (err || !client) return callback(err, client, done);
      const guarded = guard(client);
      callback(undefined, guarded, (release?: unknown) => guarded.release(release as Error | boolean | undefined));
    });
  }
}

function guard(client: pg.PoolClient): pg.PoolClient {
  const release = client.release.bind(client);
  let released = false;
  const onLost = (err: Error) => {
    if (released) return;
    released = true;
    release(err);
  };
  client.once('error', onLost);
  client.release = (err?: Error | boolean) => {
    client.removeListener('error', onLost);
    if (released) return;
    released = true;
    release(err);
  };
  return client;
}
