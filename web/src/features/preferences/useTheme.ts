import { useEffect, useState } from 'react';
import { usePreferences, useUpdatePreferences } from './usePreferences';

const dark = () => window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;

/** Applies the theme preference (system follows the OS) as `data-theme` on <html>. */
export function useTheme() {
  const theme = usePreferences().data?.theme ?? 'system';
  const update = useUpdatePreferences();
  const [systemDark, setSystemDark] = useState(dark);
  useEffect(() => {
    const query = window.matchMedia?.('(prefers-color-scheme: dark)');
    const listener = () => setSystemDark(query.matches);
    query?.addEventListener('change', listener);
    return () => query?.removeEventListener('change', listener);
  }, []);
  const effective = theme === 'system' ? (systemDark ? 'dark' : 'light') : theme;
  useEffect(() => {
    document.documentElement.dataset.theme = effective;
  }, [effective]);
  return { effective, toggle: () => update({ theme: effective === 'dark' ? 'light' : 'dark' }) };
}
