import { describe, expect, it } from 'vitest';
import { hunks, lineDiff } from './lineDiff';

describe('lineDiff', () => {
  it('changedLine_IsRemovedThenAdded', () => {
    expect(lineDiff('a\nb\nc', 'a\nB\nc')).toEqual([
      { op: ' ', text: 'a' },
      { op: '-', text: 'b' },
      { op: '+', text: 'B' },
      { op: ' ', text: 'c' },
    ]);
  });

  it('identicalTexts_HaveNoChanges', () => {
    expect(lineDiff('x\ny', 'x\ny').every((d) => d.op === ' ')).toBe(true);
  });

  it('hunks_KeepContextAroundChangesOnly', () => {
    const before = Array.from({ length: 20 }, (_, i) => `l${i}`).join('\n');
    const after = before.replace('l10', 'L10');
    const h = hunks(lineDiff(before, after), 1);
    expect(h).toEqual(['…', { op: ' ', text: 'l9' }, { op: '-', text: 'l10' }, { op: '+', text: 'L10' }, { op: ' ', text: 'l11' }, '…']);
    expect(hunks(lineDiff('a\nb', 'a\nb'))).toEqual([]);
  });
});
