import { createHash } from 'node:crypto';
import { and, eq, lt, sql } from 'drizzle-orm';
import { defaultFieldResolver, GraphQLError, type GraphQLSchema } from 'graphql';
import type { Identity } from '@onecheck/auth';
import type { Clock } from '@onecheck/clock';
import type { Db } from '@onecheck/db';
import { DEFAULT_LOCALE, render } from '@onecheck/i18n';
import { canonical } from './canonical';
import { badInput } from './errors';
import { idempotencyKeys } from './tables';

/**
 * Idempotency keys for mutations (issue 8): a client that lost the answer to a mutation sends it
 * again with the same `idempotencyKey` argument, and the work is done once and the same answer
 * returned, as with Stripe's `Idempotency-Key` or the IETF draft of that header. An argument
 * rather than a header, because one GraphQL operation may carry several mutations, each going to
 * its own service: each has its own key, kept by the service that does the work, in its own
 * database.
 *
 * - Keys are per caller (role, department, subject of the verified identity): one caller's key
 *   never answers another's request.
 * - The key's row is written in the same transaction as the mutation's work (the resolver runs
 *   with its context bound to that transaction), so the key is recorded exactly when the work is,
 *   events in the outbox included. A failed mutation records nothing: its retry runs again.
 * - Concurrent requests with the same key wait on a transaction-scoped advisory lock, so the
 *   second finds the first's row; the primary key (principal, key) backs that up.
 * - The same key with other arguments (or another mutation) is refused with the stable code
 *   IDEMPOTENCY_KEY_REUSED and changes nothing.
 * - A key is kept for RETENTION_HOURS; after that it names nothing and may start new work.
 *   Expired rows are deleted as new keys are recorded.
 * - What is kept and returned again is what the mutation's resolver answered (its row); fields
 *   resolved below it (another service's fields, computed flags) are read afresh.
 */
export const IDEMPOTENCY_ARGUMENT = 'idempotencyKey';
export const RETENTION_HOURS = 24;
/** Keys look like UUIDs or similar tokens: printable ASCII without spaces, 8 to 128 characters. */
const KEY_PATTERN = /^[A-Za-z0-9._:~-]{8,128}$/;
/** The advisory lock class of idempotency keys ("IDEM"), beside the relay's. */
const LOCK_CLASS = 0x4944454d;

export interface IdempotencyOptions<C> {
  db: Db;
  clock: Clock;
  /** The request's context with all its database access bound to `tx` (services rebuild their context). */
  rebind: (context: C, tx: Db) => C;
  retentionHours?: number;
}

export function fingerprintOf(operation: string, args: Record<string, unknown>): string {
  return createHash('sha256').update(canonical({ operation, args })).digest('hex');
}

export const principalOf = (identity: Identity) => `${identity.role}:${identity.department ?? ''}:${identity.sub}`;

function keyReused(operation: string): GraphQLError {
  const extensions = {
    code: 'IDEMPOTENCY_KEY_REUSED',
    field: IDEMPOTENCY_ARGUMENT,
    messageKey: 'idempotency.reused' as const,
    params: { operation },
  };
  return new GraphQLError(
    render(DEFAULT_LOCALE, 'error.badInput', {
      field: IDEMPOTENCY_ARGUMENT,
      detail: render(DEFAULT_LOCALE, extensions.messageKey, extensions.params),
    }),
    { extensions },
  );
}

/**
 * Makes every mutation of the schema honour its idempotency key. A mutation that declares no
 * `idempotencyKey` argument stops the service at start: no mutation can be added without one.
 */
export function idempotentMutations<C extends { identity: Identity }>(
  schema: GraphQLSchema,
  opts: IdempotencyOptions<C>,
): GraphQLSchema {
  const retentionMs = (opts.retentionHours ?? RETENTION_HOURS) * 3_600_000;
  for (const field of Object.values(schema.getMutationType()?.getFields() ?? {})) {
    if (!field.args.some((a) => a.name === IDEMPOTENCY_ARGUMENT)) {
      throw new Error(`Mutation.${field.name} must take an ${IDEMPOTENCY_ARGUMENT}: String argument (issue 8)`);
    }
    const resolve = field.resolve ?? defaultFieldResolver;
    const operation = field.name;
    field.resolve = async (source, args: Record<string, unknown>, context: C, info) => {
      const { [IDEMPOTENCY_ARGUMENT]: key, ...rest } = args;
      // Resolvers never see the key: it is the kit's business, not the domain's.
      if (key === undefined || key === null) return resolve(source, rest, context, info);
      if (typeof key !== 'string' || !KEY_PATTERN.test(key)) throw badInput(IDEMPOTENCY_ARGUMENT, 'idempotency.badKey');
      const principal = principalOf(context.identity);
      const fingerprint = fingerprintOf(operation, rest);
      return opts.db.transaction(async (tx) => {
        await tx.execute(
          sql`select pg_advisory_xact_lock(${LOCK_CLASS}, hashtext(current_schema() || ':' || ${principal} || ':' || ${key}))`,
        );
        const cutoff = new Date(opts.clock.millis() - retentionMs);
        const [kept] = await tx
          .select()
          .from(idempotencyKeys)
          .where(and(eq(idempotencyKeys.principal, principal), eq(idempotencyKeys.key, key)));
        if (kept && kept.createdAt >= cutoff) {
          if (kept.fingerprint !== fingerprint) throw keyReused(kept.operation);
          return kept.response;
        }
        const answer: unknown = await resolve(source, rest, opts.rebind(context, tx as unknown as Db), info);
        // Expired keys go as new ones come (indexed by created_at); an expired row of this key too.
        await tx.delete(idempotencyKeys).where(lt(idempotencyKeys.createdAt, cutoff));
        await tx.insert(idempotencyKeys).values({
          principal,
          key,
          operation,
          fingerprint,
          response: JSON.parse(JSON.stringify(answer ?? null)) as unknown,
          createdAt: opts.clock.now(),
        });
        return answer;
      });
    };
  }
  return schema;
}
