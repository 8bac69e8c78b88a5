/** Field shapes shared by several event payloads, each written once. */
import { z } from 'zod';

/** 统一社会信用代码 (GB 32100-2015): shape only; the check digit is the producer's concern. */
export const uscc = z
  .string()
  .regex(/^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$/)
  .meta({ description: '统一社会信用代码 (GB 32100-2015)' });

/** A department code (config/departments.json): upper-case letters, digits and _. */
export const departmentCode = z.string().regex(/^[A-Z][A-Z0-9_]{1,31}$/);

/** A calendar date, 'YYYY-MM-DD'. */
export const date = z.iso.date();

/** A row id (any RFC 4122 shaped id; the producing database generates it). */
export const id = z.guid();
