/** Market regulation's business registry events: each carries the business's full state. */
import { z } from 'zod';
import { ABNORMAL_LISTING_CAUSES, ENTERPRISE_STATUSES } from '../enums';
import { date, uscc } from './fields';

const enterpriseState = z.object({
  uscc,
  name: z.string().min(1),
  industry: z.string().meta({ description: 'GB/T 4754-2017 code' }),
  region: z
    .string()
    .regex(/^[0-9]{6}$/)
    .meta({ description: 'administrative division code (GB/T 2260)' }),
  address: z.string().optional(),
  status: z.enum(ENTERPRISE_STATUSES),
  registeredOn: date,
  version: z.int().min(1).meta({ description: 'grows by one with each change; a consumer keeps the highest' }),
});

const description =
  "Published by market regulation on onecheck.market.enterprise, key: the uscc. Carries the business's full state; keep the highest version.";

export const enterpriseRegisteredV1 = enterpriseState.meta({
  title: 'A business was registered (market regulation)',
  description,
});
export const enterpriseChangedV1 = enterpriseState.meta({
  title: "A registered business's details changed; carries the full new state",
  description,
});
export const enterpriseDeregisteredV1 = enterpriseState.meta({
  title: 'A business was deregistered (注销); carries the final state',
  description,
});

/** 经营异常名录 (企业信息公示暂行条例 §17): kept by market regulation, listed from a check's result. */
export const enterpriseAbnormalListedV1 = z
  .object({
    uscc,
    cause: z.enum(ABNORMAL_LISTING_CAUSES).meta({
      description: '通过登记的住所（经营场所）无法联系 (企业信息公示暂行条例 §17)',
    }),
    listedOn: date,
    department: z.string().min(1).meta({ description: 'the department whose check found it' }),
    visitId: z.guid().optional(),
    resultId: z.guid().optional(),
    recordedAt: z.iso.datetime({ offset: true }),
  })
  .meta({
    title: 'Market regulation put a business on the 经营异常名录',
    description:
      'Published by market regulation on onecheck.market.enterprise, key: the uscc. The credit platform keeps it as a credit record.',
  });
