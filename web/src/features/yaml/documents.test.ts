import { describe, expect, it } from 'vitest';
import type { ApiResource } from '../../api/clusters';
import { planDocuments } from './documents';

const r = (group: string, version: string, kind: string, name: string, namespaced: boolean): ApiResource => ({
  group, version, kind, name, namespaced, verbs: ['get', 'patch'], shortNames: [], subresources: [], preferred: true, crd: false,
});
const resources = [r('', 'v1', 'ConfigMap', 'configmaps', true), r('', 'v1', 'Namespace', 'namespaces', false), r('apps', 'v1', 'Deployment', 'deployments', true)];

describe('planDocuments', () => {
  it('multiDocument_ResolvesKindsAndNamespaces', () => {
    const text = [
      'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a }\ndata: { k: v }',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web, namespace: team-b }',
      '',
      'apiVersion: v1\nkind: Namespace\nmetadata: { name: ns1 }',
    ].join('\n---\n');
    const docs = planDocuments(text, resources, 'default');
    expect(docs.map((d) => d.label)).toEqual(['ConfigMap default/a', 'Deployment team-b/web', 'Namespace ns1']);
    const first = docs[0];
    expect(first.ok && first.gvr).toEqual({ group: '', version: 'v1', resource: 'configmaps' });
    expect(first.ok && first.object.metadata.namespace).toBe('default');
  });

  it('badDocuments_SayWhy', () => {
    const text = [
      'apiVersion: v1\nkind: Widget\nmetadata: { name: w }',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: { generateName: x- }',
      'kind: ConfigMap',
      'apiVersion: v1\nkind: Namespace\nmetadata: { name: n, namespace: default }',
      '- a list',
      'a: [',
    ].join('\n---\n');
    const errors = planDocuments(text, resources, 'default').map((d) => (d.ok ? 'ok' : d.error));
    expect(errors[0]).toBe('The cluster serves no kind Widget in v1.');
    expect(errors[1]).toMatch(/metadata.name is required/);
    expect(errors[2]).toBe('apiVersion and kind are required.');
    expect(errors[3]).toMatch(/cluster-scoped/);
    expect(errors[4]).toBe('The document is not an object.');
    expect(errors[5]).toMatch(/^YAML error/);
  });
});
