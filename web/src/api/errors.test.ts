import { describe, expect, it } from 'vitest';
import { errorFrom, statusCauses } from './errors';

describe('errorFrom', () => {
  it('kubernetesStatus_UsesItsMessageAndReason', () => {
    const e = errorFrom(409, 'Conflict', JSON.stringify({ kind: 'Status', message: 'Apply failed with 1 conflict', reason: 'Conflict', code: 409 }));
    expect(e.message).toBe('Apply failed with 1 conflict');
    expect(e.code).toBe('Conflict');
    expect(e.status).toBe(409);
  });

  it('problemJson_UsesDetailCodeAndRequestId', () => {
    const e = errorFrom(503, 'Service Unavailable', JSON.stringify({ title: 'Cluster unavailable', detail: 'Retry after 3 s.', code: 'cluster_unavailable', requestId: 'r1' }));
    expect(e.message).toBe('Retry after 3 s.');
    expect(e.code).toBe('cluster_unavailable');
    expect(e.requestId).toBe('r1');
  });

  it('plainBody_UsesStatusLineWhenEmpty', () => {
    expect(errorFrom(502, 'Bad Gateway', '').message).toBe('502 Bad Gateway');
    expect(errorFrom(400, 'Bad Request', 'nope').message).toBe('nope');
  });

  it('kubernetesStatus_KeepsItsCauses', () => {
    const body = { kind: 'Status', code: 429, reason: 'TooManyRequests', message: 'Cannot evict pod', details: { causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget db needs 2 healthy pods and has 2 currently' }] } };
    expect(statusCauses(errorFrom(429, 'Too Many Requests', JSON.stringify(body)))).toEqual(body.details.causes);
    expect(statusCauses(new Error('x'))).toEqual([]);
  });
});
