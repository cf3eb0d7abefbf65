import { describe, expect, it } from 'vitest';
import { compileSearch, highlight, matches } from './search';

describe('compileSearch', () => {
  it('treats plain text as a literal, case-insensitive substring', () => {
    const search = compileSearch('a.b');

    expect(matches('xA.By', search)).toBe(true);
    expect(matches('axb', search)).toBe(false);
  });

  it('treats /pattern/ as a regular expression', () => {
    const search = compileSearch('/err(or)?|warn/');

    expect(matches('WARN disk', search)).toBe(true);
    expect(matches('info', search)).toBe(false);
  });

  it('reports an invalid regular expression instead of throwing', () => {
    const search = compileSearch('/(unclosed/');

    expect(search.regex).toBeNull();
    expect(search.error).toBeTruthy();
  });

  it('matches everything when empty', () => {
    expect(matches('anything', compileSearch(''))).toBe(true);
  });
});

describe('highlight', () => {
  it('splits a line into runs around every match', () => {
    expect(highlight('GET /a 200 GET /b', compileSearch('get'))).toEqual([
      { text: 'GET', match: true },
      { text: ' /a 200 ', match: false },
      { text: 'GET', match: true },
      { text: ' /b', match: false },
    ]);
  });

  it('returns the whole line when nothing matches or there is no search', () => {
    expect(highlight('plain', compileSearch('zzz'))).toEqual([{ text: 'plain', match: false }]);
    expect(highlight('plain', compileSearch(''))).toEqual([{ text: 'plain', match: false }]);
  });

  it('skips empty regex matches without looping', () => {
    expect(highlight('abc', compileSearch('/x*/'))).toEqual([{ text: 'abc', match: false }]);
  });

  it('gives the same answer when called repeatedly with one search (global regex state)', () => {
    const search = compileSearch('/b/');

    expect(highlight('abc', search)).toEqual(highlight('abc', search));
    expect(matches('b', search)).toBe(true);
    expect(matches('b', search)).toBe(true);
  });
});
