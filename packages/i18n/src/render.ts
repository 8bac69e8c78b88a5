import { catalogue, type MessageKey } from './catalogue';
import type { Locale } from './locale';

export type MessageParams = Record<string, string | number | boolean | readonly (string | number)[] | null | undefined>;

const entries: Record<string, { 'zh-CN': string; en: string }> = catalogue;
const PLACEHOLDER = /\{(\w+)(?::(\w+))?\}/g;

export function isMessageKey(key: unknown): key is MessageKey {
  return typeof key === 'string' && Object.hasOwn(entries, key);
}

/** Names that live outside the catalogue, by namespace (departments are configuration: kit registers them). */
const nameSources = new Map<string, (value: string, locale: Locale) => string | undefined>();

/**
 * `{param:namespace}` renders a value through `name` when the catalogue has no `namespace.<value>`
 * entry (a department's code as its name, in the reader's language). An unknown value shows as itself.
 */
export function registerNames(namespace: string, name: (value: string, locale: Locale) => string | undefined): void {
  nameSources.set(namespace, name);
}

function show(locale: Locale, value: MessageParams[string], namespace: string | undefined): string {
  if (value == null) return '';
  if (Array.isArray(value)) return value.map((v) => show(locale, v, namespace)).join(locale === 'en' ? ', ' : '、');
  const text = String(value);
  if (!namespace) return text;
  const named = entries[`${namespace}.${text}`];
  return named ? named[locale] : (nameSources.get(namespace)?.(text, locale) ?? text);
}

/** The words for a fact, in the reader's language; an unknown key shows as itself, never throws. */
export function render(locale: Locale, key: string, params: MessageParams = {}): string {
  const entry = entries[key];
  if (!entry) return key;
  return entry[locale].replace(PLACEHOLDER, (_, name: string, namespace?: string) =>
    show(locale, params[name], namespace),
  );
}
