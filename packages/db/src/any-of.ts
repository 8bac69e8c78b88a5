import { sql, type AnyColumn, type SQL } from 'drizzle-orm';

/**
 * `column = any(array)` with the list as one array literal, not one parameter each: a list can be
 * longer than a statement takes parameters (65,535), and one parameter is cheaper to build and to
 * parse. For ids, credit codes, codes and numbers only (no commas, quotes or braces in them).
 */
export const anyOf = (
  column: SQL | AnyColumn,
  values: readonly (string | number)[],
  type: 'uuid' | 'text' | 'bigint',
): SQL => sql`${column} = any(${`{${values.join(',')}}`}::${sql.raw(type)}[])`;
