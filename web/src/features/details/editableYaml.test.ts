import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { editableYaml } from './editableYaml';

describe('editableYaml', () => {
  it('dropsStatusManagedFieldsVersionAndLastApplied_KeepsTheRest', () => {
    const object = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'a',
        namespace: 'x',
        resourceVersion: '7',
        managedFields: [{ manager: 'kubectl' }],
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
        labels: { app: 'web' },
      },
      data: { k: 'v' },
      status: { phase: 'x' },
    };
    expect(parse(editableYaml(object))).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'a', namespace: 'x', labels: { app: 'web' } },
      data: { k: 'v' },
    });
    expect(object.metadata.resourceVersion).toBe('7');
  });
});
