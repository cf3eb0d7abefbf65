import { useRef } from 'react';

/** Like useMemo for a dependency list whose length may change: recomputes when any element is a different object. */
export function useListMemo<T>(deps: readonly unknown[], compute: () => T): T {
  const memo = useRef<{ deps: readonly unknown[]; value: T } | null>(null);
  const previous = memo.current;
  if (!previous || previous.deps.length !== deps.length || previous.deps.some((d, i) => !Object.is(d, deps[i]))) {
    memo.current = { deps, value: compute() };
  }
  return memo.current!.value;
}
