import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { savedViewListSchema, savedViewSchema, type SavedView, type SavedViewInput, type SavedViewUpdate } from '@parley/common';
import { apiFetch } from './client';

export const savedViewKeys = { all: ['saved-views'] as const };

/** The user's saved filters and the team's shared ones, by name. */
export function useSavedViews() {
  return useQuery({
    queryKey: savedViewKeys.all,
    queryFn: async ({ signal }): Promise<SavedView[]> => (await apiFetch('/api/saved-views', savedViewListSchema, { signal })).items,
    staleTime: 60_000,
  });
}

const byName = (a: SavedView, b: SavedView) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }) || a.id.localeCompare(b.id);

export function useCreateSavedView() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: SavedViewInput) => apiFetch('/api/saved-views', savedViewSchema, { method: 'POST', body: input }),
    onSuccess: (created) => {
      // In the cache at once, so the view resolves when the inbox navigates to it.
      queryClient.setQueryData<SavedView[]>(savedViewKeys.all, (old) => [...(old ?? []).filter((view) => view.id !== created.id), created].sort(byName));
      void queryClient.invalidateQueries({ queryKey: savedViewKeys.all });
    },
  });
}

export function useUpdateSavedView() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: SavedViewUpdate }) => apiFetch(`/api/saved-views/${id}`, savedViewSchema, { method: 'PATCH', body: patch }),
    onSuccess: (updated) => {
      queryClient.setQueryData<SavedView[]>(savedViewKeys.all, (old) => old?.map((view) => (view.id === updated.id ? updated : view)).sort(byName));
    },
  });
}

export function useDeleteSavedView() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiFetch(`/api/saved-views/${id}`, null, { method: 'DELETE' }),
    onSuccess: (_nothing, id) => {
      queryClient.setQueryData<SavedView[]>(savedViewKeys.all, (old) => old?.filter((view) => view.id !== id));
    },
  });
}
