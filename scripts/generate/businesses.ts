/**
 * A province's worth of valid businesses, as each service would hold them after the events: the
 * registry's rows (market), the bureau's licences and its projection of the registry (approval),
 * each supervising department's tasks and findings (审管联动), and the credit platform's records
 * and classes. Pure and deterministic: the same seed and day give the same rows, in batches, so a
 * million businesses never sit in memory at once.
 *
 * The flavour is the demo county's (scripts/demo/data.ts): its industry mix widened to more of
 * GB/T 4754-2017 (divisions and, where the standard lists them, groups), the demo regions, the
 * same licence types and supervising departments. Credit classes are not drawn: they follow from
 * the generated findings through the credit platform's own rule (`classify`), as the events would.
 */
import { WorkingCalendar } from '@onecheck/calendar';
import type { Clock } from '@onecheck/clock';
import { generateUscc, industries, regions, sectionOf, seededRandom } from '@onecheck/codes';
import type * as approval from '../../services/approval/src/db/schema';
import type * as credit from '../../services/credit/src/db/schema';
import type * as department from '../../services/department/src/db/schema';
import type * as market from '../../services/market/src/db/schema';
import { NEW_BUSINESS, classify, lookbackStart } from '../../services/credit/src/domain/classification';
import { deadlinesFrom } from '../../services/department/src/domain/deadlines';
import { DEMO_ITEMS, DEMO_LICENCE_TYPES, personName } from '../demo/data';

export type EnterpriseInsert = typeof market.enterprises.$inferInsert;
export type KnownEnterpriseInsert = typeof approval.knownEnterprises.$inferInsert;
export type LicenceInsert = typeof approval.licences.$inferInsert;
export type TaskInsert = typeof department.supervisionTasks.$inferInsert;
export type FindingInsert = typeof department.findings.$inferInsert;
export type CreditRecordInsert = typeof credit.creditRecords.$inferInsert;
export type ProfileInsert = typeof credit.creditProfiles.$inferInsert;

/** One batch of businesses and everything every service holds about them. */
export interface GeneratedBatch {
  enterprises: EnterpriseInsert[];
  knownEnterprises: KnownEnterpriseInsert[];
  licences: LicenceInsert[];
  /** By supervising department code: each department instance has its own database. */
  tasks: Map<string, TaskInsert[]>;
  findings: Map<string, FindingInsert[]>;
  creditRecords: CreditRecordInsert[];
  profiles: ProfileInsert[];
}

export interface GenerateOptions {
  count: number;
  seed?: number;
  /** "Today": registrations, grants and task states are as of this day. */
  clock: Clock;
  batchSize?: number;
  /** Department instances that run; a licence type supervised by another is not granted. */
  departments?: readonly string[];
}

export const SCALE_SEED = 20260210;

/** Division, share of businesses, what such a business is called. Retail and catering lead, as in every county. */
const MIX: { code: string; weight: number; kinds: string[] }[] = [
  { code: '52', weight: 24, kinds: ['超市', '便利店', '商贸有限公司', '百货商店', '五金店'] },
  { code: '62', weight: 16, kinds: ['餐饮有限公司', '饭店', '小吃店', '火锅店', '面馆'] },
  { code: '51', weight: 9, kinds: ['农资有限公司', '批发部', '贸易有限公司'] },
  { code: '80', weight: 6, kinds: ['美容美发店', '洗浴中心', '家政服务部', '洗衣店'] },
  { code: '61', weight: 5, kinds: ['宾馆', '酒店有限公司', '旅社', '民宿'] },
  { code: '72', weight: 5, kinds: ['商务咨询有限公司', '广告有限公司', '物业管理有限公司'] },
  { code: '01', weight: 5, kinds: ['种植专业合作社', '农业开发有限公司', '家庭农场'] },
  { code: '03', weight: 3, kinds: ['养殖专业合作社', '牧业有限公司'] },
  { code: '14', weight: 3, kinds: ['食品有限公司', '面粉加工厂', '清真食品厂'] },
  { code: '47', weight: 3, kinds: ['建筑工程有限公司', '建设有限公司'] },
  { code: '54', weight: 3, kinds: ['运输有限公司', '物流有限公司'] },
  { code: '65', weight: 2, kinds: ['网络科技有限公司', '软件有限公司'] },
  { code: '70', weight: 2, kinds: ['房地产开发有限公司', '房产中介'] },
  { code: '30', weight: 2, kinds: ['建材有限公司', '砖厂', '水泥制品厂'] },
  { code: '83', weight: 2, kinds: ['培训学校', '幼儿园'] },
  { code: '84', weight: 2, kinds: ['诊所', '药房', '卫生院'] },
  { code: '90', weight: 2, kinds: ['KTV娱乐有限公司', '网吧', '游艺厅'] },
  { code: '81', weight: 2, kinds: ['汽车修理厂', '家电维修部'] },
  { code: '26', weight: 1, kinds: ['化工有限公司'] },
  { code: '44', weight: 1, kinds: ['电力有限公司', '光伏发电有限公司'] },
  { code: '89', weight: 1, kinds: ['健身中心', '体育文化有限公司'] },
  { code: '88', weight: 1, kinds: ['文化传媒有限公司', '艺术团'] },
];
const MIX_TOTAL = MIX.reduce((s, m) => s + m.weight, 0);

/** The groups (中类) the standard lists under each division: a share of businesses registers at that depth. */
const GROUPS = new Map<string, string[]>();
for (const i of industries())
  if (i.level === 'group') GROUPS.set(i.code.slice(0, 2), [...(GROUPS.get(i.code.slice(0, 2)) ?? []), i.code]);

/** The demo regions, weighted: most businesses in 白银市's districts and counties. */
const REGION_WEIGHTS: Record<string, number> = {
  '620400': 3,
  '620402': 30,
  '620403': 12,
  '620421': 18,
  '620422': 17,
  '620423': 12,
  '350200': 5,
  '110108': 3,
};
const REGIONS = regions.map((r) => ({ ...r, weight: REGION_WEIGHTS[r.code] ?? 1, short: shortName(r.name) }));
const REGION_TOTAL = REGIONS.reduce((s, r) => s + r.weight, 0);

function shortName(full: string): string {
  // '甘肃省白银市会宁县' → '会宁县'; '福建省厦门市' → '厦门市'; '北京市海淀区' → '海淀区'
  const m = /(?:省|自治区)?([^省市]+?(?:市|县|区))$/.exec(full.replace(/^.+?省/, '').replace(/^.+?市(?=.)/, ''));
  return m?.[1] ?? full;
}

const WORDS = [...'祥和兴盛福源金辉鑫达瑞丰宏远顺发嘉禾永安红星会师陇原丰泽恒信德润新城天成康宁富民昌隆华通联创'];
const ROADS = ['人民路', '北京路', '建设路', '解放路', '西关街', '东环路', '新华街', '长征路', '工业园路'];

/** Licence types by division (the demo's, plus hazardous chemicals wholesale for EMERGENCY). */
const LICENCE_TYPES: Record<string, { item: string; department: string; prefix: string }> = {
  ...DEMO_LICENCE_TYPES,
  '51': { item: '危险化学品经营许可', department: 'EMERGENCY', prefix: 'WH' },
  '26': { item: '安全生产许可', department: 'EMERGENCY', prefix: 'AQ' },
};
/** Share of an eligible business holding its licence: about 0.6 licences per business over the mix. */
const LICENSED_SHARE = 0.9;

function pick<T>(rng: () => number, list: readonly T[]): T {
  return list[Math.floor(rng() * list.length)]!;
}

function weighted<T extends { weight: number }>(rng: () => number, list: readonly T[], total: number): T {
  let roll = rng() * total;
  return list.find((m) => (roll -= m.weight) < 0) ?? list[0]!;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** A day between two years inclusive (1–28: every month has it), never after `today`. */
function dayBetween(rng: () => number, fromYear: number, toYear: number, today: string): string {
  const year = fromYear + Math.floor(rng() * (toYear - fromYear + 1));
  const day = `${year}-${pad2(1 + Math.floor(rng() * 12))}-${pad2(1 + Math.floor(rng() * 28))}`;
  return day > today ? today : day;
}

/** A version-4 shaped UUID from the generator's own sequence, so the same seed gives the same ids. */
function uuidFrom(rng: () => number): string {
  let hex = '';
  for (let i = 0; i < 4; i++)
    hex += Math.floor(rng() * 2 ** 32)
      .toString(16)
      .padStart(8, '0');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Department item codes that apply to a division, for findings to cite. */
function itemCodesFor(dept: string, division: string): string[] {
  const section = sectionOf(division);
  return (DEMO_ITEMS[dept] ?? [])
    .filter((i) => i.industries.some((c) => c === division || c === section))
    .map((i) => i.code);
}

export function* generateBusinesses(opts: GenerateOptions): Generator<GeneratedBatch> {
  const rng = seededRandom(opts.seed ?? SCALE_SEED);
  const batchSize = opts.batchSize ?? 10_000;
  const departments = new Set(opts.departments ?? ['MARKET', 'HEALTH', 'FIRE', 'EMERGENCY', 'CULTURE_TOURISM']);
  const today = opts.clock.today();
  const now = opts.clock.now();
  const thisYear = Number(today.slice(0, 4));
  const windowStart = lookbackStart(today);
  const calendar = WorkingCalendar.create();
  // Deadlines and working-day offsets repeat per day: count each once.
  const memo = new Map<string, string>();
  const workingDaysAfter = (day: string, n: number) => {
    const key = `${day}+${n}`;
    let d = memo.get(key);
    if (!d) memo.set(key, (d = calendar.addWorkingDays(day, n)));
    return d;
  };
  const deadlineMemo = new Map<string, { claimBy: string; checkBy: string }>();

  const seen = new Set<string>();
  const names = new Map<string, number>();
  let licenceSeq = 0;
  let made = 0;
  let batch = emptyBatch();

  while (made < opts.count) {
    const mix = weighted(rng, MIX, MIX_TOTAL);
    const region = weighted(rng, REGIONS, REGION_TOTAL);
    const groups = GROUPS.get(mix.code);
    const industry = groups && rng() < 0.35 ? pick(rng, groups) : mix.code;
    const soleTrader = (mix.code === '52' || mix.code === '62' || mix.code === '80') && rng() < 0.4;
    const uscc = generateUscc(rng, { region: region.code, authority: '9', category: soleTrader ? '2' : '1' });
    if (seen.has(uscc)) continue;
    seen.add(uscc);
    made++;

    // Names are unique within a registration area: a taken name gets a branch number.
    const base = `${region.short}${pick(rng, WORDS)}${pick(rng, WORDS)}${pick(rng, mix.kinds)}`;
    const taken = names.get(base) ?? 0;
    names.set(base, taken + 1);
    const name = taken ? `${base}（第${taken + 1}分店）` : base;
    const registeredOn = dayBetween(rng, 2000, thisYear, today);
    const age = thisYear - Number(registeredOn.slice(0, 4));
    const roll = rng();
    // Older businesses are likelier to have closed; a change of status is one more version.
    const status: EnterpriseInsert['status'] =
      roll < 0.004 * age
        ? 'DEREGISTERED'
        : roll < 0.006 * age
          ? 'REVOKED'
          : roll < 0.007 * age
            ? 'SUSPENDED'
            : 'ACTIVE';
    const version = status === 'ACTIVE' ? 1 : 2;
    batch.enterprises.push({
      uscc,
      name,
      legalRepresentative: personName(rng),
      industry,
      industrySection: sectionOf(industry)!,
      region: region.code,
      address: `${region.name}${pick(rng, ROADS)}${1 + Math.floor(rng() * 400)}号`,
      status,
      registeredOn,
      version,
      createdAt: now,
      updatedAt: now,
    });
    batch.knownEnterprises.push({ uscc, name, status, version });

    const records: CreditRecordInsert[] = [];
    const type = LICENCE_TYPES[mix.code];
    if (type && departments.has(type.department) && rng() < LICENSED_SHARE) {
      const grantedOn = dayBetween(rng, Math.max(Number(registeredOn.slice(0, 4)), thisYear - 5), thisYear, today);
      const granted = grantedOn < registeredOn ? registeredOn : grantedOn;
      const ended = status === 'DEREGISTERED' ? 'CANCELLED' : status === 'REVOKED' ? 'REVOKED' : null;
      const licenceStatus: LicenceInsert['status'] = ended ?? (rng() < 0.01 ? 'SUSPENDED' : 'VALID');
      const statusReason =
        licenceStatus === 'CANCELLED'
          ? '经营主体已注销'
          : licenceStatus === 'REVOKED'
            ? '营业执照被吊销'
            : licenceStatus === 'SUSPENDED'
              ? '责令停业整顿'
              : null;
      const licenceId = uuidFrom(rng);
      const licenceNumber = `${type.prefix}${region.code}${granted.slice(0, 4)}${String(++licenceSeq).padStart(7, '0')}`;
      batch.licences.push({
        id: licenceId,
        licenceNumber,
        uscc,
        approvalItem: type.item,
        supervisingDepartment: type.department,
        scope: `${type.item}：${name}`,
        validFrom: granted,
        validUntil: `${Number(granted.slice(0, 4)) + 5}${granted.slice(4)}`,
        grantedOn: granted,
        status: licenceStatus,
        statusReason,
        createdAt: now,
        updatedAt: now,
      });

      // The department's task for the grant, as its consumer made it, and where it stands today.
      let d = deadlineMemo.get(granted);
      if (!d) deadlineMemo.set(granted, (d = deadlinesFrom(calendar, granted)));
      const task: TaskInsert = {
        id: uuidFrom(rng),
        licenceId,
        licenceNumber,
        uscc,
        approvalItem: type.item,
        status: 'PENDING_CLAIM',
        pushedOn: granted,
        claimBy: d.claimBy,
        checkBy: d.checkBy,
        claimedOn: null,
        claimedBy: null,
        checkedOn: null,
        checkedBy: null,
        outcome: null,
        summary: null,
        closedBecause: null,
        licenceReason: null,
        createdAt: now,
        updatedAt: now,
      };
      const inspector = `inspector-${type.department.toLowerCase()}-${1 + Math.floor(rng() * 40)}`;
      const claim = () => {
        task.status = 'CLAIMED';
        task.claimedOn = workingDaysAfter(granted, 1 + Math.floor(rng() * 3));
        task.claimedBy = inspector;
      };
      const r = rng();
      if (ended) {
        task.status = 'CLOSED';
        task.closedBecause = ended === 'CANCELLED' ? 'LICENCE_CANCELLED' : 'LICENCE_REVOKED';
        task.licenceReason = statusReason;
      } else if (d.checkBy < today && r < 0.95) {
        claim();
        const checkedOn = workingDaysAfter(granted, 4 + Math.floor(rng() * 26));
        const problems = rng() < 0.1;
        Object.assign(task, {
          status: 'CHECKED',
          checkedOn: checkedOn > today ? today : checkedOn,
          checkedBy: inspector,
          outcome: problems ? 'PROBLEMS_FOUND' : 'NO_PROBLEM',
          summary: problems ? '检查发现问题，已依法处理' : '现场检查未发现问题',
        });
        if (problems) {
          const codes = itemCodesFor(type.department, mix.code);
          const findings = batch.findings.get(type.department) ?? [];
          batch.findings.set(type.department, findings);
          for (let k = 1 + (rng() < 0.3 ? 1 : 0); k > 0; k--) {
            const s = rng();
            const severity = s < 0.6 ? 'MINOR' : s < 0.93 ? 'GENERAL' : 'SERIOUS';
            const h = rng();
            const handling =
              severity === 'SERIOUS'
                ? h < 0.2
                  ? 'JUDICIAL_TRANSFER'
                  : 'PENALTY'
                : severity === 'GENERAL' && h < 0.3
                  ? 'PENALTY'
                  : 'RECTIFICATION';
            const finding: FindingInsert = {
              id: uuidFrom(rng),
              taskId: task.id!,
              uscc,
              itemCode: codes.length ? pick(rng, codes) : null,
              description:
                severity === 'MINOR'
                  ? '台账记录不完整'
                  : severity === 'GENERAL'
                    ? '从业人员健康证明过期'
                    : '存在重大安全隐患',
              severity,
              handling,
              // Every row names every column: the bulk insert takes its columns from the first row.
              status: 'OPEN',
              recordedOn: task.checkedOn!,
              recordedBy: inspector,
              createdAt: now,
              updatedAt: now,
            };
            // What each handling needs (domain/findings.ts): a due day 10 working days on, the organ.
            // Derived from the id, not the rng, so the rest of the county stays as it was.
            if (handling === 'RECTIFICATION') {
              finding.dueOn = workingDaysAfter(task.checkedOn!, 10);
              // Most past-due orders were re-checked and found rectified; the rest are overdue.
              if (finding.dueOn < today && parseInt(finding.id!.slice(0, 1), 16) < 13) {
                Object.assign(finding, {
                  status: 'CLOSED',
                  recheckedOn: finding.dueOn,
                  rectified: true,
                  closedAt: now,
                });
                finding.recheckedBy = inspector;
              }
            }
            if (handling === 'JUDICIAL_TRANSFER') finding.judicialOrgan = '县公安局';
            findings.push(finding);
            records.push({
              id: finding.id!,
              uscc,
              department: type.department,
              severity,
              handling,
              description: finding.description,
              recordedOn: finding.recordedOn,
              createdAt: now,
            });
          }
        }
      } else if (d.checkBy < today || d.claimBy < today) {
        // Left open past a deadline: what the overdue filter is for.
        if (r < 0.985 && d.checkBy >= today) claim();
        else if (rng() < 0.6) claim();
      }
      const tasks = batch.tasks.get(type.department) ?? [];
      batch.tasks.set(type.department, tasks);
      tasks.push(task);
    }

    // The credit platform: NEW at registration; re-classified over the window by its own rule once records came.
    batch.creditRecords.push(...records);
    const counted = records.filter((rec) => rec.recordedOn >= windowStart);
    batch.profiles.push(
      records.length
        ? { uscc, name, ...classify(counted), updatedAt: now }
        : { uscc, name, ...NEW_BUSINESS, updatedAt: now },
    );

    if (batch.enterprises.length >= batchSize) {
      yield batch;
      batch = emptyBatch();
    }
  }
  if (batch.enterprises.length) yield batch;
}

function emptyBatch(): GeneratedBatch {
  return {
    enterprises: [],
    knownEnterprises: [],
    licences: [],
    tasks: new Map(),
    findings: new Map(),
    creditRecords: [],
    profiles: [],
  };
}
