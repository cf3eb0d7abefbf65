import { useMemo, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { listPath, podsGvr, type Gvr } from '../../app/routes';
import { useUpdatePreferences } from '../preferences/usePreferences';
import { useResourceWatch } from '../resources/useResourceWatch';
import { useClickOutside } from '../../components/useClickOutside';
import './NamespaceSelect.css';

const namespacesGvr = { group: '', version: 'v1', resource: 'namespaces' };

/** Multi-select of namespaces (live list; a name can be typed when listing is forbidden), remembered in preferences. */
export function NamespaceSelect({ cluster, gvr, selected, pathFor }: {
  cluster: string;
  gvr: Gvr | undefined;
  selected: string[];
  /** Where a new selection goes (a view that is not a kind's list, such as Events); else the kind's list. */
  pathFor?: (namespaces: string[]) => string;
}) {
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const ref = useRef<HTMLDivElement>(null);
  useClickOutside(ref, () => setOpen(false));
  const navigate = useNavigate();
  const savePreferences = useUpdatePreferences();
  const [watch] = useResourceWatch([{ cluster, ...namespacesGvr }]);
  const names = useMemo(() => [...watch.objects.values()].map((o) => o.metadata.name).sort(), [watch.objects]);
  const shown = names.filter((n) => n.includes(typed.trim()));

  const choose = (next: string[]) => {
    savePreferences({ namespaces: next });
    navigate(pathFor ? pathFor(next) : listPath(cluster, gvr ?? podsGvr, next));
  };
  const toggle = (ns: string) => choose(selected.includes(ns) ? selected.filter((n) => n !== ns) : [...selected, ns].sort());

  return (
    <div className="ns-select" ref={ref}>
      <button type="button" data-testid="namespace-select" aria-haspopup="listbox" aria-expanded={open} onClick={() => setOpen(!open)}>
        {selected.length === 0 ? 'All namespaces' : selected.join(', ')} ▾
      </button>
      {open && (
        <div className="ns-popover" role="listbox" aria-multiselectable>
          <input
            placeholder="Filter or type a namespace"
            aria-label="Filter namespaces"
            data-testid="namespace-filter"
            value={typed}
            autoFocus
            onChange={(e) => setTyped(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && typed.trim()) {
                toggle(typed.trim());
                setTyped('');
              }
              if (e.key === 'Escape') setOpen(false);
            }}
          />
          <label className="ns-option">
            <input type="checkbox" data-testid="namespace-all" checked={selected.length === 0} onChange={() => choose([])} /> All namespaces
          </label>
          {watch.error && <div className="ns-hint">Cannot list namespaces ({watch.error.code}); type one and press Enter.</div>}
          {shown.map((ns) => (
            <label key={ns} className="ns-option">
              <input type="checkbox" data-testid={`namespace-option-${ns}`} checked={selected.includes(ns)} onChange={() => toggle(ns)} /> {ns}
            </label>
          ))}
        </div>
      )}
    </div>
  );
}
