import { createHash } from 'node:crypto';
import pg from 'pg';

/**
 * Statements prepared once per connection, as asyncpg, JDBC and the `postgres` driver do by
 * default. node-postgres sends every statement it is not given a name for as an unnamed one, which
 * the server parses, analyses and plans afresh each time: measured on the embedded server, about
 * 120 µs of the server's CPU of a bulk insert's 390 and 55 µs of a small select's 160. A service
 * sends the same few hundred texts again and again (drizzle builds them; `insertRows` and `anyOf`
 * keep a batch's size out of the text), so each connection here names a parameterized text the
 * second time the process sees it and from then on only binds and executes it. The server then
 * plans it as it plans any prepared statement (plan_cache_mode: custom plans, then a generic one
 * where that costs no more).
 *
 * Bounded both ways: texts seen once (built for one list's length, say) are never prepared, the
 * process remembers at most SEEN_MAX texts it has seen once, and a connection prepares at most
 * PREPARED_MAX statements (past that it sends new texts unnamed, as before). A failed parse is not
 * remembered (node-postgres forgets a name whose parse the server refused), and a new connection
 * starts with none.
 */
const SEEN_MAX = 2000;
export const PREPARED_MAX = 500;

/** Texts seen once, waiting for a second sighting; then their name. Shared by every connection. */
const seen = new Map<string, string | null>();

function nameFor(text: string): string | undefined {
  const known = seen.get(text);
  if (known) return known;
  if (known === undefined) {
    if (seen.size >= SEEN_MAX) seen.clear();
    seen.set(text, null);
    return undefined;
  }
  // The digest names the text: one name never stands for two texts, which node-postgres refuses.
  const name = `oc_${createHash('sha256').update(text).digest('base64url').slice(0, 32)}`;
  seen.set(text, name);
  return name;
}

type QueryConfig = pg.QueryConfig & { name?: string };

/** What node-postgres's connection keeps of the statements named on it: parsed, and sent but not yet parsed. */
interface NamedStatements {
  parsedStatements: Record<string, string>;
  submittedNamedStatements: Record<string, string>;
}

export class PreparingClient extends pg.Client {
  /** Names this connection has given out (the server holds a prepared statement for each it parsed). */
  private readonly named = new Set<string>();

  // node-postgres's overloads, kept as they are: only a parameterized config without a name changes.
  override query(...args: unknown[]): never {
    const [config, values] = args as [unknown, unknown];
    if (config && typeof config === 'object' && !('submit' in config)) {
      const c = config as QueryConfig;
      const params = Array.isArray(values) ? values : c.values;
      if (!c.name && typeof c.text === 'string' && params && params.length > 0) {
        const name = nameFor(c.text);
        if (name && this.admit(name)) args[0] = { ...c, name };
      }
    }
    return (super.query as (...a: unknown[]) => never)(...args);
  }

  /** Whether this connection may send `name` (it has, or it is under its bound); then counts it. */
  private admit(name: string): boolean {
    if (!this.named.has(name) && this.named.size >= PREPARED_MAX) {
      // At the bound: let go of the names whose parse the server refused, then look again.
      const { parsedStatements, submittedNamedStatements } = (this as unknown as { connection: NamedStatements })
        .connection;
      for (const n of this.named)
        if (!(n in parsedStatements) && !(n in submittedNamedStatements)) this.named.delete(n);
      if (this.named.size >= PREPARED_MAX) return false;
    }
    this.named.add(name);
    return true;
  }
}
