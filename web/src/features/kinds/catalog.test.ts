import { describe, expect, it } from 'vitest';
import type { ApiResource } from '../../api/clusters';
import { groupByCategory } from './catalog';

const r = (name: string, kind: string, extra: Partial<ApiResource> = {}): ApiResource => ({
  group: '', version: 'v1', kind, name, namespaced: true, verbs: ['list', 'watch', 'get'], shortNames: [], subresources: [], preferred: true, crd: false, ...extra,
});

describe('groupByCategory', () => {
  it('groupsBuiltInsAndCrds_DropsUnlistableSubresourcesAndDuplicateEvents', () => {
    const groups = groupByCategory([
      r('pods', 'Pod'),
      r('pods/log', 'Pod'),
      r('deployments', 'Deployment', { group: 'apps' }),
      r('secrets', 'Secret'),
      r('nodes', 'Node', { namespaced: false }),
      r('events', 'Event'),
      r('events', 'Event', { group: 'events.k8s.io' }),
      r('tokenreviews', 'TokenReview', { verbs: ['create'] }),
      r('widgets', 'Widget', { group: 'example.com', crd: true }),
      r('deployments', 'Deployment', { group: 'apps', version: 'v1beta1', preferred: false }),
    ]);
    expect(groups.map(([c, list]) => [c, list.map((x) => `${x.name}.${x.group}`)])).toEqual([
      ['Workloads', ['deployments.apps', 'pods.']],
      ['Config', ['secrets.']],
      ['Cluster', ['events.', 'nodes.']],
      ['Custom resources', ['widgets.example.com']],
    ]);
  });
});
