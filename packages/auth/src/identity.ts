import { z } from 'zod';

/**
 * Who is calling. Roles follow DESIGN.md §5:
 * - office: the 双随机 office (market regulation) that plans and draws;
 * - staff: a department's staff, writing that department's own data;
 * - inspector: a department's inspector, seeing their own tasks;
 * - approver: the approval bureau (行政审批局), the only one that grants licences;
 * - auditor: the supervising 纪检监察 officer who observes the 双随机 draw (seed 001): enters its
 *   public value and re-derives draws; writes nothing else;
 * - public: no token at all; reads only what is published.
 */
export const ROLES = ['office', 'staff', 'inspector', 'approver', 'auditor', 'public'] as const;
export type Role = (typeof ROLES)[number];

/** Department codes are configuration (config/departments.json), so the format is checked here, not the list. */
export const departmentCode = z
  .string()
  .regex(/^[A-Z][A-Z0-9_]{1,31}$/, 'a department code is upper-case letters, digits and _');

/**
 * Who a token names is written into audit entries and records: plain visible text only — no
 * control characters (NUL cannot even be stored) and no format characters (bidi overrides,
 * zero-width), the same as the input-text rule for what people type.
 */
const claimText = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^\p{Cc}\p{Cf}\p{Zl}\p{Zp}]+$/u, 'a claim is plain text: no control or format characters');

export const identitySchema = z
  .object({
    sub: claimText,
    role: z.enum(ROLES),
    department: departmentCode.optional(),
    name: claimText.optional(),
  })
  .refine((i) => (i.role === 'staff' || i.role === 'inspector' ? !!i.department : true), {
    message: 'staff and inspectors belong to a department',
    path: ['department'],
  });

export type Identity = z.infer<typeof identitySchema>;

export const PUBLIC: Identity = Object.freeze({ sub: 'anonymous', role: 'public' });
