import { measureReply, replyPlatformOf, type PostMessage } from '@parley/common';
import { parseTweet } from 'twitter-text';
import { cachedChannel } from '../channels/channels.service';
import { Invalid } from '../http/errors';
import type { TicketDoc } from '../tickets/ticket.model';

const platformNames = { x: 'X', facebook: 'Facebook', instagram: 'Instagram', other: 'this channel' } as const;

/**
 * Refuses, before anything is stored, a reply the channel's platform would refuse for its
 * length, counted as the platform counts it, so the agent sees why next to the text. The
 * connector checks again at send time: the platform's word is the last.
 */
export async function checkReplyLength(ticket: Pick<TicketDoc, 'channelId' | 'channelKind'>, body: PostMessage): Promise<void> {
  const channel = body.visibility === 'note' ? null : await cachedChannel(ticket.channelId);
  const platform = replyPlatformOf(ticket.channelKind, channel?.settings.imitates);
  const { used, limit } = measureReply(body.text, platform, body.visibility, (text) => parseTweet(text).weightedLength);
  if (used <= limit) return;
  const weighted = platform === 'x' && body.visibility === 'public' ? ' (links count as 23, most emoji and CJK characters as 2)' : '';
  const what = body.visibility === 'note' ? 'A note' : body.visibility === 'public' ? `A public reply on ${platformNames[platform]}` : `A private message on ${platformNames[platform]}`;
  throw new Invalid(`${what} takes at most ${limit.toLocaleString('en')} characters; this one has ${used.toLocaleString('en')}${weighted}`, 'text');
}
