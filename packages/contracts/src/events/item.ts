/**
 * A department's supervision items (监管事项), as it publishes, revises and withdraws them: the
 * office builds the joint list per industry (一业一单, seed 000 §二, 004 (一)) from these events
 * alone, never by asking the departments.
 */
import { z } from 'zod';
import { CHECK_METHODS, ITEM_EMPHASES, ITEM_STATUSES, SUPERVISION_LEVELS } from '../enums';
import { departmentCode } from './fields';

/** One point of the item's check form (检查表单) and the answers an inspector may give. */
export const checkPoint = z.object({
  point: z.string().min(1).meta({ description: '检查要点' }),
  answers: z.array(z.string().min(1)).min(1).meta({ description: 'the possible answers, e.g. 符合 / 不符合 / 不涉及' }),
});

const itemStateV1 = z.object({
  department: departmentCode,
  code: z.string().min(1).meta({ description: "the item's code in the department's list" }),
  name: z.string().min(1),
  content: z.string().min(1).meta({ description: '检查内容' }),
  legalBasis: z.string().min(1),
  level: z.enum(SUPERVISION_LEVELS),
  industries: z
    .array(z.string().regex(/^([A-T]|\d{2,4})$/))
    .min(1)
    .meta({ description: 'GB/T 4754-2017 codes it applies to: sections (a letter), divisions, groups or classes' }),
  checkMethod: z.enum(CHECK_METHODS),
  emphasis: z.enum(ITEM_EMPHASES).meta({ description: 'KEY (重点, no ratio cap) or GENERAL (一般)' }),
  frequencyPerYear: z.int().min(0).optional().meta({ description: '检查频次: checks a year the department plans' }),
  checkPoints: z.array(checkPoint).meta({ description: 'the check form' }),
  status: z.enum(ITEM_STATUSES),
  revision: z.int().min(1).meta({
    description: "the item's revision in the department, rising with every change: the list keeps the highest",
  }),
  recordedAt: z.iso.datetime({ offset: true }),
});

const description =
  "Published by each department on onecheck.department.item, key: the department code. Carries the item's full state; the office's joint list (一业一单) keeps the highest revision of each (department, code).";

export const itemPublishedV1 = itemStateV1.meta({ title: 'A department published a supervision item', description });
export const itemRevisedV1 = itemStateV1.meta({ title: 'A department revised a supervision item', description });
export const itemWithdrawnV1 = itemStateV1.meta({
  title: 'A department withdrew a supervision item from its list',
  description,
});
