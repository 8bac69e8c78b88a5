import {
  defaultFieldResolver,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type ConstDirectiveNode,
  type GraphQLArgument,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { badInput } from './errors';

/**
 * The one rule for text a caller sends (issue 8, DESIGN.md §5): every String, ID and string-valued
 * custom scalar (Date …) of every argument of every field, at any depth, is checked before any
 * resolver runs, so nothing a resolver or a zod schema forgets can store it. Refused:
 * - NUL and every other C0 control character (U+0000–U+001F), DEL (U+007F) and the C1 controls
 *   (U+0080–U+009F): PostgreSQL refuses NUL with its SQL in the message, the others are invisible
 *   and have no place in a record. Line feed and tab are allowed in fields marked `@multiline` in
 *   the SDL (descriptions, summaries, reasons, scope, legal text) and nowhere else; carriage return
 *   never (clients send LF; one line break, one form).
 * - bidirectional formatting characters, which make text display other than it is stored
 *   ("Trojan Source", CVE-2021-42574): the embeddings and overrides U+202A–U+202E, the isolates
 *   U+2066–U+2069, and also the invisible marks U+200E, U+200F and U+061C, which Chinese and
 *   English records never need.
 * - unpaired UTF-16 surrogates, which UTF-8 cannot hold (the database would store U+FFFD instead).
 * - the line and paragraph separators U+2028 and U+2029, even in multi-line text (line feed is the
 *   one line break), and invisible characters that make two names look alike while they differ:
 *   the zero-width space U+200B, the word joiner U+2060, the byte-order mark U+FEFF, the tag
 *   characters U+E0000–U+E007F (text hidden from the reader) and Unicode's noncharacters. The
 *   joiners U+200C/U+200D (emoji sequences: 👨‍👩‍👧) and the variation selectors (ideographic
 *   variation sequences write rare characters of names) stay allowed.
 */
export type TextProblem = 'NUL' | 'CONTROL' | 'LINE_BREAK' | 'BIDI' | 'SURROGATE' | 'INVISIBLE';

/** The SDL directive that allows line feed and tab in a text field or argument. */
export const MULTILINE_SDL = /* GraphQL */ `
  "Line feed and tab are allowed in this text (other control characters never are)."
  directive @multiline on ARGUMENT_DEFINITION | INPUT_FIELD_DEFINITION
`;

/**
 * What a reader does not see: Unicode's default-ignorable characters (joiners, soft hyphens,
 * variation selectors …), the blank braille pattern and the object-replacement character. Beyond
 * this guard (which allows the joiners and selectors inside text): a value of nothing else is empty
 * (textField), and a reference takes none (referenceField, fields.ts).
 */
export const UNSEEN = /[\p{Default_Ignorable_Code_Point}\u2800\uFFFC]/u;

const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
const SEPARATORS = /[\u2028\u2029]/;
const INVISIBLE = /[\u200B\u2060\uFEFF\u{E0000}-\u{E007F}\uFDD0-\uFDEF]/u;
/** U+xFFFE and U+xFFFF of every plane are noncharacters. */
const isNonCharacter = (code: number) => (code & 0xfffe) === 0xfffe;

/** The first character of `text` the rule refuses, with its position (counted from 1) and code point. */
export function textProblem(
  text: string,
  multiline: boolean,
): { problem: TextProblem; position: number; codePoint: string } | undefined {
  let position = 0;
  for (const char of text) {
    position++;
    const code = char.codePointAt(0)!;
    let problem: TextProblem | undefined;
    if (code === 0) problem = 'NUL';
    else if (code === 0x0a || code === 0x09) problem = multiline ? undefined : 'LINE_BREAK';
    else if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) problem = 'CONTROL';
    else if (BIDI.test(char)) problem = 'BIDI';
    else if (code >= 0xd800 && code <= 0xdfff) problem = 'SURROGATE';
    else if (SEPARATORS.test(char)) problem = 'LINE_BREAK';
    else if (INVISIBLE.test(char) || isNonCharacter(code)) problem = 'INVISIBLE';
    if (problem) return { problem, position, codePoint: `U+${code.toString(16).toUpperCase().padStart(4, '0')}` };
  }
  return undefined;
}

/** Throws BAD_USER_INPUT naming `field` when the text breaks the rule. */
export function requireCleanText(field: string, text: string, multiline = false): void {
  const found = textProblem(text, multiline);
  if (found) throw badInput(field, 'input.badCharacter', found);
}

const isMultiline = (node: { directives?: readonly ConstDirectiveNode[] } | null | undefined) =>
  node?.directives?.some((d) => d.name.value === 'multiline') ?? false;

function checkValue(value: unknown, type: GraphQLInputType, path: string[], multiline: boolean): void {
  if (value === null || value === undefined) return;
  if (isNonNullType(type)) return checkValue(value, type.ofType, path, multiline);
  if (isListType(type)) {
    const items = Array.isArray(value) ? value : [value];
    items.forEach((item, i) => checkValue(item, type.ofType, [...path, String(i)], multiline));
    return;
  }
  if (isInputObjectType(type)) {
    for (const field of Object.values(type.getFields())) {
      checkValue(
        (value as Record<string, unknown>)[field.name],
        field.type,
        [...path, field.name],
        isMultiline(field.astNode),
      );
    }
    return;
  }
  if (isScalarType(type) && typeof value === 'string') requireCleanText(path.join('.') || 'input', value, multiline);
}

/**
 * Checks a field's arguments. Fields are named as parseInput names them: by their path inside an
 * argument called `input` ("findings.0.description"), else by the argument's name ("reason").
 */
export function checkArguments(definitions: readonly GraphQLArgument[], args: Record<string, unknown>): void {
  for (const arg of definitions) {
    checkValue(args[arg.name], arg.type, arg.name === 'input' ? [] : [arg.name], isMultiline(arg.astNode));
  }
}

/**
 * Puts the check in front of every field that takes arguments (queries, mutations, entity
 * fields), in the schema itself: a resolver added later is covered without anyone remembering.
 */
export function guardTextInputs(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (field.args.length === 0) continue;
      const resolve = field.resolve ?? defaultFieldResolver;
      const definitions = field.args;
      field.resolve = (source, args, context, info) => {
        checkArguments(definitions, args);
        return resolve(source, args, context, info);
      };
    }
  }
  return schema;
}
