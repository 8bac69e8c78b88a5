import { describe, expect, it } from 'vitest';
import { catalogue, localeOf, negotiateLocale, render } from '../src/index';

describe('negotiateLocale', () => {
  it.each([
    [undefined, 'zh-CN'],
    ['', 'zh-CN'],
    ['en', 'en'],
    ['en-GB,en;q=0.9', 'en'],
    ['zh-CN,zh;q=0.9,en;q=0.8', 'zh-CN'],
    ['fr-FR, en;q=0.5', 'en'],
    ['en;q=0.2, zh-TW;q=0.8', 'zh-CN'],
    ['en;q=0', 'zh-CN'],
    ['de', 'zh-CN'],
    ['*', 'zh-CN'],
  ] as const)('%s → %s', (header, locale) => {
    expect(negotiateLocale(header)).toBe(locale);
  });

  it('trusts only a locale it knows from the gateway header', () => {
    expect(localeOf('en')).toBe('en');
    expect(localeOf('xx')).toBe('zh-CN');
    expect(localeOf(undefined)).toBe('zh-CN');
  });
});

describe('render', () => {
  it('renders a fact in Chinese by default and in English on request', () => {
    const params = { id: 't1', status: 'CLAIMED' };
    expect(render('zh-CN', 'task.notPendingClaim', params)).toBe('任务 t1 状态为已认领，不在待认领状态');
    expect(render('en', 'task.notPendingClaim', params)).toBe('task t1 is claimed, not waiting to be claimed');
  });

  it('shows an unnamed value as it is and lists arrays in the reader’s style', () => {
    expect(render('zh-CN', 'input.notOneOf', { values: ['A', 'B'] })).toBe('应为以下之一：A、B');
    expect(render('en', 'input.notOneOf', { values: ['A', 'B'] })).toBe('must be one of: A, B');
    expect(render('en', 'notFound.entity', { kind: 'gadget', id: 'x' })).toBe('gadget x not found');
    expect(render('en', 'no.such.key')).toBe('no.such.key');
  });

  it('every entry has both languages with the same placeholders', () => {
    const names = (text: string) => [...text.matchAll(/\{(\w+)(?::\w+)?\}/g)].map((m) => m[1]).sort();
    for (const [key, entry] of Object.entries(catalogue)) {
      expect(entry['zh-CN'].length, key).toBeGreaterThan(0);
      expect(entry.en.length, key).toBeGreaterThan(0);
      expect(names(entry['zh-CN']), key).toEqual(names(entry.en));
    }
  });
});
