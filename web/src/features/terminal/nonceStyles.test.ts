import { describe, expect, it } from 'vitest';
import { withStyleNonce } from './nonceStyles';

describe('withStyleNonce', () => {
  it('stamps style elements created inside, and only those', () => {
    const [style, div] = withStyleNonce('abc123', () => [document.createElement('style'), document.createElement('div')]);

    expect(style.getAttribute('nonce')).toBe('abc123');
    expect(div.hasAttribute('nonce')).toBe(false);
  });

  it('restores createElement afterwards, also when the body throws', () => {
    const original = document.createElement;
    expect(() =>
      withStyleNonce('n', () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');

    expect(document.createElement).toBe(original);
    expect(document.createElement('style').hasAttribute('nonce')).toBe(false);
  });

  it('does nothing without a nonce (vite dev serving)', () => {
    expect(withStyleNonce('', () => document.createElement('style')).hasAttribute('nonce')).toBe(false);
  });
});
