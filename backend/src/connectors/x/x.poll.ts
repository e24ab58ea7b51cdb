import type { ChannelContext, PollResult } from '../connector';
import { deliveryErrorOf, xApi, type XApi } from './x.client';
import type { PolledPage } from './x.payloads';

/** Pages fetched per timeline per poll; the rest continue from the stored pagination token. */
const MAX_PAGES_PER_POLL = 5;
const PAGE_SIZE = 100;

const TWEET_FIELDS = 'conversation_id,in_reply_to_user_id,referenced_tweets,created_at,lang,note_tweet,attachments,author_id,entities';
const USER_FIELDS = 'public_metrics,verified,profile_image_url,username,name';

interface Page {
  data?: unknown[];
  meta?: { newest_id?: string; next_token?: string; result_count?: number };
}

interface Timeline {
  source: PolledPage['source'];
  /** The cursor keys of this timeline: since_id, a pagination token in progress, and the newest id seen on it. */
  keys: { since: string; next: string; newest: string };
  fetch(api: XApi, sinceId: string | undefined, token: string | undefined): Promise<Page>;
}

const common = { expansions: 'author_id,attachments.media_keys', 'tweet.fields': TWEET_FIELDS, 'user.fields': USER_FIELDS, 'media.fields': 'url,preview_image_url,type,variants' };

function timelines(channel: ChannelContext): Timeline[] {
  const list: Timeline[] = [];
  if (channel.settings.pollMentions === true) {
    list.push({
      source: 'mentions',
      keys: { since: 'mentionsSinceId', next: 'mentionsNextToken', newest: 'mentionsNewestId' },
      fetch: (api, sinceId, token) =>
        api.get<Page>(`users/${channel.externalAccountId}/mentions`, { ...common, max_results: PAGE_SIZE, since_id: sinceId, pagination_token: token }),
    });
  }
  const query = typeof channel.settings.listeningQuery === 'string' ? channel.settings.listeningQuery.trim() : '';
  if (query) {
    list.push({
      source: 'search',
      keys: { since: 'searchSinceId', next: 'searchNextToken', newest: 'searchNewestId' },
      fetch: (api, sinceId, token) => api.get<Page>('tweets/search/recent', { ...common, query, max_results: PAGE_SIZE, since_id: sinceId, next_token: token }),
    });
  }
  return list;
}

/**
 * Mentions (GET /2/users/:id/mentions) and the listening query (GET /2/tweets/search/recent)
 * since the stored cursor. X answers newest first: the newest id of the first page becomes
 * the next since_id once every page up to it has been read; a long backlog continues from
 * its pagination token on the next poll. Pages are answered as received, tagged with their
 * source, to be stored as raw events.
 */
export async function pollX(channel: ChannelContext, cursor: Record<string, string> | undefined): Promise<PollResult> {
  const api = xApi(channel);
  const next: Record<string, string> = { ...cursor };
  const bodies: PolledPage[] = [];
  try {
    for (const timeline of timelines(channel)) {
      const sinceId = next[timeline.keys.since];
      let token = next[timeline.keys.next];
      let newest = next[timeline.keys.newest];
      for (let pages = 0; pages < MAX_PAGES_PER_POLL; pages++) {
        const page = await timeline.fetch(api, sinceId, token);
        if ((page.data?.length ?? 0) > 0) bodies.push({ source: timeline.source, page });
        newest ??= page.meta?.newest_id;
        token = page.meta?.next_token;
        if (!token) break;
      }
      if (token) {
        next[timeline.keys.next] = token;
        if (newest) next[timeline.keys.newest] = newest;
      } else {
        delete next[timeline.keys.next];
        delete next[timeline.keys.newest];
        if (newest) next[timeline.keys.since] = newest;
      }
    }
  } catch (error) {
    throw deliveryErrorOf(error, 'the poll');
  }
  return { bodies, cursor: next };
}
