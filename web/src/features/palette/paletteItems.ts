import type { ApiResource } from '../../api/clusters';
import type { KubeObject } from '../../api/kube';
import { listPath, objectPath, type Gvr } from '../../app/routes';
import { browsable, gvrOf } from '../kinds/catalog';

export interface PaletteItem {
  id: string;
  label: string;
  hint: string;
  to: string;
}

export interface PaletteSources {
  cluster: string;
  resources: readonly ApiResource[];
  namespaces: readonly string[];
  current: Gvr | undefined;
  /** Objects of the kinds loaded in this tab (every watch in the cache), with their kind. */
  objects: readonly { gvr: Gvr; kind: string; object: KubeObject }[];
}

/** Everything the palette can jump to: kinds (by kind, resource or short name), namespaces, loaded objects. */
export function paletteItems(s: PaletteSources): PaletteItem[] {
  const kinds = browsable(s.resources).map((r) => ({
    id: `kind:${r.group}/${r.name}`,
    label: r.kind,
    hint: [r.group ? `${r.name}.${r.group}` : r.name, ...r.shortNames].join(' · '),
    to: listPath(s.cluster, gvrOf(r), []),
  }));
  const namespaces = s.namespaces.map((ns) => ({
    id: `ns:${ns}`,
    label: ns,
    hint: 'namespace',
    to: listPath(s.cluster, s.current ?? { group: '', version: 'v1', resource: 'pods' }, [ns]),
  }));
  const objects = s.objects.map(({ gvr, kind, object }) => ({
    id: `obj:${gvr.group}/${gvr.resource}/${object.metadata.namespace ?? ''}/${object.metadata.name}`,
    label: object.metadata.name,
    hint: `${kind}${object.metadata.namespace ? ` in ${object.metadata.namespace}` : ''}`,
    to: objectPath(s.cluster, gvr, object.metadata.namespace, object.metadata.name),
  }));
  return [...kinds, ...namespaces, ...objects];
}

/** Items matching every word of `query` (in label or hint), best first: label prefix, then label, then hint; at most `limit`. */
export function searchItems(items: readonly PaletteItem[], query: string, limit = 50): PaletteItem[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return items.slice(0, limit);
  const scored: { item: PaletteItem; score: number }[] = [];
  for (const item of items) {
    const label = item.label.toLowerCase();
    const all = `${label} ${item.hint.toLowerCase()}`;
    if (!words.every((w) => all.includes(w))) continue;
    const score = label.startsWith(words[0]) ? 0 : label.includes(words[0]) ? 1 : 2;
    scored.push({ item, score });
  }
  return scored
    .sort((a, b) => a.score - b.score || a.item.label.length - b.item.label.length)
    .slice(0, limit)
    .map((s) => s.item);
}
