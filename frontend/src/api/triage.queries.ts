import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { alertListResponseSchema, ambassadorListResponseSchema, triageSettingsResponseSchema, type TriageSettings } from '@parley/common';
import { apiFetch } from './client';

export const triageKeys = {
  alerts: (state: 'active' | 'all') => ['alerts', state] as const,
  allAlerts: ['alerts'] as const,
  ambassadors: ['ambassadors'] as const,
  settings: ['triage-settings'] as const,
};

/** Storm alerts (supervisors and admins): live through alert.storm and alert.storm_over, which refetch them. */
export function useAlerts(state: 'active' | 'all', enabled = true) {
  return useQuery({
    queryKey: triageKeys.alerts(state),
    queryFn: ({ signal }) => apiFetch(`/api/alerts?state=${state}&limit=50`, alertListResponseSchema, { signal }),
    enabled,
    staleTime: 30_000,
  });
}

export function useAmbassadors(enabled = true) {
  return useQuery({
    queryKey: triageKeys.ambassadors,
    queryFn: ({ signal }) => apiFetch('/api/ambassadors?days=30&limit=25', ambassadorListResponseSchema, { signal }),
    enabled,
    staleTime: 60_000,
  });
}

/** A supervisor tags (or untags) a contact as an ambassador. */
export function useTagAmbassador() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ contactId, tagged }: { contactId: string; tagged: boolean }) =>
      apiFetch(`/api/ambassadors/${contactId}`, null, { method: tagged ? 'PUT' : 'DELETE' }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: triageKeys.ambassadors }),
  });
}

export function useTriageSettings() {
  return useQuery({ queryKey: triageKeys.settings, queryFn: ({ signal }) => apiFetch('/api/triage-settings', triageSettingsResponseSchema, { signal }) });
}

export function useSaveTriageSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (settings: TriageSettings) => apiFetch('/api/triage-settings', triageSettingsResponseSchema, { method: 'PUT', body: { settings } }),
    onSuccess: (saved) => queryClient.setQueryData(triageKeys.settings, saved),
  });
}
