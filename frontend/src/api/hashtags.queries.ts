import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { hashtagKnowledgeResponseSchema, type HashtagKnowledge } from '@parley/common';
import { apiFetch } from './client';

export const hashtagKeys = { of: (channelId: string, tags: readonly string[]) => ['hashtags', channelId, [...tags].sort().join(',')] as const };

/**
 * What the channel knows of the hashtags in a draft (used by the brand? trending?), asked
 * as the agent types; the server checks the same again when the reply is sent.
 */
export function useHashtagKnowledge(channelId: string, tags: readonly string[]) {
  return useQuery({
    queryKey: hashtagKeys.of(channelId, tags),
    queryFn: async ({ signal }): Promise<Map<string, HashtagKnowledge>> => {
      const search = new URLSearchParams({ tags: tags.join(',') });
      const { items } = await apiFetch(`/api/channels/${channelId}/hashtags?${search.toString()}`, hashtagKnowledgeResponseSchema, { signal });
      return new Map(items.map((item) => [item.tag, item]));
    },
    enabled: tags.length > 0,
    staleTime: 30_000,
    // While the next answer loads, the last one stays: the warning does not flicker as the agent types.
    placeholderData: keepPreviousData,
  });
}
