import { sql, type AnyColumn, type Placeholder, type SQL } from 'drizzle-orm';

/**
 * A value as an element of a PostgreSQL array literal: a number as it is, text double-quoted with
 * its quotes and backslashes escaped, so a comma, a brace, a space or the word NULL in it is text.
 */
const element = (value: string | number) =>
  typeof value === 'number' ? String(value) : `"${value.replace(/["\\]/g, '\\$&')}"`;

/** The element types arrayOf and anyOf take. */
type ElementType = 'uuid' | 'text' | 'bigint' | 'date';

/** A list as the text of one PostgreSQL array literal: what a reusable statement's list placeholder is given. */
export const arrayLiteral = (values: readonly (string | number)[]): string => `{${values.map(element).join(',')}}`;

/** A list, or the placeholder of a reusable statement (reusable.ts) to be given its arrayLiteral. */
type List = readonly (string | number)[] | Placeholder;

/**
 * A list as ONE parameter: a PostgreSQL array literal cast to `type[]`, for `any(…)`, `unnest(…)`
 * or an index into it. Any text, any number.
 */
export const arrayOf = (values: List, type: ElementType): SQL =>
  sql`${Array.isArray(values) ? arrayLiteral(values) : values}::${sql.raw(type)}[]`;

/**
 * `column = any(array)` with the list as one array literal, not one parameter each: a list can be
 * longer than a statement takes parameters (65,535), and one parameter is far cheaper to build
 * (drizzle checks each parameter of a statement it builds, value by value: for a bulk grant's
 * checks that was a tenth of the grants' CPU; issue 7) and to parse.
 */
export const anyOf = (column: SQL | AnyColumn, values: List, type: ElementType): SQL =>
  sql`${column} = any(${arrayOf(values, type)})`;
