import { catalogue, type MessageKey } from './catalogue';
import type { Locale } from './locale';

export type MessageParams = Record<string, string | number | boolean | readonly (string | number)[] | null | undefined>;

const entries: Record<string, { 'zh-CN': string; en: string }> = catalogue;
const PLACEHOLDER = /\{(\w+)(?::(\w+))?\}/g;

export function isMessageKey(key: unknown): key is MessageKey {
  return typeof key === 'string' && Object.hasOwn(entries, key);
}

function show(locale: Locale, value: MessageParams[string], namespace: string | undefined): string {
  if (value == null) return '';
  if (Array.isArray(value)) return value.map((v) => show(locale, v, namespace)).join(locale === 'en' ? ', ' : '、');
  const text = String(value);
  const named = namespace ? entries[`${namespace}.${text}`] : undefined;
  return named ? named[locale] : text;
}

/** The words for a fact, in the reader's language; an unknown key shows as itself, never throws. */
export function render(locale: Locale, key: string, params: MessageParams = {}): string {
  const entry = entries[key];
  if (!entry) return key;
  return entry[locale].replace(PLACEHOLDER, (_, name: string, namespace?: string) =>
    show(locale, params[name], namespace),
  );
}
