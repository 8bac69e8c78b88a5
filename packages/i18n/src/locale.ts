/**
 * People read Chinese (DESIGN.md §4): zh-CN unless the caller asks for English. The gateway
 * decides once per request from Accept-Language and carries the answer to the subgraphs in
 * LOCALE_HEADER, so every service renders the same request in the same language.
 */
export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

/** Header the gateway sets on every subgraph request. */
export const LOCALE_HEADER = 'x-onecheck-locale';

/** The best of our locales for an Accept-Language header (RFC 9110 §12.5.4 quality values). */
export function negotiateLocale(acceptLanguage: string | null | undefined): Locale {
  if (!acceptLanguage) return DEFAULT_LOCALE;
  const ranges = acceptLanguage
    .split(',')
    .map((part, order) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag.trim().toLowerCase(), q: q === undefined ? 1 : Number(q), order };
    })
    .filter((r) => r.tag && r.q > 0 && !Number.isNaN(r.q))
    .sort((a, b) => b.q - a.q || a.order - b.order);
  for (const { tag } of ranges) {
    if (tag === '*' || tag === 'zh' || tag.startsWith('zh-')) return 'zh-CN';
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
  }
  return DEFAULT_LOCALE;
}

/** A locale header from the gateway; anything else (absent, forged junk) means the default. */
export function localeOf(header: string | null | undefined): Locale {
  return (LOCALES as readonly string[]).includes(header ?? '') ? (header as Locale) : DEFAULT_LOCALE;
}
