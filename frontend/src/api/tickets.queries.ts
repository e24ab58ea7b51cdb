import { useInfiniteQuery, useMutation, useQuery, useQueryClient, type InfiniteData, type QueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import {
  channelSchema,
  contactDetailSchema,
  messageListResponseSchema,
  messageSchema,
  ticketDetailSchema,
  ticketListResponseSchema,
  ticketSchema,
  type Message,
  type PostMessage,
  type Ticket,
  type TicketDetail,
  type TicketListQuery,
  type TicketListResponse,
  type TicketUpdate,
} from '@parley/common';
import { ApiError, apiFetch } from './client';

export const ticketKeys = {
  lists: ['tickets', 'list'] as const,
  list: (query: TicketListQuery) => ['tickets', 'list', query] as const,
  detail: (id: string) => ['tickets', 'detail', id] as const,
  messages: (id: string) => ['tickets', 'messages', id] as const,
  contact: (id: string) => ['contacts', id] as const,
  channels: ['channels'] as const,
};

export type TicketListItem = TicketListResponse['items'][number];
export type TicketListPages = InfiniteData<TicketListResponse, string | undefined>;

const PAGE_SIZE = 50;

function toSearch(query: TicketListQuery, cursor: string | undefined): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...query, limit: PAGE_SIZE, cursor })) {
    if (value !== undefined && value !== null) params.set(key, String(value));
  }
  return params.toString();
}

export function useTicketList(query: TicketListQuery, options: { enabled?: boolean } = {}) {
  return useInfiniteQuery({
    ...options,
    queryKey: ticketKeys.list(query),
    queryFn: ({ pageParam, signal }) => apiFetch(`/api/tickets?${toSearch(query, pageParam)}`, ticketListResponseSchema, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useTicket(id: string | undefined) {
  return useQuery({
    queryKey: ticketKeys.detail(id ?? ''),
    queryFn: ({ signal }) => apiFetch(`/api/tickets/${id ?? ''}`, ticketDetailSchema, { signal }),
    enabled: id !== undefined,
  });
}

/** The whole thread, oldest first: follows the API's cursor to the end. */
export function useMessages(ticketId: string | undefined) {
  return useQuery({
    queryKey: ticketKeys.messages(ticketId ?? ''),
    queryFn: async ({ signal }) => {
      const all: Message[] = [];
      let cursor: string | null = null;
      do {
        const search: string = cursor ? `?limit=200&cursor=${cursor}` : '?limit=200';
        const page = await apiFetch(`/api/tickets/${ticketId ?? ''}/messages${search}`, messageListResponseSchema, { signal });
        all.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      return all;
    },
    enabled: ticketId !== undefined,
  });
}

export function useContact(id: string | undefined) {
  return useQuery({
    queryKey: ticketKeys.contact(id ?? ''),
    queryFn: ({ signal }) => apiFetch(`/api/contacts/${id ?? ''}`, contactDetailSchema, { signal }),
    enabled: id !== undefined,
  });
}

const channelListSchema = z.object({ items: z.array(channelSchema) });
export type ChannelSummary = z.infer<typeof channelSchema>;

/** The connected channels; null when this server has no channel list (the views then come from tickets). */
export function useChannels() {
  return useQuery({
    queryKey: ticketKeys.channels,
    queryFn: async ({ signal }) => {
      try {
        return (await apiFetch('/api/channels', channelListSchema, { signal })).items;
      } catch (error) {
        if (error instanceof ApiError && (error.status === 404 || error.status === 403)) return null;
        throw error;
      }
    },
    staleTime: 5 * 60_000,
  });
}

const isNewer = (incoming: { updatedAt: string }, known: { updatedAt: string } | undefined) => !known || incoming.updatedAt >= known.updatedAt;

/** Writes a changed ticket into every cached list and its detail, unless the cache already holds a newer one. */
export function applyTicket(queryClient: QueryClient, ticket: Ticket): void {
  queryClient.setQueryData<TicketDetail>(ticketKeys.detail(ticket.id), (old) => (old && isNewer(ticket, old) ? { ...old, ...ticket } : old));
  queryClient.setQueriesData<TicketListPages>({ queryKey: ticketKeys.lists }, (old) => {
    if (!old) return old;
    let changed = false;
    const pages = old.pages.map((page) => ({
      ...page,
      items: page.items.map((item) => {
        if (item.id !== ticket.id || !isNewer(ticket, item)) return item;
        changed = true;
        return { ...item, ...ticket };
      }),
    }));
    return changed ? { ...old, pages } : old;
  });
}

/** Adds a message to a cached thread (or replaces the same one when it is newer). */
export function applyMessage(queryClient: QueryClient, ticketId: string, message: Message): void {
  queryClient.setQueryData<Message[]>(ticketKeys.messages(ticketId), (old) => {
    if (!old) return old;
    const index = old.findIndex((known) => known.id === message.id);
    if (index === -1) return [...old, message].sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id.localeCompare(b.id)));
    if (!isNewer(message, old[index])) return old;
    const next = old.slice();
    next[index] = message;
    return next;
  });
}

/** Drops a message from a cached thread (a copy merged into the message it duplicated). */
export function removeMessage(queryClient: QueryClient, ticketId: string, messageId: string): void {
  queryClient.setQueryData<Message[]>(ticketKeys.messages(ticketId), (old) => (old?.some((known) => known.id === messageId) ? old.filter((known) => known.id !== messageId) : old));
}

function snapshotTicket(queryClient: QueryClient, id: string) {
  return {
    detail: queryClient.getQueryData<TicketDetail>(ticketKeys.detail(id)),
    lists: queryClient.getQueriesData<TicketListPages>({ queryKey: ticketKeys.lists }),
  };
}

/** PATCH a ticket optimistically: the change shows at once and is rolled back if the server refuses. */
export function useUpdateTicket(onError: (error: unknown) => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: TicketUpdate }) => apiFetch(`/api/tickets/${id}`, ticketSchema, { method: 'PATCH', body: patch }),
    onMutate: async ({ id, patch }) => {
      await queryClient.cancelQueries({ queryKey: ticketKeys.detail(id) });
      const snapshot = snapshotTicket(queryClient, id);
      const base = snapshot.detail ?? snapshot.lists.flatMap(([, data]) => data?.pages.flatMap((page) => page.items) ?? []).find((item) => item.id === id);
      if (base) applyTicket(queryClient, { ...base, ...patch });
      return snapshot;
    },
    onError: (error, { id }, snapshot) => {
      if (snapshot) {
        queryClient.setQueryData(ticketKeys.detail(id), snapshot.detail);
        for (const [key, data] of snapshot.lists) queryClient.setQueryData(key, data);
      }
      onError(error);
    },
    onSuccess: (ticket) => {
      // The server's clock is the one events carry: take its answer even if our optimistic stamp is later.
      queryClient.setQueryData<TicketDetail>(ticketKeys.detail(ticket.id), (old) => (old ? { ...old, ...ticket } : old));
      applyTicket(queryClient, ticket);
    },
  });
}

/** Opening a conversation reads it: its unread dot goes, for every agent's list. */
export function useMarkRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiFetch(`/api/tickets/${id}/read`, ticketSchema, { method: 'POST' }),
    onSuccess: (ticket) => {
      queryClient.setQueryData<TicketDetail>(ticketKeys.detail(ticket.id), (old) => (old ? { ...old, ...ticket } : old));
      applyTicket(queryClient, ticket);
    },
  });
}

export function usePostMessage(ticketId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: PostMessage) => apiFetch(`/api/tickets/${ticketId}/messages`, messageSchema, { method: 'POST', body }),
    onSuccess: (message) => applyMessage(queryClient, ticketId, message),
  });
}

export function useRetryMessage(ticketId: string, onError: (error: unknown) => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (messageId: string) => apiFetch(`/api/tickets/${ticketId}/messages/${messageId}/retry`, messageSchema, { method: 'POST' }),
    onSuccess: (message) => applyMessage(queryClient, ticketId, message),
    onError,
  });
}
