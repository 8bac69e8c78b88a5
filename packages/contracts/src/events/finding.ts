/**
 * A department's finding (发现问题) and how it is handled. v1 takes its enums from enums.ts; when
 * FINDING_SEVERITIES or FINDING_HANDLINGS change, v1 keeps its published values (write them out
 * here) and the new values go out as v2 (the compatibility test says so).
 */
import { z } from 'zod';
import { FINDING_HANDLINGS, FINDING_SEVERITIES } from '../enums';
import { date, departmentCode, id, uscc } from './fields';

export const findingRecordedV1 = z
  .object({
    findingId: id,
    department: departmentCode,
    uscc,
    taskId: id,
    itemCode: z.string().optional().meta({ description: 'the supervision item (监管事项) checked' }),
    description: z.string().min(1),
    severity: z.enum(FINDING_SEVERITIES),
    handling: z.enum(FINDING_HANDLINGS),
    recordedOn: date,
  })
  .meta({
    title: 'A department recorded a finding (发现问题) on an inspection',
    description:
      'Published by each department on onecheck.department.finding, key: the uscc. The credit platform keeps it as a credit record.',
  });
