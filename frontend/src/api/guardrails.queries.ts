import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { channelSchema, globalGuardrailsSchema, guardrailContextSchema, type Channel, type GlobalGuardrailsInput, type GuardrailSettingsInput } from '@parley/common';
import { apiFetch } from './client';
import { ticketKeys } from './tickets.queries';

export const guardrailKeys = {
  brand: ['guardrails', 'brand'] as const,
  context: (ticketId: string) => ['guardrails', 'context', ticketId] as const,
};

/** What the composer checks a public reply in this ticket with (the server checks with the same). */
export function useGuardrailContext(ticketId: string) {
  return useQuery({
    queryKey: guardrailKeys.context(ticketId),
    queryFn: ({ signal }) => apiFetch(`/api/tickets/${ticketId}/guardrails`, guardrailContextSchema, { signal }),
    staleTime: 60_000,
  });
}

export function useBrandGuardrails() {
  return useQuery({ queryKey: guardrailKeys.brand, queryFn: ({ signal }) => apiFetch('/api/guardrails', globalGuardrailsSchema, { signal }) });
}

export function useSaveBrandGuardrails() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: GlobalGuardrailsInput) => apiFetch('/api/guardrails', globalGuardrailsSchema, { method: 'PUT', body }),
    onSuccess: (saved) => {
      queryClient.setQueryData(guardrailKeys.brand, saved);
      void queryClient.invalidateQueries({ queryKey: ['guardrails', 'context'] });
    },
  });
}

/** A channel's guardrails are part of its settings: the other settings are sent back as they are. */
export function useSaveChannelGuardrails() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ channel, guardrails }: { channel: Channel; guardrails: GuardrailSettingsInput }) =>
      apiFetch(`/api/channels/${channel.id}`, channelSchema, { method: 'PATCH', body: { settings: { ...channel.settings, guardrails } } }),
    onSuccess: (saved) => {
      queryClient.setQueryData<Channel[] | null>(ticketKeys.channels, (old) => old?.map((channel) => (channel.id === saved.id ? saved : channel)) ?? old);
      void queryClient.invalidateQueries({ queryKey: ['guardrails', 'context'] });
    },
  });
}
