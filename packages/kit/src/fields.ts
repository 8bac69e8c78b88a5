import { z } from 'zod';
import { validateUscc } from '@onecheck/codes';

/**
 * Input fields every service checks alike, so one rule has one place. Each gives a message that
 * parseInput turns into BAD_USER_INPUT naming the field.
 */

/** 统一社会信用代码 per GB 32100-2015, check character included; normalised to upper case. */
export const usccField = z.string().transform((code, ctx) => {
  const result = validateUscc(code);
  if (!result.ok) {
    ctx.addIssue({ code: 'custom', message: `not a valid unified social credit code: ${result.reason}` });
    return z.NEVER;
  }
  return result.uscc;
});

/** Trimmed, non-empty text of bounded length. */
export const textField = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);

/** A calendar date that exists, YYYY-MM-DD. */
export const dateField = z.iso.date();

/** Ids are uuids: anything else names nothing, and must not reach a uuid-typed query. */
export const isUuid = (value: string) => z.uuid().safeParse(value).success;
