/**
 * Each enum of the domain is defined once, in @onecheck/contracts (issue 6). The SDL cannot import
 * it, so this compares them: every enum a subgraph's SDL declares must be in `DOMAIN_ENUMS` with
 * exactly the same values in the same order, and every entry there must still be in some SDL.
 */
import { readFileSync } from 'node:fs';
import { Kind, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DOMAIN_ENUMS } from '@onecheck/contracts';
import { catalogue } from '@onecheck/i18n';

const SERVICES = ['market', 'approval', 'credit', 'department'];

const sdlEnums = SERVICES.flatMap((service) => {
  const sdl = readFileSync(new URL(`../services/${service}/src/schema.graphql`, import.meta.url), 'utf8');
  return parse(sdl).definitions.flatMap((d) =>
    d.kind === Kind.ENUM_TYPE_DEFINITION
      ? [{ service, name: d.name.value, values: (d.values ?? []).map((v) => v.name.value) }]
      : [],
  );
});
const contracts: Record<string, readonly string[]> = DOMAIN_ENUMS;

describe('the SDL enums', () => {
  it('are found (the check reads every subgraph)', () => {
    expect(sdlEnums.length).toBeGreaterThan(10);
  });

  it.each(sdlEnums.map((e) => [`${e.service}: ${e.name}`, e] as const))(
    '%s has a contract constant with the same values',
    (_, e) => {
      const constant = contracts[e.name];
      expect(constant, `add ${e.name} to packages/contracts/src/enums.ts (DOMAIN_ENUMS)`).toBeDefined();
      expect(e.values, `${e.service}'s SDL enum ${e.name} differs from its contract constant`).toEqual([...constant!]);
    },
  );

  it('leave no contract constant without its SDL enum', () => {
    const declared = new Set(sdlEnums.map((e) => e.name));
    expect(Object.keys(contracts).filter((name) => !declared.has(name))).toEqual([]);
  });
});

/**
 * A message that names an enum's value (`{status:promiseStatus}`) shows it in words only when the
 * catalogue has `promiseStatus.<VALUE>`; without it, a Chinese reader sees the English code.
 */
describe('the catalogue names every value of an enum its messages show', () => {
  const used = new Set([
    ...Object.values(catalogue).flatMap((e) => [...e['zh-CN'].matchAll(/\{\w+:(\w+)\}/g)].map((m) => m[1]!)),
  ]);
  const shown = Object.entries(contracts).filter(([name]) => used.has(name[0]!.toLowerCase() + name.slice(1)));

  it('finds the enums the messages show', () => {
    expect(shown.length).toBeGreaterThan(5);
  });

  it.each(shown)('%s', (name, values) => {
    const ns = name[0]!.toLowerCase() + name.slice(1);
    expect(values.filter((v) => !Object.hasOwn(catalogue, `${ns}.${v}`))).toEqual([]);
  });
});
