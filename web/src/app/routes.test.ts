import { describe, expect, it } from 'vitest';
import { auditPath, createPath, drainPath, eventsPath, groupFromUrl, listPath, namespacesFromUrl, objectPath, recordingPath } from './routes';

describe('routes', () => {
  it('listPath_CoreGroupAndAllNamespaces_UsesTokens', () => {
    expect(listPath('prod', { group: '', version: 'v1', resource: 'pods' }, [])).toBe('/c/prod/core/v1/pods/-');
    expect(listPath('prod', { group: 'apps', version: 'v1', resource: 'deployments' }, ['a', 'b'])).toBe('/c/prod/apps/v1/deployments/a,b');
  });

  it('objectPath_ClusterScoped_UsesDashForNamespace', () => {
    expect(objectPath('prod', { group: '', version: 'v1', resource: 'nodes' }, undefined, 'n1')).toBe('/c/prod/core/v1/nodes/-/n1');
    expect(objectPath('prod', { group: '', version: 'v1', resource: 'pods' }, 'x', 'p', 'yaml')).toBe('/c/prod/core/v1/pods/x/p?tab=yaml');
  });

  it('fromUrl_ParsesTokensBack', () => {
    expect(groupFromUrl('core')).toBe('');
    expect(groupFromUrl('apps')).toBe('apps');
    expect(namespacesFromUrl('-')).toEqual([]);
    expect(namespacesFromUrl('a,b')).toEqual(['a', 'b']);
  });

  it('viewPaths_ClusterRooted', () => {
    expect(eventsPath('prod', [])).toBe('/c/prod/events/-');
    expect(eventsPath('prod', ['a', 'b'])).toBe('/c/prod/events/a,b');
    expect(drainPath('prod', 'node-1')).toBe('/c/prod/drain/node-1');
    expect(auditPath('p r')).toBe('/c/p%20r/audit');
    expect(createPath('prod')).toBe('/c/prod/create');
    expect(recordingPath('prod', '0123abcd')).toBe('/c/prod/recordings/0123abcd');
  });
});
