/**
 * A subgraph outage fails only its own fields (issue 8): every field one service contributes to
 * another's entity, and every field whose value another service resolves, is nullable, and its
 * description says so. Read from the SDL each subgraph serves (scripts/subgraphs.ts); the runtime
 * half (credit down → the business still answers) is in gateway-hardening.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { isNonNullType, isObjectType, getNamedType, parse, type GraphQLField, type GraphQLObjectType } from 'graphql';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { SUBGRAPHS } from '../scripts/subgraphs';

/** Which service answers for each entity's own fields (DESIGN.md §2). */
const OWNER: Record<string, string> = {
  Enterprise: 'market',
  Licence: 'approval',
  SupervisionItem: 'department',
  Inspector: 'department',
  SupervisionTask: 'department',
  Finding: 'department',
};

const isEntity = (type: GraphQLObjectType) => type.astNode?.directives?.some((d) => d.name.value === 'key') ?? false;
const keyFields = (type: GraphQLObjectType) =>
  (type.astNode?.directives ?? [])
    .filter((d) => d.name.value === 'key')
    .flatMap((d) => {
      const fields = d.arguments?.find((a) => a.name.value === 'fields')?.value;
      return fields?.kind === 'StringValue' ? fields.value.split(/[\s{}]+/).filter(Boolean) : [];
    });
const directive = (field: GraphQLField<unknown, unknown>, name: string) =>
  field.astNode?.directives?.some((d) => d.name.value === name) ?? false;

/** Fields of `subgraph` whose value depends on another service being up. */
function dependentFields(subgraph: string, typeDefs: string) {
  const schema = buildSubgraphSchema({ typeDefs: parse(typeDefs) });
  const found: { coordinate: string; field: GraphQLField<unknown, unknown>; why: string }[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('_')) continue;
    if (isEntity(type) && !(type.name in OWNER)) throw new Error(`entity ${type.name}: add its owner to OWNER`);
    for (const field of Object.values(type.getFields())) {
      const coordinate = `${subgraph}: ${type.name}.${field.name}`;
      const contributed =
        isEntity(type) &&
        OWNER[type.name] !== subgraph &&
        !keyFields(type).includes(field.name) &&
        !directive(field, 'external');
      if (contributed) found.push({ coordinate, field, why: `contributed by ${subgraph}` });
      const target = getNamedType(field.type);
      if (isObjectType(target) && OWNER[target.name] && OWNER[target.name] !== subgraph && !contributed)
        found.push({ coordinate, field, why: `resolved by ${OWNER[target.name]}` });
    }
  }
  return found;
}

describe('fields that depend on another service', () => {
  const fields = SUBGRAPHS.flatMap((s) => dependentFields(s.name, s.typeDefs));

  it('include the credit class, licences, applicable items and the references across services', () => {
    expect(fields.map((f) => f.coordinate)).toEqual(
      expect.arrayContaining([
        'credit: Enterprise.creditProfile',
        'approval: Enterprise.licences',
        'approval: Licence.enterprise',
        'department: SupervisionTask.licence',
        'department: SupervisionTask.enterprise',
      ]),
    );
  });

  it('are nullable, and their descriptions say when they are null', () => {
    const problems = fields.flatMap(({ coordinate, field, why }) => [
      ...(isNonNullType(field.type) ? [`${coordinate} (${why}) is non-null`] : []),
      ...(/SERVICE_UNAVAILABLE/.test(field.description ?? '')
        ? []
        : [`${coordinate} (${why}) does not say it may be null`]),
    ]);
    expect(problems).toEqual([]);
  });
});
