import { useMemo } from 'react';
import { useParams } from 'react-router';
import { groupFromUrl, namespacesFromUrl, type Gvr } from '../../app/routes';
import { usePreferences } from '../preferences/usePreferences';

/** Where the user is: cluster, kind, namespaces (from a list URL, else the remembered ones), object. */
export function useLocationContext() {
  const params = useParams();
  const prefs = usePreferences().data;
  const cluster = params.cluster ?? '';
  const { group, version, resource } = params;
  const gvr = useMemo<Gvr | undefined>(
    () => (group && version && resource ? { group: groupFromUrl(group), version, resource } : undefined),
    [group, version, resource],
  );
  const isList = !params.name;
  const namespaces = isList && params.ns !== undefined ? namespacesFromUrl(params.ns) : (prefs?.namespaces ?? []);
  return { cluster, gvr, namespaces, name: params.name, objectNamespace: isList ? undefined : namespacesFromUrl(params.ns)[0] };
}
