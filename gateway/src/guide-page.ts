/**
 * 一业一册 as a printable page (issue 10 item 2; seed 000 ⑴, 004 (九)): GET /guide?industry=62
 * renders the market service's public `complianceGuide` in Chinese, for anyone, without a token.
 * The page asks the graph as the public does (identity PUBLIC), so it can show nothing a caller
 * without a token could not read; every text is escaped.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import { PUBLIC } from '@onecheck/auth';
import { render } from '@onecheck/i18n';
import type { GatewayContext } from './context';

export const GUIDE_PATH = '/guide';

const QUERY = `query ComplianceGuidePage($industry: String!) { complianceGuide(industry: $industry) {
  industry { code name } listVersion listMadeAt lead { name } cooperating { name }
  departments { department { code name } role
    items { code name content legalBasis emphasis frequencyPerYear checkPoints { point answers } } }
  commonProblems { department { name } itemCode itemName category count checks share } commonProblemsSince } }`;

interface GuideItem {
  code: string;
  name: string;
  content: string;
  legalBasis: string;
  emphasis: 'KEY' | 'GENERAL';
  frequencyPerYear: number | null;
  checkPoints: { point: string; answers: string[] }[];
}
interface Guide {
  industry: { code: string; name: string };
  listVersion: number;
  listMadeAt: string | null;
  lead: { name: string } | null;
  cooperating: { name: string }[];
  departments: {
    department: { code: string; name: string };
    role: 'LEAD' | 'COOPERATING' | 'OTHER';
    items: GuideItem[];
  }[];
  commonProblems: {
    department: { name: string };
    itemCode: string;
    itemName: string | null;
    category: string;
    count: number;
    checks: number;
    share: number;
  }[];
  commonProblemsSince: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Every text that reaches the page passes here: item names and legal bases are the departments' words. */
export const escapeHtml = (text: unknown) => String(text).replace(/[&<>"']/g, (c) => ESCAPES[c]!);

const ROLE = { LEAD: '牵头部门', COOPERATING: '配合部门', OTHER: '其他部门' } as const;
const EMPHASIS = { KEY: '重点', GENERAL: '一般' } as const;

const STYLE = `
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif; margin: 2em auto; max-width: 60em; line-height: 1.6; color: #111; }
h1 { font-size: 1.6em; border-bottom: 2px solid #333; }
h2 { font-size: 1.25em; margin-top: 1.5em; }
table { border-collapse: collapse; width: 100%; margin: 0.5em 0 1em; }
th, td { border: 1px solid #999; padding: 0.3em 0.5em; text-align: left; vertical-align: top; }
th { background: #eee; }
.meta { color: #444; }
@media print {
  body { margin: 0; max-width: none; font-size: 10.5pt; }
  h2 { page-break-after: avoid; }
  tr, .item { page-break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}`;

function itemHtml(item: GuideItem): string {
  const points = item.checkPoints
    .map((p) => `<tr><td>${escapeHtml(p.point)}</td><td>${p.answers.map(escapeHtml).join(' / ')}</td></tr>`)
    .join('');
  return `<div class="item">
<h3>${escapeHtml(item.name)}（${escapeHtml(item.code)}，${EMPHASIS[item.emphasis]}事项${
    item.frequencyPerYear != null ? `，每年 ${escapeHtml(item.frequencyPerYear)} 次` : ''
  }）</h3>
<p><strong>检查内容：</strong>${escapeHtml(item.content)}</p>
<p><strong>法律依据：</strong>${escapeHtml(item.legalBasis)}</p>
${points ? `<table><thead><tr><th>检查要点</th><th>检查结果</th></tr></thead><tbody>${points}</tbody></table>` : ''}
</div>`;
}

/** The guide as a printable page in Chinese. */
export function guideHtml(guide: Guide): string {
  const title = `${guide.industry.name}（${guide.industry.code}）一业一册：合规经营指引`;
  const departments = guide.departments
    .map(
      (d) =>
        `<section><h2>${escapeHtml(d.department.name)}（${ROLE[d.role]}）</h2>${
          d.items.length ? d.items.map(itemHtml).join('\n') : '<p>尚未发布检查事项。</p>'
        }</section>`,
    )
    .join('\n');
  // 常见问题 (the graph's counts, 3 businesses or more each): the section only when there are some.
  const problems = guide.commonProblems
    .map(
      (p) =>
        `<tr><td>${escapeHtml(p.department.name)}</td><td>${escapeHtml(p.itemName ?? p.itemCode)}（${escapeHtml(
          p.itemCode,
        )}）</td><td>${escapeHtml(render('zh-CN', `resultCategory.${p.category}`))}</td><td>${escapeHtml(
          p.count,
        )} / ${escapeHtml(p.checks)}（${escapeHtml(Math.round(p.share * 100))}%）</td></tr>`,
    )
    .join('');
  const problemSection = problems
    ? `<section><h2>常见问题</h2><p>${escapeHtml(guide.commonProblemsSince)} 以来本行业检查中发现较多的问题（发现问题的检查次数 / 该事项的检查次数）。</p>
<table><thead><tr><th>检查部门</th><th>检查事项</th><th>问题类别</th><th>发现次数</th></tr></thead><tbody>${problems}</tbody></table></section>`
    : '';
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p class="meta">依据一业一单第 ${escapeHtml(guide.listVersion)} 版${
    guide.listMadeAt ? `（${escapeHtml(guide.listMadeAt.slice(0, 10))}）` : ''
  }。牵头部门：${guide.lead ? escapeHtml(guide.lead.name) : '未确定'}；配合部门：${
    guide.cooperating.length ? guide.cooperating.map((c) => escapeHtml(c.name)).join('、') : '无'
  }。</p>
<p>本指引告知经营主体在联合检查中将被检查的事项、检查部门、法律依据和检查要点，便于提前自查、合规经营。</p>
${departments || '<p>本行业尚无检查事项。</p>'}
${problemSection}
</body>
</html>
`;
}

/** The route: the industry from the query string; a bad code is a 400 with the graph's error. */
export function guidePage(apollo: ApolloServer<GatewayContext>, credential: () => Promise<string>) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const industry = new URL(req.url ?? '/', 'http://localhost').searchParams.get('industry') ?? '';
    const result = await apollo.executeOperation(
      { query: QUERY, variables: { industry } },
      { contextValue: { identity: PUBLIC, locale: 'zh-CN', credential } },
    );
    const single = result.body.kind === 'single' ? result.body.singleResult : undefined;
    const guide = (single?.data as { complianceGuide?: Guide } | null | undefined)?.complianceGuide;
    if (!guide) {
      const errors = single?.errors ?? [];
      const bad = errors.some((e) => e.extensions?.code === 'BAD_USER_INPUT');
      res.writeHead(bad ? 400 : 503, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>一业一册</title></head><body><p>${
          errors.map((e) => escapeHtml(e.message)).join('<br>') || '暂时无法生成'
        }</p></body></html>`,
      );
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'public, max-age=60' });
    res.end(guideHtml(guide));
  };
}
