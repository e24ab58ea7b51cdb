import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  botStatsSchema,
  botTryResponseSchema,
  channelSchema,
  ticketDetailSchema,
  type BotChannelSettings,
  type BotTryInput,
  type Channel,
  type TicketBotAction,
  type TicketDetail,
} from '@parley/common';
import { apiFetch } from './client';
import { applyTicket, ticketKeys } from './tickets.queries';

export const botKeys = {
  stats: (from: string, to: string) => ['bot', 'stats', from, to] as const,
};

/** Take a conversation from the bot now, or hand it back: the answer is the ticket, written into its detail and every list. */
export function useBotAction(ticketId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (action: TicketBotAction['action']) => apiFetch(`/api/tickets/${ticketId}/bot`, ticketDetailSchema, { method: 'POST', body: { action } }),
    onSuccess: (ticket) => {
      // The server's answer wins over the cache, as after a PATCH.
      queryClient.setQueryData<TicketDetail>(ticketKeys.detail(ticket.id), ticket);
      applyTicket(queryClient, ticket);
    },
  });
}

/** How the bot did between two instants (supervisors and admins). */
export function useBotStats(from: string, to: string) {
  return useQuery({
    queryKey: botKeys.stats(from, to),
    queryFn: ({ signal }) => apiFetch(`/api/bot/stats?${new URLSearchParams({ from, to }).toString()}`, botStatsSchema, { signal }),
    staleTime: 60_000,
  });
}

/** One turn with the bot, without any platform. */
export function useTryBot() {
  return useMutation({ mutationFn: (input: BotTryInput) => apiFetch('/api/bot/try', botTryResponseSchema, { method: 'POST', body: input }) });
}

/** A channel's bot setting is part of its settings: the other settings are sent back as they are (the server checks the whole). */
export function useSaveChannelBot() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ channel, bot }: { channel: Channel; bot: BotChannelSettings }) =>
      apiFetch(`/api/channels/${channel.id}`, channelSchema, { method: 'PATCH', body: { settings: { ...channel.settings, bot } } }),
    onSuccess: (saved) => queryClient.setQueryData<Channel[] | null>(ticketKeys.channels, (old) => old?.map((channel) => (channel.id === saved.id ? saved : channel)) ?? old),
  });
}
