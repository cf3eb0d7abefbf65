import { describe, expect, it } from 'vitest';
import { restartedAt } from './RestartAction';

describe('restartedAt', () => {
  it('isRfc3339ToTheSecond_AsKubectlWritesIt', () => {
    expect(restartedAt(new Date(Date.UTC(2026, 0, 31, 12, 34, 56, 789)))).toBe('2026-01-31T12:34:56Z');
  });
});
