import { useMutation, useQueryClient } from '@tanstack/react-query';
import { moveConflictBodySchema, ticketSchema, type MoveConflictBody, type MoveToPrivateInput } from '@parley/common';
import { ApiError, apiFetch } from './client';
import { applyTicket, ticketKeys } from './tickets.queries';

/** POST /api/tickets/:id/move-to-private: the ticket, with its move, goes into every cached view; both messages are fetched. */
export function useMoveToPrivate(ticketId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: MoveToPrivateInput) => apiFetch(`/api/tickets/${ticketId}/move-to-private`, ticketSchema, { method: 'POST', body }),
    onSuccess: async (ticket) => {
      applyTicket(queryClient, ticket);
      await queryClient.invalidateQueries({ queryKey: ticketKeys.messages(ticketId) });
    },
  });
}

/** What a refused move says beyond its message: the reason, the invitation that could go instead, the customer's open private ticket. */
export function moveRefusalOf(error: unknown): MoveConflictBody['error'] | undefined {
  if (!(error instanceof ApiError) || error.status !== 409) return undefined;
  const parsed = moveConflictBodySchema.safeParse(error.body);
  return parsed.success ? parsed.data.error : undefined;
}
