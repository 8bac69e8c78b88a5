/**
 * The demo county: a deterministic, realistic 会宁县 with businesses across the industries the
 * seeds talk about (restaurants, hotels, shops, entertainment, schools, clinics, factories, building).
 * Same seed, same county, so a second start and every test see the same data.
 */
import { generateUscc, industry, seededRandom } from '@onecheck/codes';

export const DEMO_SEED = 20241028;
export const COUNTY = '620422'; // 甘肃省白银市会宁县 (seed 000)
const TOWNS = ['会师镇', '郭城驿镇', '河畔镇', '头寨子镇', '太平店镇', '甘沟驿镇', '中川镇', '大沟镇'];
const SURNAMES =
  '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎'.split('');
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国玉兰志红文斌辉'.split('');
const WORDS = [
  '祥和',
  '兴盛',
  '福源',
  '金辉',
  '鑫达',
  '瑞丰',
  '宏远',
  '顺发',
  '嘉禾',
  '永安',
  '红星',
  '会师',
  '陇原',
  '丰泽',
  '恒信',
  '德润',
  '新城',
  '天成',
  '康宁',
  '富民',
];

/** Industry mix: division code, share of businesses, and what such a business is called. */
const MIX: { code: string; weight: number; kinds: string[] }[] = [
  { code: '62', weight: 22, kinds: ['餐饮有限公司', '饭店', '小吃店', '火锅店'] },
  { code: '52', weight: 20, kinds: ['超市', '便利店', '商贸有限公司', '百货商店'] },
  { code: '61', weight: 8, kinds: ['宾馆', '酒店有限公司', '旅社'] },
  { code: '80', weight: 8, kinds: ['美容美发店', '洗浴中心', '家政服务部'] },
  { code: '90', weight: 5, kinds: ['KTV娱乐有限公司', '网吧', '游艺厅'] },
  { code: '83', weight: 5, kinds: ['培训学校', '幼儿园'] },
  { code: '84', weight: 5, kinds: ['诊所', '药房', '卫生院'] },
  { code: '14', weight: 7, kinds: ['食品有限公司', '面粉加工厂', '清真食品厂'] },
  { code: '47', weight: 6, kinds: ['建筑工程有限公司', '建设有限公司'] },
  { code: '54', weight: 6, kinds: ['运输有限公司', '客运站'] },
  { code: '30', weight: 4, kinds: ['建材有限公司', '砖厂'] },
  { code: '51', weight: 4, kinds: ['农资有限公司', '批发部'] },
];

export interface DemoEnterprise {
  uscc: string;
  name: string;
  legalRepresentative: string;
  industry: string;
  region: string;
  address: string;
  registeredOn: string;
}

function pick<T>(rng: () => number, list: readonly T[]): T {
  return list[Math.floor(rng() * list.length)]!;
}

export function personName(rng: () => number): string {
  return pick(rng, SURNAMES) + pick(rng, GIVEN) + (rng() < 0.6 ? pick(rng, GIVEN) : '');
}

export function demoEnterprises(count = 2000, seed = DEMO_SEED): DemoEnterprise[] {
  const rng = seededRandom(seed);
  const total = MIX.reduce((s, m) => s + m.weight, 0);
  const seen = new Set<string>();
  const names = new Set<string>();
  const out: DemoEnterprise[] = [];
  while (out.length < count) {
    let roll = rng() * total;
    const mix = MIX.find((m) => (roll -= m.weight) < 0) ?? MIX[0]!;
    const uscc = generateUscc(rng, {
      region: COUNTY,
      authority: '9',
      category: mix.code === '52' && rng() < 0.4 ? '2' : '1',
    });
    if (seen.has(uscc)) continue;
    seen.add(uscc);
    const town = pick(rng, TOWNS);
    // Names are unique within a registration area: a taken name gets the town, then a branch number.
    let name = `会宁县${pick(rng, WORDS)}${pick(rng, mix.kinds)}`;
    if (names.has(name)) name = name.replace('会宁县', `会宁县${town}`);
    for (let n = 2; names.has(name); n++) name = `${name.replace(/（第\d+分店）$/, '')}（第${n}分店）`;
    names.add(name);
    const year = 2008 + Math.floor(rng() * 18);
    const month = 1 + Math.floor(rng() * 12);
    const day = 1 + Math.floor(rng() * 28);
    out.push({
      uscc,
      name,
      legalRepresentative: personName(rng),
      industry: mix.code,
      region: COUNTY,
      address: `甘肃省白银市会宁县${town}${pick(rng, WORDS)}路${1 + Math.floor(rng() * 300)}号`,
      registeredOn: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
    });
  }
  // Industry codes must exist in the catalogue: the data file is the authority.
  for (const e of out)
    if (!industry(e.industry)) throw new Error(`demo industry ${e.industry} not in GB/T 4754-2017 data`);
  return out;
}

export interface DemoItem {
  code: string;
  name: string;
  content: string;
  legalBasis: string;
  level: 'PROVINCE' | 'CITY' | 'COUNTY';
  industries: string[];
  checkMethod: 'ON_SITE' | 'DOCUMENT' | 'ONLINE';
  /** 重点 or 一般 (国市监信〔2019〕38号): food safety, fire and work safety items are KEY here. */
  emphasis: 'KEY' | 'GENERAL';
  frequencyPerYear?: number;
  /** The check form (检查表单). */
  checkPoints: { point: string; answers: string[] }[];
}

/** The answers of a point of a check form, as most forms have them. */
const ANSWERS = ['符合', '不符合', '不涉及'];
const form = (...points: string[]) => points.map((point) => ({ point, answers: ANSWERS }));

/** Each department's supervision item list (一业一单 is built from these). */
export const DEMO_ITEMS: Record<string, DemoItem[]> = {
  MARKET: [
    {
      code: 'SC-SP-001',
      name: '食品经营者经营条件检查',
      content: '检查食品经营许可、从业人员健康证明、进货查验记录',
      legalBasis: '《中华人民共和国食品安全法》第三十三条、第一百一十条',
      level: 'COUNTY',
      industries: ['62', '52', '51'],
      checkMethod: 'ON_SITE',
      emphasis: 'KEY',
      frequencyPerYear: 2,
      checkPoints: form('食品经营许可证在有效期内并悬挂', '从业人员持有效健康证明', '进货查验记录完整'),
    },
    {
      code: 'SC-SP-002',
      name: '食品生产企业监督检查',
      content: '检查生产环境、原料控制、出厂检验',
      legalBasis: '《食品生产经营监督检查管理办法》',
      level: 'COUNTY',
      industries: ['14'],
      checkMethod: 'ON_SITE',
      emphasis: 'KEY',
      frequencyPerYear: 2,
      checkPoints: form('生产环境符合卫生要求', '原料进货查验', '出厂检验记录'),
    },
    {
      code: 'SC-ZL-001',
      name: '产品质量监督抽查',
      content: '抽取样品检验产品质量',
      legalBasis: '《中华人民共和国产品质量法》第十五条',
      level: 'CITY',
      industries: ['30', '52'],
      checkMethod: 'ON_SITE',
      emphasis: 'GENERAL',
      frequencyPerYear: 1,
      checkPoints: form('抽样程序合规', '样品检验合格'),
    },
    {
      code: 'SC-GS-001',
      name: '企业公示信息抽查',
      content: '检查年度报告等公示信息的真实性',
      legalBasis: '《企业信息公示暂行条例》第十四条',
      level: 'COUNTY',
      industries: ['A', 'B', 'C', 'E', 'F', 'G', 'H', 'I', 'L', 'O', 'P', 'Q', 'R'],
      checkMethod: 'DOCUMENT',
      emphasis: 'GENERAL',
      frequencyPerYear: 1,
      checkPoints: form('年度报告按时公示', '公示信息真实'),
    },
  ],
  HEALTH: [
    {
      code: 'WJ-GG-001',
      name: '公共场所卫生监督检查',
      content: '检查卫生许可证、从业人员健康证明、空气与用品卫生',
      legalBasis: '《公共场所卫生管理条例》第十四条',
      level: 'COUNTY',
      industries: ['61', '80', '90'],
      checkMethod: 'ON_SITE',
      emphasis: 'GENERAL',
      frequencyPerYear: 1,
      checkPoints: form('卫生许可证有效', '从业人员健康证明', '空气质量与公共用品消毒'),
    },
    {
      code: 'WJ-YL-001',
      name: '医疗机构依法执业检查',
      content: '检查执业许可、人员资质、医疗废物处置',
      legalBasis: '《医疗机构管理条例》第四十条',
      level: 'COUNTY',
      industries: ['84'],
      checkMethod: 'ON_SITE',
      emphasis: 'KEY',
      frequencyPerYear: 2,
      checkPoints: form('执业许可证有效', '医护人员资质', '医疗废物分类处置'),
    },
    {
      code: 'WJ-XX-001',
      name: '学校卫生监督检查',
      content: '检查教学环境、饮用水、传染病防控',
      legalBasis: '《学校卫生工作条例》第二十八条',
      level: 'COUNTY',
      industries: ['83'],
      checkMethod: 'ON_SITE',
      emphasis: 'GENERAL',
      frequencyPerYear: 1,
      checkPoints: form('教学环境采光照明', '饮用水卫生', '传染病防控制度'),
    },
  ],
  FIRE: [
    {
      code: 'XF-JC-001',
      name: '人员密集场所消防安全检查',
      content: '检查疏散通道、安全出口、消防设施器材',
      legalBasis: '《中华人民共和国消防法》第五十三条',
      level: 'COUNTY',
      industries: ['61', '62', '52', '90', '83', '84'],
      checkMethod: 'ON_SITE',
      emphasis: 'KEY',
      frequencyPerYear: 2,
      checkPoints: form('疏散通道畅通', '安全出口标志完好', '消防设施器材完好有效'),
    },
    {
      code: 'XF-JC-002',
      name: '生产加工企业消防安全检查',
      content: '检查消防安全责任制、动火作业管理',
      legalBasis: '《消防监督检查规定》第六条',
      level: 'COUNTY',
      industries: ['C'],
      checkMethod: 'ON_SITE',
      emphasis: 'KEY',
      frequencyPerYear: 1,
      checkPoints: form('消防安全责任制落实', '动火作业审批'),
    },
  ],
  EMERGENCY: [
    {
      code: 'YJ-AQ-001',
      name: '工贸企业安全生产检查',
      content: '检查安全生产责任制、隐患排查治理、特种作业人员持证',
      legalBasis: '《中华人民共和国安全生产法》第六十五条',
      level: 'COUNTY',
      industries: ['C', 'B'],
      checkMethod: 'ON_SITE',
      emphasis: 'KEY',
      frequencyPerYear: 2,
      checkPoints: form('安全生产责任制', '隐患排查治理台账', '特种作业人员持证上岗'),
    },
    {
      code: 'YJ-AQ-002',
      name: '建筑施工安全检查',
      content: '检查施工现场安全防护',
      legalBasis: '《建设工程安全生产管理条例》',
      level: 'COUNTY',
      industries: ['E'],
      checkMethod: 'ON_SITE',
      emphasis: 'KEY',
      frequencyPerYear: 2,
      checkPoints: form('施工现场安全防护'),
    },
    {
      code: 'YJ-WH-001',
      name: '危险化学品经营检查',
      content: '检查危化品经营许可与储存条件',
      legalBasis: '《危险化学品安全管理条例》第六条',
      level: 'CITY',
      industries: ['51'],
      checkMethod: 'ON_SITE',
      emphasis: 'KEY',
      frequencyPerYear: 2,
      checkPoints: form('危化品经营许可证有效', '储存条件符合要求'),
    },
  ],
  CULTURE_TOURISM: [
    {
      code: 'WL-YL-001',
      name: '娱乐场所经营活动检查',
      content: '检查娱乐经营许可证、营业时间、未成年人保护',
      legalBasis: '《娱乐场所管理条例》第三十四条',
      level: 'COUNTY',
      industries: ['90'],
      checkMethod: 'ON_SITE',
      emphasis: 'GENERAL',
      frequencyPerYear: 1,
      checkPoints: form('娱乐经营许可证有效', '营业时间符合规定', '未成年人保护措施'),
    },
    {
      code: 'WL-LY-001',
      name: '旅游住宿服务质量检查',
      content: '检查明码标价与服务规范',
      legalBasis: '《中华人民共和国旅游法》第八十三条',
      level: 'COUNTY',
      industries: ['61'],
      checkMethod: 'ON_SITE',
      emphasis: 'GENERAL',
      frequencyPerYear: 1,
      checkPoints: form('明码标价', '服务规范'),
    },
  ],
};

/**
 * The bureau's approval items (审批事项实施清单, seed 003 第八条): each licence type's supervising
 * department, the 监管子项 it maps to, and its 告知承诺 mode where the county offers one (第二十三条).
 */
export const DEMO_APPROVAL_ITEMS = [
  {
    name: '食品经营许可',
    supervisingDepartment: 'MARKET',
    supervisionItem: 'SC-SP-001',
    promiseMode: 'DEFERRED_MATERIALS',
    promiseDays: 10,
  },
  {
    name: '食品生产许可',
    supervisingDepartment: 'MARKET',
    supervisionItem: 'SC-SP-002',
    promiseMode: 'POST_CHECK',
    promiseDays: 20,
  },
  {
    name: '公共场所卫生许可',
    supervisingDepartment: 'HEALTH',
    supervisionItem: 'WJ-GG-001',
    promiseMode: 'POST_CHECK',
    promiseDays: 20,
  },
  { name: '医疗机构执业许可', supervisingDepartment: 'HEALTH', supervisionItem: 'WJ-YL-001' },
  {
    name: '娱乐经营许可',
    supervisingDepartment: 'CULTURE_TOURISM',
    supervisionItem: 'WL-YL-001',
    promiseMode: 'MATERIALS_VERIFICATION',
    promiseDays: 5,
  },
  { name: '安全生产许可', supervisingDepartment: 'EMERGENCY', supervisionItem: 'YJ-AQ-001' },
] as const;

/** Licences and the departments that supervise them (审管联动, seed 003). */
export const DEMO_LICENCE_TYPES: Record<string, { item: string; department: string; prefix: string }> = {
  '62': { item: '食品经营许可', department: 'MARKET', prefix: 'JY' },
  '52': { item: '食品经营许可', department: 'MARKET', prefix: 'JY' },
  '14': { item: '食品生产许可', department: 'MARKET', prefix: 'SC' },
  '61': { item: '公共场所卫生许可', department: 'HEALTH', prefix: 'WS' },
  '80': { item: '公共场所卫生许可', department: 'HEALTH', prefix: 'WS' },
  '84': { item: '医疗机构执业许可', department: 'HEALTH', prefix: 'YL' },
  '90': { item: '娱乐经营许可', department: 'CULTURE_TOURISM', prefix: 'WH' },
  '30': { item: '安全生产许可', department: 'EMERGENCY', prefix: 'AQ' },
};

/**
 * The demo county's licences as of `today` (YYYY-MM-DD, the services' clock): each granted on its
 * business's registration day of a year within the last five, never before the registration nor
 * after today (issue 9 item 1), and valid for five years from the grant, so still in force today —
 * a grant whose validity is already over is refused (行政许可法 §70(一)). Decision dates years before
 * the load show as late entry, which they are.
 */
export function demoLicences(enterprises: DemoEnterprise[], today: string, seed = DEMO_SEED) {
  const rng = seededRandom(seed + 1);
  const thisYear = Number(today.slice(0, 4));
  return enterprises.flatMap((e, i) => {
    const type = DEMO_LICENCE_TYPES[e.industry];
    if (!type || rng() < 0.15) return [];
    const candidate = `${Math.max(Number(e.registeredOn.slice(0, 4)), thisYear - 4 + Math.floor(rng() * 5))}${e.registeredOn.slice(4)}`;
    // Not after today; not before the registration either, since that is not after today.
    const grantedOn = candidate > today ? today : candidate;
    const year = Number(grantedOn.slice(0, 4));
    return [
      {
        uscc: e.uscc,
        licenceNumber: `${type.prefix}${COUNTY}${String(year)}${String(i).padStart(5, '0')}`,
        approvalItem: type.item,
        supervisingDepartment: type.department,
        scope: `${type.item}：${e.name}`,
        validFrom: grantedOn,
        // A grant on 29 February (today, in a leap year) runs to the 28th five years on.
        validUntil: `${year + 5}${grantedOn.slice(4) === '-02-29' ? '-02-28' : grantedOn.slice(4)}`,
        grantedOn,
      },
    ];
  });
}

const ENFORCEMENT_FIELD: Record<string, string> = {
  MARKET: '市场监管',
  HEALTH: '卫生健康',
  FIRE: '消防监督',
  EMERGENCY: '安全生产',
  CULTURE_TOURISM: '文化市场',
};

/**
 * Each department's 执法检查人员名录库: mostly inspectors qualified for every item of the
 * department (执法领域 = item codes), with what a real directory holds besides — an expert (专家,
 * never one of the two officers), a certificate that ran out, someone qualified for one item only —
 * so a draw over the demo county shows each rule at work.
 */
export function demoInspectors(department: string, count = 10) {
  const rng = seededRandom(DEMO_SEED + department.length * 31 + department.charCodeAt(0));
  const items = (DEMO_ITEMS[department] ?? []).map((i) => i.code);
  const field = ENFORCEMENT_FIELD[department] ?? department;
  return Array.from({ length: count }, (_, i) => {
    const name = personName(rng);
    const badgeNumber = `62042${department.slice(0, 2)}${String(1000 + i * 7 + Math.floor(rng() * 7))}`;
    const kind: 'INSPECTOR' | 'EXPERT' = i === count - 1 ? 'EXPERT' : 'INSPECTOR';
    // One certificate expired at the end of 2025; one inspector qualified for the first item only.
    const certificateValidUntil = kind === 'EXPERT' ? null : i === 3 ? '2025-12-31' : `${2028 + (i % 3)}-12-31`;
    const qualifications = items.length === 0 ? [`${field}执法`] : i === 5 ? items.slice(0, 1) : items;
    return { name, badgeNumber, kind, certificateValidUntil, qualifications };
  });
}
