import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { botAnswerListSchema, botAnswerMatchResponseSchema, botAnswerSchema, type BotAnswer, type BotAnswerInput, type BotAnswerMatchInput } from '@parley/common';
import { apiFetch } from './client';

export const botAnswerKeys = { all: ['bot-answers'] as const };

const byIntent = (a: BotAnswer, b: BotAnswer) => a.intent.localeCompare(b.intent);

/** The bot's knowledge base (supervisors and admins read it). */
export function useBotAnswers() {
  return useQuery({
    queryKey: botAnswerKeys.all,
    queryFn: async ({ signal }): Promise<BotAnswer[]> => (await apiFetch('/api/bot/answers', botAnswerListSchema, { signal })).items,
    staleTime: 0,
  });
}

/** Saves an entry: a new one (POST), or a whole replacement of one (PUT). Admins only. */
export function useSaveBotAnswer() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, input }: { id?: string; input: BotAnswerInput }) =>
      id ? apiFetch(`/api/bot/answers/${id}`, botAnswerSchema, { method: 'PUT', body: input }) : apiFetch('/api/bot/answers', botAnswerSchema, { method: 'POST', body: input }),
    onSuccess: (saved) => queryClient.setQueryData<BotAnswer[]>(botAnswerKeys.all, (old) => [...(old ?? []).filter((entry) => entry.id !== saved.id), saved].sort(byIntent)),
  });
}

export function useDeleteBotAnswer() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiFetch(`/api/bot/answers/${id}`, null, { method: 'DELETE' }),
    onSuccess: (_nothing, id) => queryClient.setQueryData<BotAnswer[]>(botAnswerKeys.all, (old) => old?.filter((entry) => entry.id !== id)),
  });
}

/** What the bot would answer to a question, with the closest entry and the threshold. */
export function useTryBotAnswer() {
  return useMutation({
    mutationFn: (input: BotAnswerMatchInput) => apiFetch('/api/bot/answers/match', botAnswerMatchResponseSchema, { method: 'POST', body: input }),
  });
}
