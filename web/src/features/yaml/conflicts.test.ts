import { describe, expect, it } from 'vitest';
import { errorFrom } from '../../api/errors';
import { applyConflicts } from './conflicts';

describe('applyConflicts', () => {
  it('fieldManagerConflicts_NameFieldAndManager', () => {
    const status = {
      kind: 'Status',
      code: 409,
      reason: 'Conflict',
      message: 'Apply failed with 2 conflicts: conflict with "e2e-other" using v1: .data.greeting',
      details: {
        causes: [
          { reason: 'FieldManagerConflict', message: 'conflict with "e2e-other" using v1', field: '.data.greeting' },
          { reason: 'FieldManagerConflict', message: 'conflict with "kube-controller-manager" with subresource "status"', field: '.status.x' },
        ],
      },
    };
    expect(applyConflicts(errorFrom(409, 'Conflict', JSON.stringify(status)))).toEqual([
      { field: '.data.greeting', manager: 'e2e-other', detail: 'using v1' },
      { field: '.status.x', manager: 'kube-controller-manager', detail: 'with subresource "status"' },
    ]);
  });

  it('otherErrors_HaveNone', () => {
    expect(applyConflicts(errorFrom(422, 'Invalid', JSON.stringify({ kind: 'Status', message: 'bad', details: { causes: [{ reason: 'FieldValueInvalid' }] } })))).toEqual([]);
    expect(applyConflicts(new Error('x'))).toEqual([]);
  });
});
