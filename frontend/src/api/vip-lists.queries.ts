import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  vipEntryListSchema,
  vipEntrySchema,
  vipImportReportSchema,
  vipListListSchema,
  vipListSchema,
  type VipEntryInput,
  type VipList,
  type VipListInput,
  type VipListUpdate,
} from '@parley/common';
import { apiFetch } from './client';

export const vipListKeys = {
  all: ['vip-lists'] as const,
  entries: (listId: string) => ['vip-lists', listId, 'entries'] as const,
  entrySearch: (listId: string, q: string) => ['vip-lists', listId, 'entries', q] as const,
};

const ENTRY_PAGE = 50;

const byName = (a: VipList, b: VipList) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' });

/** The brand's VIP and press lists with their entry counts (supervisors and admins). */
export function useVipLists() {
  return useQuery({
    queryKey: vipListKeys.all,
    queryFn: async ({ signal }): Promise<VipList[]> => (await apiFetch('/api/vip-lists', vipListListSchema, { signal })).items,
    staleTime: 0,
  });
}

export function useCreateVipList() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: VipListInput) => apiFetch('/api/vip-lists', vipListSchema, { method: 'POST', body: input }),
    onSuccess: (created) => queryClient.setQueryData<VipList[]>(vipListKeys.all, (old) => [...(old ?? []).filter((list) => list.id !== created.id), created].sort(byName)),
  });
}

export function useUpdateVipList() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: VipListUpdate }) => apiFetch(`/api/vip-lists/${id}`, vipListSchema, { method: 'PATCH', body: patch }),
    onSuccess: (updated) => queryClient.setQueryData<VipList[]>(vipListKeys.all, (old) => old?.map((list) => (list.id === updated.id ? updated : list)).sort(byName)),
  });
}

export function useDeleteVipList() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiFetch(`/api/vip-lists/${id}`, null, { method: 'DELETE' }),
    onSuccess: (_nothing, id) => {
      queryClient.setQueryData<VipList[]>(vipListKeys.all, (old) => old?.filter((list) => list.id !== id));
      queryClient.removeQueries({ queryKey: vipListKeys.entries(id) });
    },
  });
}

/** A list's entries, newest first, a page at a time; q finds a handle, id or name containing it. */
export function useVipEntries(listId: string, q: string) {
  return useInfiniteQuery({
    queryKey: vipListKeys.entrySearch(listId, q),
    queryFn: ({ pageParam, signal }) => {
      const search = new URLSearchParams({ limit: String(ENTRY_PAGE) });
      if (q) search.set('q', q);
      if (pageParam) search.set('cursor', pageParam);
      return apiFetch(`/api/vip-lists/${listId}/entries?${search.toString()}`, vipEntryListSchema, { signal });
    },
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** After entries change: the list's pages and its count are read again. */
function entriesChanged(queryClient: ReturnType<typeof useQueryClient>, listId: string) {
  void queryClient.invalidateQueries({ queryKey: vipListKeys.entries(listId) });
  void queryClient.invalidateQueries({ queryKey: vipListKeys.all, exact: true });
}

export function useAddVipEntry(listId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: VipEntryInput) => apiFetch(`/api/vip-lists/${listId}/entries`, vipEntrySchema, { method: 'POST', body: input }),
    onSuccess: () => entriesChanged(queryClient, listId),
  });
}

export function useRemoveVipEntry(listId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (entryId: string) => apiFetch(`/api/vip-lists/${listId}/entries/${entryId}`, null, { method: 'DELETE' }),
    onSuccess: () => entriesChanged(queryClient, listId),
  });
}

/** A CSV file sent as it is: the report says what was imported, what was there already, and which lines were bad. */
export function useImportVipCsv(listId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (file: Blob) => apiFetch(`/api/vip-lists/${listId}/import`, vipImportReportSchema, { method: 'POST', upload: { contentType: 'text/csv', data: file } }),
    onSuccess: () => entriesChanged(queryClient, listId),
  });
}
