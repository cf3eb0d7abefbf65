import { useParams } from 'react-router';
import { groupFromUrl, namespacesFromUrl, type Gvr } from '../../app/routes';
import { usePreferences } from '../preferences/usePreferences';

/** Where the user is: cluster, kind, namespaces (from a list URL, else the remembered ones), object. */
export function useLocationContext() {
  const params = useParams();
  const prefs = usePreferences().data;
  const cluster = params.cluster ?? '';
  const gvr: Gvr | undefined =
    params.group && params.version && params.resource
      ? { group: groupFromUrl(params.group), version: params.version, resource: params.resource }
      : undefined;
  const isList = !params.name;
  const namespaces = isList && params.ns !== undefined ? namespacesFromUrl(params.ns) : (prefs?.namespaces ?? []);
  return { cluster, gvr, namespaces, name: params.name, objectNamespace: isList ? undefined : namespacesFromUrl(params.ns)[0] };
}
