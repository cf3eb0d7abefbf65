import { describe, expect, it } from 'vitest';
import type { ApiResource } from '../../api/clusters';
import { paletteItems, searchItems } from './paletteItems';

const deployments: ApiResource = {
  group: 'apps', version: 'v1', kind: 'Deployment', name: 'deployments', namespaced: true, verbs: ['list', 'watch'], shortNames: ['deploy'], subresources: [], preferred: true, crd: false,
};

const items = paletteItems({
  cluster: 'c',
  resources: [deployments],
  namespaces: ['team-a'],
  current: undefined,
  objects: [{ gvr: { group: 'apps', version: 'v1', resource: 'deployments' }, kind: 'Deployment', object: { metadata: { name: 'web', namespace: 'team-a' } } }],
});

describe('palette', () => {
  it('items_LinkKindsNamespacesAndObjects', () => {
    expect(items.map((i) => i.to)).toEqual(['/c/c/apps/v1/deployments/-', '/c/c/core/v1/pods/team-a', '/c/c/apps/v1/deployments/team-a/web']);
  });

  it('search_ByShortNameAndByWordsOfLabelAndHint', () => {
    expect(searchItems(items, 'deploy').map((i) => i.label)).toEqual(['Deployment', 'web']);
    expect(searchItems(items, 'web team').map((i) => i.id)).toEqual(['obj:apps/deployments/team-a/web']);
    expect(searchItems(items, 'nothing-like-this')).toEqual([]);
  });
});
