/**
 * A statement drizzle builds once per database handle and from then on only runs, with the values
 * of its placeholders (`sql.placeholder`). drizzle builds a query's text anew on every call,
 * walking the query and checking each chunk, column and parameter: on the business 360 query that
 * was 9–11 % of all the CPU a profile sampled (issue 7, item 5), spent building the same four texts.
 * For the lookups every request makes; a query run now and then is clearer built where it runs.
 *
 * A transaction's handle gets its own statement, kept only while the transaction lives.
 */
export function reusable<D extends object, P>(build: (db: D) => { prepare(name: string): P }): (db: D) => P {
  const built = new WeakMap<D, P>();
  return (db) => {
    let statement = built.get(db);
    if (!statement) {
      // Unnamed: node-postgres sends it as any other statement, so whether the server keeps it
      // prepared stays the connection's choice (PreparingClient; none behind a transaction pooler).
      statement = build(db).prepare('');
      built.set(db, statement);
    }
    return statement;
  };
}
