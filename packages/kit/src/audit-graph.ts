/**
 * The audit trail on the graph (issue 9 item 2: "a query on the graph shows a business's or a
 * task's trail to those allowed to see it"). A service appends AUDIT_SDL to its typeDefs, adds an
 * `auditTrail: [AuditEntry!]!` field to its entity, checks who may read it in its policy.ts and
 * resolves it with readAuditTrail (audit.ts); auditResolvers render the words.
 */
import { JSONResolver } from 'graphql-scalars';
import type { Locale } from '@onecheck/i18n';
import { render } from '@onecheck/i18n';

export const AUDIT_SDL = /* GraphQL */ `
  "A JSON value: an entity as it was before or after a change."
  scalar JSON

  "Who made a change: a person (as the gateway credential said) or a service acting on an event or a timer."
  type AuditActor @shareable {
    "USER or SERVICE."
    kind: String!
    "A person's subject, role and department."
    sub: String
    role: String
    department: String
    "A service's principal, and the event or timer it acted on."
    principal: String
    event: String
    timer: String
  }

  "One entry of a service's audit trail (全程留痕): append-only, each hash chained to the one before."
  type AuditEntry @shareable {
    "Position in the service's chain: 1, 2, 3 … without gaps."
    seq: Int!
    "When, by the service's clock."
    at: DateTime!
    actor: AuditActor!
    "The catalogue's action code (registerBusinesses …)."
    action: String!
    "The action in the caller's language."
    actionName: String!
    entityKind: String!
    entityId: String!
    "The entity before the change; null when it was created."
    before: JSON
    "The entity after the change; null when it was removed."
    after: JSON
    "sha-256 over the previous entry's hash and this entry (hex)."
    hash: String!
  }
`;

import type { Actor, AuditRow } from './audit';

export const auditResolvers = {
  JSON: JSONResolver,
  AuditEntry: {
    actor: (e: AuditRow) => {
      const actor = e.actor as Actor;
      return { ...actor, kind: actor.kind === 'user' ? 'USER' : 'SERVICE' };
    },
    actionName: (e: AuditRow, _: unknown, ctx: { locale: Locale }) => render(ctx.locale, `action.${e.action}`),
  },
};
