import { z } from 'zod';
import { validateUscc } from '@onecheck/codes';
import { isDepartment } from './departments';
import { badInput, parseInput } from './errors';
import { UNSEEN } from './text';

/**
 * Input fields and checks every service applies alike, so one rule has one place. Problems are
 * catalogue keys with their facts; parseInput turns them into BAD_USER_INPUT naming the field.
 */

/** 统一社会信用代码 per GB 32100-2015, check character included; normalised to upper case. */
export const usccField = z.string().transform((code, ctx) => {
  const result = validateUscc(code);
  if (!result.ok) {
    ctx.addIssue({ code: 'custom', message: 'uscc.invalid', params: { reason: result.reason } });
    return z.NEVER;
  }
  return result.uscc;
});

/** A department OneCheck is configured with (config/departments.json). */
export const departmentField = z.string().superRefine((code, ctx) => {
  if (!isDepartment(code))
    ctx.addIssue({ code: 'custom', message: 'department.unknown', params: { department: code } });
});

/**
 * A list's filter values, checked as the same values are where they are entered: a credit code or
 * a department that cannot exist is a mistake worth saying (BAD_USER_INPUT naming the filter's
 * field), not an empty page. Other fields of the filter pass through as they are.
 */
export const listFilter = z
  .object({
    uscc: usccField.nullish(),
    department: departmentField.nullish(),
    supervisingDepartment: departmentField.nullish(),
  })
  .loose();

/**
 * `filter` checked by listFilter, the credit code normalised; `field` names it in a refusal
 * (`filter.uscc`), null when its fields are the query's own arguments (`uscc`).
 */
export function checkListFilter<F extends object>(filter: F, field: string | null = 'filter'): F {
  return parseInput(listFilter, filter, field ?? undefined) as F;
}

/**
 * Trimmed, non-empty text of bounded length. Text of nothing a reader sees (a zero-width joiner, a
 * soft hyphen) is empty too: the text guard lets joiners through for emoji, not as a whole value.
 */
export const textField = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((text) => text.replace(new RegExp(UNSEEN, 'gu'), '').trim().length > 0, { message: 'input.empty' });

/**
 * A reference people read and type again — a decision's 文号, a licence number, a code, a tag: two
 * that look alike must be the same. So it takes nothing unseen nor private-use characters (refused,
 * naming the position in the text as sent), and is kept in Unicode's compatibility form (NFKC): a
 * no-break or ideographic space is a space, a full-width digit a digit.
 */
export const referenceField = (max: number) =>
  z
    .string()
    .superRefine((text, ctx) => {
      const chars = [...text];
      const position = chars.findIndex((char) => UNSEEN.test(char) || /\p{Co}/u.test(char));
      if (position < 0) return;
      const codePoint = `U+${chars[position]!.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
      ctx.addIssue({
        code: 'custom',
        message: 'input.badCharacter',
        params: { problem: 'INVISIBLE', position: position + 1, codePoint },
      });
    })
    .transform((text) => text.normalize('NFKC'))
    .pipe(textField(max));

/**
 * A list of at most `max` entries, none given twice (after the entry's own normalising, e.g.
 * trimming): a repeat would be stored and counted as another. The repeat is named by its index.
 */
export const distinctList = <T extends z.ZodType>(
  entry: T,
  max: number,
  label: (value: z.output<T>) => string = String,
) =>
  z
    .array(entry)
    .max(max)
    .superRefine((list, ctx) => {
      const seen = new Set<string>();
      list.forEach((value, index) => {
        const key = JSON.stringify(value);
        if (seen.has(key))
          ctx.addIssue({
            code: 'custom',
            path: [index],
            message: 'input.listedTwice',
            params: { value: label(value) },
          });
        seen.add(key);
      });
    });

/**
 * The earliest date OneCheck takes. Nothing it records (a registration, a licence, a check, a
 * decision) is older, and the working-day calendar starts there; "0050-01-01" is a slip of the
 * keyboard that would otherwise be stored, published and counted from.
 */
export const EARLIEST_DATE = '1900-01-01';

/**
 * The last date anyone may enter: far beyond any licence's term or plan's window, and short of the
 * year 10000, where counting working days on from it would leave the YYYY-MM-DD form.
 */
export const LATEST_DATE = '2199-12-31';

/** A calendar date that exists, YYYY-MM-DD, from EARLIEST_DATE to LATEST_DATE. */
export const dateField = z.iso.date().superRefine((date, ctx) => {
  if (date < EARLIEST_DATE)
    ctx.addIssue({ code: 'custom', message: 'input.dateTooEarly', params: { earliest: EARLIEST_DATE } });
  if (date > LATEST_DATE)
    ctx.addIssue({ code: 'custom', message: 'input.dateTooLate', params: { latest: LATEST_DATE } });
});

/** Ids are uuids: anything else names nothing, and must not reach a uuid-typed query. */
export const isUuid = (value: string) => z.uuid().safeParse(value).success;

/**
 * A date a person enters (a decision, a claim, a check) may not lie in the future: deadlines
 * count from it (DESIGN.md §4). `today` is the service clock's date in China.
 */
export function requireNotAfterToday(field: string, date: string, today: string): void {
  if (date > today) throw badInput(field, 'input.notAfterToday', { today });
}

/** …nor before the act it depends on (a claim before the push, a check before the claim). */
export function requireNotBefore(
  field: string,
  date: string,
  earliest: string,
  what:
    | 'push'
    | 'claim'
    | 'validFrom'
    | 'registration'
    | 'windowFrom'
    | 'coding'
    | 'grant'
    | 'request'
    | 'approval'
    | 'suspension'
    | 'decision',
) {
  if (date < earliest) throw badInput(field, 'input.notBefore', { what, date: earliest });
}

/** …and a validity that has already ended cannot be granted (行政许可法 §70(一): it would be void on arrival). */
export function requireNotBeforeToday(field: string, date: string, today: string): void {
  if (date < today) throw badInput(field, 'input.notBeforeToday', { today });
}

/**
 * Late entry (issue 9 item 1, DESIGN.md §4): a business date from a document (the decision, the
 * day of the inspection) is kept beside the day the system recorded the act; more than `days`
 * calendar days apart, it is shown as a late entry with both dates, never silently trusted.
 */
export const LATE_ENTRY_DAYS = 3;
const DAY_MS = 86_400_000;
export function isLateEntry(businessDate: string, recordedOn: string, days: number = LATE_ENTRY_DAYS): boolean {
  return Math.abs(Date.parse(recordedOn) - Date.parse(businessDate)) / DAY_MS > days;
}
