import {
  Kind,
  parse,
  visit,
  type ArgumentNode,
  type DocumentNode,
  type ObjectFieldNode,
  type ValueNode,
} from 'graphql';
import type { MessageKey } from '@onecheck/i18n';

/**
 * graphql-js refuses a request in English sentences (an unknown field, a missing argument, a
 * variable of the wrong type …). The common ones are read here into facts — which rule, which
 * names — so that they render from the catalogue in the reader's language like every other
 * error (`graphql.*` keys); one this table does not know keeps its sentence as the detail of
 * `graphql.invalid`. Suggestions ("Did you mean …?") are never part of the facts.
 */
interface Refusal {
  /** Its named groups are the facts the message renders. */
  pattern: RegExp;
  messageKey: MessageKey;
}

const NAME = String.raw`[_A-Za-z][_0-9A-Za-z]*`;
const TYPE = String.raw`[^"]+`;

const REFUSALS: readonly Refusal[] = [
  {
    pattern: new RegExp(`^Cannot query field "(?<field>${NAME})" on type "(?<type>${NAME})"\\.`),
    messageKey: 'graphql.unknownField',
  },
  {
    pattern: new RegExp(`^Unknown argument "(?<argument>${NAME})" on field "(?<field>[_0-9A-Za-z.]+)"\\.`),
    messageKey: 'graphql.unknownArgument',
  },
  {
    pattern: new RegExp(
      `^Field "(?<field>${NAME})" argument "(?<argument>${NAME})" of type "(?<type>${TYPE})" is required, but it was not provided\\.`,
    ),
    messageKey: 'graphql.missingArgument',
  },
  {
    pattern: new RegExp(
      `^Variable "\\$(?<variable>${NAME})" of (?:required|non-null) type "(?<type>${TYPE})" (?:was not provided|must not be null)\\.`,
    ),
    messageKey: 'graphql.missingVariable',
  },
  {
    pattern: new RegExp(
      `^Field "(?:${NAME}\\.)?(?<inputField>${NAME})" of required type "(?<type>${TYPE})" was not provided\\.`,
    ),
    messageKey: 'graphql.missingInputField',
  },
  {
    pattern: new RegExp(`^Field "(?<inputField>${NAME})" is not defined by type "(?<type>${NAME})"\\.`),
    messageKey: 'graphql.unknownInputField',
  },
  {
    pattern: new RegExp(`^Value "(?<value>[^"]*)" does not exist in "(?<type>${NAME})" enum\\.`),
    messageKey: 'graphql.unknownEnumValue',
  },
  {
    pattern: new RegExp(`^(?:Enum ")?(?<type>${NAME})"? cannot represent `),
    messageKey: 'graphql.wrongType',
  },
  {
    pattern: new RegExp(`^Expected non-nullable type "(?<type>${TYPE})" not to be null\\.`),
    messageKey: 'graphql.nullValue',
  },
  {
    pattern: new RegExp(`^Field "(?<inputField>${NAME})" of non-null type "(?<type>${TYPE})" must not be null\\.`),
    messageKey: 'graphql.nullValue',
  },
  {
    pattern: new RegExp(
      `^Variable "\\$(?<variable>${NAME})" of type "(?<given>${TYPE})" used in position expecting type "(?<type>${TYPE})"\\.`,
    ),
    messageKey: 'graphql.variableTypeMismatch',
  },
  {
    pattern: new RegExp(`^Variable "\\$(?<variable>${NAME})" is not defined`),
    messageKey: 'graphql.undefinedVariable',
  },
  {
    pattern: new RegExp(`^Variable "\\$(?<variable>${NAME})" is never used`),
    messageKey: 'graphql.unusedVariable',
  },
  { pattern: new RegExp(`^Unknown type "(?<type>${NAME})"\\.`), messageKey: 'graphql.unknownType' },
  { pattern: new RegExp(`^Unknown fragment "(?<fragment>${NAME})"\\.`), messageKey: 'graphql.unknownFragment' },
  { pattern: new RegExp(`^Unknown directive "@(?<directive>${NAME})"\\.`), messageKey: 'graphql.unknownDirective' },
  {
    pattern: new RegExp(`^There can be only one argument named "(?<argument>${NAME})"\\.`),
    messageKey: 'graphql.duplicateArgument',
  },
  {
    pattern: new RegExp(`^There can be only one operation named "(?<operation>${NAME})"\\.`),
    messageKey: 'graphql.duplicateOperation',
  },
  {
    pattern: /^This anonymous operation must be the only defined operation\./,
    messageKey: 'graphql.anonymousNotAlone',
  },
  {
    pattern: new RegExp(`^Expected value of type "(?<type>${TYPE})", found null\\.`),
    messageKey: 'graphql.nullValue',
  },
  {
    pattern: new RegExp(`^Expected value of type "(?<type>${TYPE})", found `),
    messageKey: 'graphql.wrongType',
  },
  {
    pattern: new RegExp(`^Expected type "(?<type>${TYPE})" to be an object\\.`),
    messageKey: 'graphql.wrongType',
  },
  {
    pattern: new RegExp(
      `^Field "(?<field>${NAME})" must not have a selection since type "(?<type>${TYPE})" has no subfields\\.`,
    ),
    messageKey: 'graphql.noSubfields',
  },
  {
    pattern: new RegExp(`^Field "(?<field>${NAME})" of type "(?<type>${TYPE})" must have a selection of subfields\\.`),
    messageKey: 'graphql.subfieldsRequired',
  },
  { pattern: /^Syntax Error: /, messageKey: 'graphql.syntax' },
];

/**
 * The facts of a graphql-js refusal, or undefined for a sentence the table does not know. A
 * variable's refusal (`Variable "$x" got invalid value … at "x.path"; <reason>`) is read by its
 * reason; its field is named elsewhere (variableField).
 */
export function refusalFacts(message: string): { messageKey: MessageKey; params: Record<string, string> } | undefined {
  const reason = /^Variable "\$[_0-9A-Za-z]+" got invalid value .*?; (?<reason>.*)$/s.exec(message)?.groups?.reason;
  const sentence = reason ?? message;
  for (const { pattern, messageKey } of REFUSALS) {
    const match = pattern.exec(sentence);
    if (match) return { messageKey, params: { ...match.groups } };
  }
  return undefined;
}

/** The request's document, or undefined when it does not parse (a syntax error has no argument to name). */
export function parseQuietly(query: string | undefined): DocumentNode | undefined {
  if (query === undefined) return undefined;
  try {
    return parse(query);
  } catch {
    return undefined;
  }
}

type ArgumentPart = ArgumentNode | ObjectFieldNode | ValueNode;

/**
 * A path as the services name a field: what is inside the argument `input` by its path alone
 * (parseInput, kit text.ts), every other argument by its name first.
 */
const servicePath = (path: readonly string[]) =>
  (path[0] === 'input' && path.length > 1 ? path.slice(1) : path).join('.');

/**
 * The path of the first argument part of `document` that `isIt` picks: the argument's name, then
 * object fields and list indices.
 */
function argumentPath(document: DocumentNode, isIt: (part: ArgumentPart) => boolean): string[] | undefined {
  let found: string[] | undefined;
  const walk = (value: ValueNode, path: string[]) => {
    if (found) return;
    if (isIt(value)) found = path;
    else if (value.kind === Kind.OBJECT)
      for (const f of value.fields) {
        if (isIt(f)) found ??= [...path, f.name.value];
        else walk(f.value, [...path, f.name.value]);
      }
    else if (value.kind === Kind.LIST) value.values.forEach((v, i) => walk(v, [...path, String(i)]));
  };
  visit(document, {
    Argument(node) {
      if (found) return;
      if (isIt(node)) found = [node.name.value];
      else walk(node.value, [node.name.value]);
    },
  });
  return found;
}

/**
 * The argument a validation refusal of a literal value points at (`items.0.code` in `input`;
 * `first`): graphql-js gives only the value's line and column, so the refused document is searched
 * for the argument, object field or list element starting there. A missing input field is named
 * inside its object (`missingField`). Undefined when the place is not inside an argument.
 */
export function literalField(
  document: DocumentNode,
  query: string,
  at: { line: number; column: number },
  missingField?: string,
): string | undefined {
  const offset = lineStart(query, at.line) + at.column - 1;
  let object = false;
  const path = argumentPath(document, (part) => {
    const here = part.loc?.start === offset;
    if (here) object = part.kind === Kind.OBJECT;
    return here;
  });
  return path && servicePath(object && missingField ? [...path, missingField] : path);
}

/**
 * Where a refused variable's value goes, in the services' form: a variable is named by the client,
 * so `$i` given to `grantLicence(input: $i)` with a bad `uscc` is `uscc`, as the service would say.
 * `variablePath` is graphql-js's (`["i", "findings", "0"]`), `missingField` a field it lacks or does
 * not know inside. Undefined when the document does not use the variable in an argument.
 */
export function variableUse(
  document: DocumentNode,
  variablePath: readonly string[],
  missingField?: string,
): string | undefined {
  const [name, ...inside] = variablePath;
  const use = argumentPath(document, (part) => part.kind === Kind.VARIABLE && part.name.value === name);
  if (!use) return undefined;
  return servicePath([...use, ...inside, ...(missingField ? [missingField] : [])]);
}

/** Where line `line` (from 1) of `text` starts, counting line ends as graphql-js's lexer does (\r\n, \n or \r). */
function lineStart(text: string, line: number): number {
  const ends = /\r\n|[\n\r]/g;
  let start = 0;
  for (let n = 1; n < line; n++) {
    const end = ends.exec(text);
    if (!end) return text.length;
    start = end.index + end[0].length;
  }
  return start;
}
