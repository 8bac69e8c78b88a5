import { getTableColumns, is, SQL, sql } from 'drizzle-orm';
import {
  getTableConfig,
  type PgColumn,
  type PgDatabase,
  type PgQueryResultHKT,
  type PgTable,
} from 'drizzle-orm/pg-core';

/**
 * Many rows into one table with one statement whose text depends only on the table and the
 * columns written: every row's values travel as one JSON parameter, which PostgreSQL unpacks with
 * the table's own row type (`jsonb_populate_record`).
 *
 * Why not drizzle's `insert().values(rows)`: it builds the statement value by value (a hundred
 * licences are two thousand parameters, each passed through its entity checks), which was a fifth
 * of a busy service's CPU in the events benchmark, and PostgreSQL then parses a new statement of
 * thousands of parameters each time. Here the values are mapped exactly as drizzle maps them
 * (each column's `mapToDriverValue`, its `$defaultFn`, its SQL default when a value is left out),
 * and the rows go in in the order given, so a serial key (the outbox's seq) follows that order.
 *
 * For the hot paths that write batches (outbox, timers, inbox, licences, tasks); elsewhere
 * drizzle's builder stays the way to write.
 */

/** A database or transaction of either driver (index.ts's Db, named here without importing it). */
type Executor = Pick<PgDatabase<PgQueryResultHKT>, 'execute'>;

export interface InsertRowsOptions {
  /** `on conflict [(…)] do nothing`: rows that would conflict are left out. */
  onConflictDoNothing?: { target?: PgColumn | PgColumn[] };
  /** `on conflict (…) do update`: a conflicting row takes this row's values of the columns in `set`. */
  onConflictDoUpdate?: { target: PgColumn | PgColumn[]; set: PgColumn[] };
  /** Answer the rows inserted, as drizzle's `.returning()` does (mapped back to the table's fields). */
  returning?: boolean;
}

/** A table's columns as insertRows needs them, worked out once per table. */
interface Layout {
  /** [field, column], insertable columns only (not generated ones). */
  columns: [string, PgColumn][];
  /** All columns, to map a returned row back. */
  all: [string, PgColumn][];
  /** The table (and its row type), schema-qualified when it has a schema. */
  name: string;
  statements: Map<string, Statement>;
}

const layouts = new WeakMap<PgTable, Layout>();
const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

function layoutOf(table: PgTable): Layout {
  let layout = layouts.get(table);
  if (!layout) {
    const config = getTableConfig(table);
    const all = Object.entries(getTableColumns(table)) as [string, PgColumn][];
    layout = {
      all,
      // As drizzle's insert: a generated column (but one generated only by default) is not written.
      columns: all.filter(([, c]) => c.generated === undefined || c.generated.type === 'byDefault'),
      name: (config.schema ? `${quote(config.schema)}.` : '') + quote(config.name),
      statements: new Map(),
    };
    layouts.set(table, layout);
  }
  return layout;
}

const isJson = (c: PgColumn) => c.columnType === 'PgJsonb' || c.columnType === 'PgJson';

/** A value as the JSON parameter carries it: drizzle's driver value, JSON kept as JSON. */
function driverValue(column: PgColumn, value: unknown): unknown {
  if (value === null) return null;
  // Only an object can be SQL: the entity check (a prototype walk) is left to those.
  if (typeof value === 'object' && is(value, SQL))
    throw new Error(`insertRows takes values, not SQL (column ${column.name})`);
  if (isJson(column)) return value;
  const mapped = column.mapToDriverValue(value);
  if (typeof mapped === 'string' || typeof mapped === 'boolean') return mapped;
  if (typeof mapped === 'number' && Number.isFinite(mapped)) return mapped;
  throw new Error(`insertRows cannot carry ${typeof mapped} in JSON (column ${column.name})`);
}

const names = (columns: PgColumn | PgColumn[]) => [columns].flat().map((c) => quote(c.name));

function conflictClause({ onConflictDoNothing: nothing, onConflictDoUpdate: update }: InsertRowsOptions): string {
  if (update)
    return (
      ` on conflict (${names(update.target).join(', ')}) do update set ` +
      names(update.set)
        .map((n) => `${n} = excluded.${n}`)
        .join(', ')
    );
  if (nothing) return ` on conflict${nothing.target ? ` (${names(nothing.target).join(', ')})` : ''} do nothing`;
  return '';
}

/** The statement's text before and after its one parameter. */
type Statement = [string, string];

/** The statement for rows that give these columns; cached per table and column set. */
function statementFor(layout: Layout, columns: PgColumn[], options: InsertRowsOptions): Statement {
  const onConflict = conflictClause(options);
  const key = `${columns.map((c) => c.name).join(',')}|${onConflict}|${options.returning ? 'r' : ''}`;
  let statement = layout.statements.get(key);
  if (!statement) {
    const given = names(columns);
    statement = [
      `insert into ${layout.name} (${given.join(', ')}) ` +
        `select ${given.map((n) => `r.${n}`).join(', ')} ` +
        `from jsonb_array_elements(`,
      `::jsonb) with ordinality as x(e, n) ` +
        `cross join lateral jsonb_populate_record(null::${layout.name}, x.e) as r ` +
        // Rows in the order given: a serial default takes its values in this order.
        `order by x.n` +
        onConflict +
        (options.returning ? ' returning *' : ''),
    ];
    layout.statements.set(key, statement);
  }
  return statement;
}

/** Rows that give the same columns, in order: one statement. */
interface Run {
  columns: PgColumn[];
  shape: string;
  values: Record<string, unknown>[];
}

/**
 * The rows as the JSON the statement carries, cut into runs of rows that give the same columns.
 * Each row's columns: its own values, else the column's $defaultFn (or $onUpdateFn), else the SQL
 * default (the column left out of that row's statement).
 */
function runsOf(layout: Layout, rows: readonly Record<string, unknown>[]): Run[] {
  const runs: Run[] = [];
  for (const row of rows) {
    const values: Record<string, unknown> = {};
    const given: PgColumn[] = [];
    for (const [field, column] of layout.columns) {
      let value = row[field];
      if (value === undefined) {
        if (column.defaultFn) value = column.defaultFn();
        else if (!column.default && column.onUpdateFn) value = column.onUpdateFn();
      }
      if (value === undefined) continue;
      values[column.name] = driverValue(column, value);
      given.push(column);
    }
    // drizzle would write `values (default, …)`; every row in these paths gives values.
    if (!given.length) throw new Error(`insertRows needs at least one value a row (table ${layout.name})`);
    const shape = given.map((c) => c.name).join(',');
    const last = runs.at(-1);
    if (last?.shape === shape) last.values.push(values);
    else runs.push({ columns: given, shape, values: [values] });
  }
  return runs;
}

function runSql(layout: Layout, run: Run, options: InsertRowsOptions): SQL {
  const [head, tail] = statementFor(layout, run.columns, options);
  return sql`${sql.raw(head)}${JSON.stringify(run.values)}${sql.raw(tail)}`;
}

/**
 * Inserts `rows` into `table` (see above); answers the inserted rows when `returning` is set, in
 * the order inserted, else []. Rows that leave out different columns (a SQL default used for some
 * and not others) go as separate statements, in order.
 */
export async function insertRows<T extends PgTable>(
  tx: Executor,
  table: T,
  rows: readonly T['$inferInsert'][],
  options: InsertRowsOptions = {},
): Promise<T['$inferSelect'][]> {
  const layout = layoutOf(table);
  const inserted: T['$inferSelect'][] = [];
  for (const run of runsOf(layout, rows as readonly Record<string, unknown>[])) {
    const result = await tx.execute(runSql(layout, run, options));
    if (!options.returning) continue;
    for (const stored of (result as unknown as { rows: Record<string, unknown>[] }).rows) {
      const row: Record<string, unknown> = {};
      for (const [field, column] of layout.all) {
        const value = stored[column.name];
        row[field] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
      }
      inserted.push(row as T['$inferSelect']);
    }
  }
  return inserted;
}
