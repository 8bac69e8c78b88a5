export { catalogue, type MessageKey } from './catalogue';
export { isMessageKey, registerNames, render, type MessageParams } from './render';
export { DEFAULT_LOCALE, LOCALE_HEADER, LOCALES, localeOf, negotiateLocale, type Locale } from './locale';
