import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { fetchPreferences, updatePreferences, type Preferences } from '../../api/preferences';

const key = ['preferences'] as const;

export function usePreferences() {
  return useQuery({ queryKey: key, queryFn: fetchPreferences, staleTime: Infinity });
}

/** Changes some preference fields: shown at once, then saved (the server's answer wins). */
export function useUpdatePreferences() {
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: updatePreferences,
    onMutate: (changes) => queryClient.setQueryData<Preferences>(key, (p) => (p ? { ...p, ...changes } : p)),
    onSuccess: (saved) => queryClient.setQueryData(key, saved),
  });
  return mutation.mutate;
}
