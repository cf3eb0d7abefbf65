import { describe, expect, it } from 'vitest';
import { selectorString } from './selector';

describe('selectorString', () => {
  it('joins matchLabels', () => {
    expect(selectorString({ matchLabels: { app: 'web', tier: 'front' } })).toBe('app=web,tier=front');
  });

  it('writes every matchExpressions operator in label-selector syntax', () => {
    expect(
      selectorString({
        matchLabels: { app: 'db' },
        matchExpressions: [
          { key: 'zone', operator: 'In', values: ['a', 'b'] },
          { key: 'env', operator: 'NotIn', values: ['dev'] },
          { key: 'canary', operator: 'Exists' },
          { key: 'legacy', operator: 'DoesNotExist' },
        ],
      }),
    ).toBe('app=db,zone in (a,b),env notin (dev),canary,!legacy');
  });

  it('is null for a missing or empty selector (never every pod of the namespace)', () => {
    expect(selectorString(undefined)).toBeNull();
    expect(selectorString({})).toBeNull();
    expect(selectorString({ matchLabels: {} })).toBeNull();
  });
});
