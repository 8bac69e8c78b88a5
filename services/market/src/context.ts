import DataLoader from 'dataloader';
import { serviceContext, type RequestInfo, type ServiceContext, type ServiceDeps } from '@onecheck/kit';
import * as schema from './db/schema';
import { enterprisesByUscc, type EnterpriseRow } from './domain/enterprise';
import { currentItemsFor, type JointListItemState } from './domain/joint-list';
import { classesByUscc, keySupervisionByUscc, tagsByUscc } from './domain/targets';
import { drawsByPlan } from './domain/draw';
import { adjustmentsByPlan, plansByIds } from './domain/plans';
import { partsOf, recordedDepartments, listItemsByKey } from './domain/visits';
import type {
  AbnormalListingRow,
  DrawRow,
  KeySupervisionRow,
  PlanAdjustmentRow,
  PlanRow,
  VisitDepartmentRow,
} from './db/schema';
import { listingsByUscc } from './domain/abnormal-list';
import type { RiskClass } from '@onecheck/contracts';

export interface MarketContext extends ServiceContext<typeof schema> {
  enterpriseByUscc: DataLoader<string, EnterpriseRow | null>;
  /** 一业一单: the current list's items applying to a business industry (one query per batch). */
  itemsForBusinessIndustry: DataLoader<string, JointListItemState[]>;
  /** 检查对象名录库: each business's class and tags. */
  riskClassOf: DataLoader<string, RiskClass>;
  tagsOf: DataLoader<string, { tag: string; department: string }[]>;
  /** 纳入重点监管范围 in force today, each business's. */
  keySupervisionOf: DataLoader<string, KeySupervisionRow[]>;
  /** A list of plans with their draws and adjustments: one query each, not one per plan. */
  drawOfPlan: DataLoader<string, DrawRow | null>;
  adjustmentsOfPlan: DataLoader<string, PlanAdjustmentRow[]>;
  /** 经营异常名录: each business's listings (a list of businesses: one query). */
  abnormalListingsOf: DataLoader<string, AbnormalListingRow[]>;
  /** What a list of visits shows: each visit's parts, the departments with results, list items, plans. */
  visitParts: DataLoader<string, VisitDepartmentRow[]>;
  visitRecorded: DataLoader<string, string[]>;
  listItemByKey: DataLoader<string, JointListItemState | null>;
  planById: DataLoader<string, PlanRow | null>;
}

/** Fresh loaders per request: batching within it, no caching across callers. */
export function marketContext(request: RequestInfo, deps: ServiceDeps<typeof schema>): MarketContext {
  return {
    ...serviceContext(request, deps),
    enterpriseByUscc: new DataLoader((codes) => enterprisesByUscc(deps.db, codes)),
    itemsForBusinessIndustry: new DataLoader((codes) => currentItemsFor(deps.db, codes)),
    riskClassOf: new DataLoader((codes) => classesByUscc(deps.db, codes)),
    tagsOf: new DataLoader((codes) => tagsByUscc(deps.db, codes)),
    keySupervisionOf: new DataLoader((codes) => keySupervisionByUscc(deps.db, codes, deps.clock.today())),
    drawOfPlan: new DataLoader((ids) => drawsByPlan(deps.db, ids)),
    adjustmentsOfPlan: new DataLoader((ids) => adjustmentsByPlan(deps.db, ids)),
    abnormalListingsOf: new DataLoader((codes) => listingsByUscc(deps.db, codes)),
    visitParts: new DataLoader((ids) => partsOf(deps.db, ids)),
    visitRecorded: new DataLoader((ids) => recordedDepartments(deps.db, ids)),
    listItemByKey: new DataLoader((keys) => listItemsByKey(deps.db, keys)),
    planById: new DataLoader((ids) => plansByIds(deps.db, ids)),
  };
}
