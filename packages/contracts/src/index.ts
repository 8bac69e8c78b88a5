/**
 * @onecheck/contracts — what OneCheck's parts agree on, written once (issue 6): the domain's
 * enums and the event payloads (zod). SDL, database columns, inputs, JSON Schemas and the
 * event types of producers and consumers all derive from here. Depends on zod only.
 */
export * from './enums';
export * from './events/index';
export * from './jsonschema';
