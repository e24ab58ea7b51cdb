import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { messageSchema, pendingApprovalsResponseSchema, type Message, type PendingApprovalsResponse } from '@parley/common';
import { apiFetch } from './client';
import { applyMessage } from './tickets.queries';

export const approvalKeys = { pending: ['approvals', 'pending'] as const };

/** The public replies waiting for a supervisor (supervisors and admins only), longest waiting first. */
export function usePendingApprovals(enabled: boolean) {
  return useQuery({
    queryKey: approvalKeys.pending,
    queryFn: ({ signal }) => apiFetch('/api/approvals', pendingApprovalsResponseSchema, { signal }),
    enabled,
    staleTime: 30_000,
  });
}

/**
 * A reply entered or left the approval queue (a live event, or this supervisor's decision):
 * the cached queue follows without a refetch, except for a new entry, whose ticket it needs.
 */
export function applyApproval(queryClient: QueryClient, message: Message, pendingCount: number): void {
  const cached = queryClient.getQueryData<PendingApprovalsResponse>(approvalKeys.pending);
  if (!cached) return;
  const waiting = message.deliveryState === 'pending_approval';
  const listed = cached.items.some((item) => item.message.id === message.id);
  if (waiting && !listed) {
    void queryClient.invalidateQueries({ queryKey: approvalKeys.pending });
    return;
  }
  queryClient.setQueryData<PendingApprovalsResponse>(approvalKeys.pending, {
    items: waiting ? cached.items : cached.items.filter((item) => item.message.id !== message.id),
    count: pendingCount,
  });
}

export type ApprovalDecision = { messageId: string; decision: 'approve' } | { messageId: string; decision: 'reject'; comment: string };

/** A supervisor approves or rejects a waiting reply; the thread and the queue show it at once. */
export function useDecideApproval(ticketId: string, onError: (error: unknown) => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (decision: ApprovalDecision) =>
      apiFetch(`/api/tickets/${ticketId}/messages/${decision.messageId}/${decision.decision}`, messageSchema, {
        method: 'POST',
        body: decision.decision === 'reject' ? { comment: decision.comment } : {},
      }),
    onSuccess: (message) => {
      applyMessage(queryClient, ticketId, message);
      const cached = queryClient.getQueryData<PendingApprovalsResponse>(approvalKeys.pending);
      if (cached) applyApproval(queryClient, message, Math.max(0, cached.count - (cached.items.some((item) => item.message.id === message.id) ? 1 : 0)));
    },
    onError: (error) => {
      // Someone else decided first (409): the queue and thread are out of date.
      void queryClient.invalidateQueries({ queryKey: approvalKeys.pending });
      onError(error);
    },
  });
}
