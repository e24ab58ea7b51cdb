import { useQuery } from '@tanstack/react-query';
import { cannedResponseListSchema, type CannedResponse } from '@parley/common';
import { ApiError, apiFetch } from './client';

/** The team's canned responses; none when the server has no such list. */
export function useCannedResponses() {
  return useQuery({
    queryKey: ['canned-responses'],
    queryFn: async ({ signal }): Promise<CannedResponse[]> => {
      try {
        return (await apiFetch('/api/canned-responses', cannedResponseListSchema, { signal })).items;
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return [];
        throw error;
      }
    },
    staleTime: 5 * 60_000,
  });
}

/** Fills {{first_name}} and {{agent_name}}; unknown placeholders stay as written. */
export function fillPlaceholders(text: string, values: { firstName: string; agentName: string }): string {
  return text.replace(/\{\{\s*(first_name|agent_name)\s*\}\}/g, (_match, name: string) => (name === 'first_name' ? values.firstName : values.agentName));
}
