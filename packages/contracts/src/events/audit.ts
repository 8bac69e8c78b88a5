/** Anchors of the services' audit chains (全程留痕, DESIGN.md §5). */
import { z } from 'zod';

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

/** Most entries one anchor event carries; a longer stretch goes out as several events. */
export const AUDIT_ANCHOR_MAX_ENTRIES = 500;

export const auditAnchoredV1 = z
  .object({
    service: z
      .string()
      .min(1)
      .max(64)
      .meta({ description: "the service's Kafka principal (market, approval, credit, department-<code>)" }),
    fromSeq: z.int().min(1).meta({ description: 'sequence number of the first entry anchored here' }),
    hashes: z.array(sha256Hex).min(1).max(AUDIT_ANCHOR_MAX_ENTRIES).meta({
      description:
        'the hashes of entries fromSeq, fromSeq+1, …, in order; the last is the chain head (seq fromSeq + hashes.length − 1) when published',
    }),
  })
  .meta({
    title:
      "New entries of a service's hash-chained audit log, published so the chain can be checked from outside its database",
    description:
      'Published by each service on onecheck.audit.anchor, key: the service principal, signed by it. A verifier (npm run verify-audit) compares the database rows with these hashes: a row changed (even with every later hash recomputed) or removed after it was anchored is named.',
  });
