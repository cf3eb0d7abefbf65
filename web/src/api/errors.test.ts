import { describe, expect, it } from 'vitest';
import { errorFrom } from './errors';

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
});
