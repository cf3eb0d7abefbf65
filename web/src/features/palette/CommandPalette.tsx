import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { useApiResources } from '../kinds/useApiResources';
import { useResourceWatch } from '../resources/useResourceWatch';
import type { WatchState } from '../resources/watchReducer';
import { useLocationContext } from '../shell/useLocationContext';
import { paletteItems, searchItems, type PaletteSources } from './paletteItems';
import './CommandPalette.css';

/** Ctrl-K (or ⌘K) anywhere opens it; type, ↑/↓ to choose, Enter to go, Escape to close. */
export function CommandPalette() {
  const [open, setOpen] = useState(false);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        setOpen((o) => !o);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return open ? <Palette onClose={() => setOpen(false)} /> : null;
}

function useLoadedObjects(cluster: string, resources: PaletteSources['resources']): PaletteSources['objects'] {
  const cache = useQueryClient().getQueryCache();
  return useMemo(
    () =>
      cache.findAll({ queryKey: ['watch', cluster] }).flatMap((q) => {
        const [, , group, version, resource, , , fieldSelector] = q.queryKey as string[];
        if (fieldSelector) return [];
        const kind = resources.find((r) => r.group === group && r.name === resource)?.kind ?? resource;
        const state = q.state.data as WatchState | undefined;
        return [...(state?.objects.values() ?? [])].map((object) => ({ gvr: { group, version, resource }, kind, object }));
      }),
    [cache, cluster, resources],
  );
}

function Palette({ onClose }: { onClose: () => void }) {
  const { cluster, gvr } = useLocationContext();
  const navigate = useNavigate();
  const resources = useApiResources(cluster).data ?? [];
  const [namespaceWatch] = useResourceWatch([{ cluster, group: '', version: 'v1', resource: 'namespaces' }]);
  const objects = useLoadedObjects(cluster, resources);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const items = useMemo(
    () =>
      paletteItems({
        cluster,
        resources,
        namespaces: [...namespaceWatch.objects.values()].map((n) => n.metadata.name),
        current: gvr,
        objects,
      }),
    [cluster, resources, namespaceWatch.objects, gvr, objects],
  );
  const found = useMemo(() => searchItems(items, query), [items, query]);
  const go = (index: number) => {
    const item = found[index];
    if (!item) return;
    onClose();
    navigate(item.to);
  };
  return (
    <div className="palette-backdrop" onPointerDown={onClose}>
      <div className="palette" role="dialog" aria-label="Command palette" data-testid="command-palette" onPointerDown={(e) => e.stopPropagation()}>
        <input
          autoFocus
          data-testid="palette-input"
          placeholder="Jump to a kind, namespace or object…"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Escape') onClose();
            else if (e.key === 'Enter') go(active);
            else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
              e.preventDefault();
              setActive((a) => Math.max(0, Math.min(found.length - 1, a + (e.key === 'ArrowDown' ? 1 : -1))));
            }
          }}
        />
        <ul role="listbox">
          {found.map((item, index) => (
            <li
              key={item.id}
              role="option"
              aria-selected={index === active}
              data-testid="palette-item"
              onPointerEnter={() => setActive(index)}
              onClick={() => go(index)}
            >
              <span>{item.label}</span>
              <span className="palette-hint">{item.hint}</span>
            </li>
          ))}
          {found.length === 0 && <li className="palette-empty">Nothing matches.</li>}
        </ul>
      </div>
    </div>
  );
}
