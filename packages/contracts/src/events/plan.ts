/**
 * Annual joint plans and their draw (一业一查, seed 000 §二(二), 001 §二–三, 004 (四)–(六)), as the
 * office publishes them on onecheck.market.plan, key: the plan id. A plan's events carry what is
 * public (DESIGN: 双随机、一公开); the draw event carries each department's part of the target list
 * and the revealed seed, from which each department draws its own inspectors.
 */
import { z } from 'zod';
import { PLAN_ADJUSTMENTS, PLAN_STATUSES } from '../enums';
import { date, departmentCode, id, uscc } from './fields';

const ratio = z.number().min(0).max(1);
const at = z.iso.datetime({ offset: true });
const sha256 = z.string().regex(/^[0-9a-f]{64}$/);

const planStateV1 = z.object({
  planId: id,
  name: z.string().min(1),
  year: z.int().min(2000).max(2100),
  industry: z.string().min(1).meta({ description: 'GB/T 4754-2017 section, division or group' }),
  leadDepartment: departmentCode.meta({ description: '牵头 (谁主管谁牵头)' }),
  cooperatingDepartments: z.array(departmentCode).meta({ description: '配合' }),
  items: z
    .array(z.object({ department: departmentCode, code: z.string().min(1) }))
    .min(1)
    .meta({ description: "each department's items, from the pinned list version" }),
  listVersion: z.int().min(1).meta({ description: 'the joint list version the plan pinned' }),
  ratios: z
    .object({ A: ratio, B: ratio, C: ratio, D: ratio })
    .meta({ description: 'sampling ratio per risk class (信用风险分类 A–D), 0–1' }),
  windowFrom: date,
  windowTo: date,
  coolDownMonths: z.int().min(0),
  commitment: sha256.meta({ description: "SHA-256 (hex) of the office's secret, published when the plan was filed" }),
  status: z.enum(PLAN_STATUSES),
  recordedAt: at,
});

export const planPublishedV1 = planStateV1.meta({
  title: 'The office published an annual joint plan (计划公告)',
  description: 'Published by market regulation (the office) on onecheck.market.plan, key: the plan id.',
});

export const planAdjustedV1 = planStateV1
  .extend({
    adjustment: z.object({
      kind: z.enum(PLAN_ADJUSTMENTS),
      reason: z.string().min(1),
      filedAt: at,
    }),
  })
  .meta({
    title: 'A published plan was adjusted (增设, 延迟, 取消, 调整比例: filed with a reason and published)',
    description: "Published by the office on onecheck.market.plan, key: the plan id, with the plan's new state.",
  });

export const drawMadeV1 = z
  .object({
    planId: id,
    drawId: id,
    seed: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .meta({ description: 'the draw seed (hex): see docs/draw.md' }),
    secret: z.string().min(1).meta({ description: "the office's revealed secret" }),
    publicValue: z.string().min(1),
    poolHash: sha256,
    poolSize: z.int().min(0),
    windowFrom: date,
    windowTo: date,
    targets: z
      .array(
        z.object({
          uscc,
          name: z.string().min(1),
          address: z.string().optional(),
          departments: z.array(z.object({ department: departmentCode, items: z.array(z.string().min(1)).min(1) })),
        }),
      )
      .meta({ description: "the drawn businesses, each with every department's items for it" }),
    drawnAt: at,
  })
  .meta({
    title: 'The office drew the targets of a plan (双随机): each department draws its inspectors from the same seed',
    description:
      'Published by the office on onecheck.market.plan, key: the plan id. Risk classes are not in it (信用风险分类 results stay internal).',
  });

/** Targets per part of a draw (v2): a part stays far below Kafka's 1 MB default message size. */
export const DRAW_PART_SIZE = 500;

export const drawMadeV2 = drawMadeV1
  .omit({ targets: true })
  .extend({
    departments: z
      .array(z.object({ department: departmentCode, items: z.array(z.string().min(1)).min(1) }))
      .min(1)
      .meta({ description: 'every department of the plan with its items, the same for each drawn business' }),
    part: z.int().min(1).meta({ description: 'this part of the drawn list, from 1' }),
    parts: z.int().min(1).meta({ description: 'how many parts the drawn list was cut into' }),
    targets: z
      .array(z.object({ uscc, name: z.string().min(1), address: z.string().optional() }))
      .max(DRAW_PART_SIZE)
      .meta({ description: 'the drawn businesses of this part, by uscc' }),
  })
  .refine((d) => d.part <= d.parts, { path: ['part'], message: 'part is at most parts' })
  .meta({
    title: 'The office drew the targets of a plan (双随机), one part of the drawn list',
    description:
      "Published by the office on onecheck.market.plan, key: the plan id, in parts of at most 500 businesses (v1 carried the whole list in one message, past Kafka's default size for a large draw). A department draws its inspectors once it holds every part. Risk classes are not in it.",
  });
