import { Column, getTableColumns, is, SQL, sql, Table, type SQLWrapper } from 'drizzle-orm';

/** A drizzle select: what it yields, its SQL and the fields it selects. */
interface Select<T> extends SQLWrapper, PromiseLike<T> {
  readonly _: { readonly selectedFields: unknown };
}

type Field = Column | SQL | SQL.Aliased;
type Decoder = { mapFromDriverValue(value: unknown): unknown };

/**
 * A selection's fields with their paths, in the order drizzle writes them in the statement (its
 * own, internal, orderSelectedFields walks them the same way: entries in order, tables and nested
 * objects in place).
 */
function fieldsOf(selection: Record<string, unknown>, prefix: string[] = []): { path: string[]; field: Field }[] {
  return Object.entries(selection).flatMap(([key, value]) => {
    const path = [...prefix, key];
    if (is(value, Column) || is(value, SQL) || is(value, SQL.Aliased)) return [{ path, field: value }];
    if (is(value, Table)) return fieldsOf(getTableColumns(value), path);
    return fieldsOf(value as Record<string, unknown>, path);
  });
}

/**
 * Columns whose JSON value is what the driver hands drizzle (a number, a boolean, a parsed JSON
 * document, plain text). Every other column travels as its text, which is what the driver hands
 * drizzle for it (timestamps, dates, numerics, arrays, bigints): its decoder then sees the usual.
 */
const SAME_IN_JSON = new Set([
  'PgBoolean',
  'PgInteger',
  'PgSmallInt',
  'PgSerial',
  'PgSmallSerial',
  'PgReal',
  'PgDoublePrecision',
  'PgJson',
  'PgJsonb',
  'PgText',
  'PgVarchar',
  'PgChar',
  'PgUUID',
  'PgEnumColumn',
]);

// A column decodes its own values; SQL carries the decoder `mapWith` gave it (drizzle's own field).
const decoderOf = (field: Field): Decoder =>
  is(field, Column) ? field : ((is(field, SQL) ? field : field.sql) as unknown as { decoder: Decoder }).decoder;

/** A field as one element of its row's JSON array. */
const asJson = (field: Field, i: number): SQL => {
  const value = sql.raw(`t.c${i}`);
  return is(field, Column) && !SAME_IN_JSON.has(field.columnType) ? sql`${value}::text` : value;
};

/** A row as drizzle builds it from the driver's values: nested objects by path, each value decoded. */
function decodeRow(
  fields: readonly { path: string[]; decoder: Decoder }[],
  values: unknown[],
): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  fields.forEach(({ path, decoder }, i) => {
    let node = row;
    for (const part of path.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
    const value = values[i];
    node[path.at(-1)!] = value === null || value === undefined ? null : decoder.mapFromDriverValue(value);
  });
  return row;
}

/**
 * Several selects in ONE statement, so one round trip instead of one each. Each answer equals its
 * select's own: the rows, in its order (each select's rows travel as one JSON array, aggregated
 * over the select as a sorted subquery, which PostgreSQL aggregates in its order), decoded by its
 * columns as drizzle decodes them.
 *
 * Why: a statement's round trip costs far more than reading a few rows by an index — about 0.2 ms
 * of the service's CPU and as much of the server's on the benchmark machine, a network round trip
 * on a remote server — and a licence grant read six tables before it wrote (issue 7).
 *
 * Columns and SQL with a decoder (`mapWith`) alike; joins whose columns share a name are fine too
 * (each column is numbered, not named), but a left join's missing side comes back as an object of
 * nulls, not as null.
 */
export async function selectTogether<Q extends Record<string, Select<unknown>>>(
  db: { execute(query: SQL): PromiseLike<unknown> },
  selects: Q,
): Promise<{ [K in keyof Q]: Awaited<Q[K]> }> {
  const entries = Object.entries(selects).map(([key, select]) => ({
    key,
    select,
    // Each field's decoder found once per select, not once per value (drizzle's `is` walks prototypes).
    fields: fieldsOf(select._.selectedFields as Record<string, unknown>).map((f) => ({
      ...f,
      decoder: decoderOf(f.field),
    })),
  }));
  const columns = entries.map(({ select, fields }, n) => {
    const names = sql.raw(fields.map((_, i) => `c${i}`).join(', '));
    const row = sql.join(
      fields.map((field, i) => asJson(field.field, i)),
      sql`, `,
    );
    return sql`(select coalesce(json_agg(json_build_array(${row})), '[]'::json) from (${select}) as t(${names})) as ${sql.identifier(`s${n}`)}`;
  });
  const result = (await db.execute(sql`select ${sql.join(columns, sql`, `)}`)) as unknown as {
    rows: Record<string, unknown>[];
  };
  const [answers] = result.rows;
  return Object.fromEntries(
    entries.map(({ key, fields }, n) => {
      const cell = answers![`s${n}`];
      // node-postgres parses json; a driver that hands over its text is read the same way.
      const rows = (typeof cell === 'string' ? JSON.parse(cell) : cell) as unknown[][];
      return [key, rows.map((values) => decodeRow(fields, values))];
    }),
  ) as { [K in keyof Q]: Awaited<Q[K]> };
}
