import { ApiResponseError } from 'twitter-api-v2';
import { replyLimits } from '@parley/common';
import { parseTweet } from 'twitter-text';
import { MediaUnavailable, PermanentFailure, type ChannelContext, type Connector, type OutboundMessage, type PrivatePath, type SendResult } from '../connector';
import { fetchMediaOver } from '../media.fetch';
import { hmacSha256, signaturesMatch } from '../signature';
import { apiBaseOf, deliveryErrorOf, dmsClosedOf, xApi, xAuthorization, xReason } from './x.client';
import { normalizeX } from './x.normalize';
import { pollX } from './x.poll';
import { unescapeXText } from './x.text';

export const X_SIGNATURE_HEADER = 'x-twitter-webhooks-signature';
/** Where X serves the media of tweets and DMs (DM media on ton.twitter.com needs the user context). */
const X_MEDIA_HOSTS = new Set(['ton.twitter.com', 'pbs.twimg.com', 'video.twimg.com']);
/** X's limit for one direct message, in characters. */
const DM_MAX_LENGTH = replyLimits.x.private;

/** X answers a CRC check and signs deliveries with the consumer (API) secret. */
function consumerSecretOf(channel: ChannelContext): string | undefined {
  return channel.credentials.consumerSecret || undefined;
}

interface CreatedTweet {
  data: { id: string; text: string };
}
interface CreatedDm {
  data: { dm_conversation_id: string; dm_event_id: string };
}
interface TimelinePage {
  data?: Array<{ id: string; text: string; referenced_tweets?: Array<{ type: string; id: string }> }>;
}
interface DmEventsPage {
  data?: Array<{ id: string; event_type?: string; text?: string; sender_id?: string }>;
}
interface Me {
  data: { id: string; name?: string; username?: string };
}


function checkLength(message: OutboundMessage): void {
  if (message.text.trim() === '') throw new PermanentFailure('X does not accept an empty message');
  if (message.visibility === 'public') {
    const parsed = parseTweet(message.text);
    if (parsed.weightedLength > replyLimits.x.public) {
      throw new PermanentFailure(`The reply is too long for X: ${parsed.weightedLength} of ${replyLimits.x.public} characters (links count as 23, most emoji and CJK characters as 2)`);
    }
  } else if ([...message.text].length > DM_MAX_LENGTH) {
    throw new PermanentFailure(`The direct message is too long for X: ${[...message.text].length} of ${DM_MAX_LENGTH} characters`);
  }
}

function recipientOf(message: OutboundMessage): string {
  if (!message.recipientExternalId) throw new PermanentFailure('There is no X user to send this direct message to');
  return message.recipientExternalId;
}

/**
 * On X the conversation moves to a direct message to the author, whatever their post: X
 * alone knows whether they accept messages from the brand (send() tells, with X's 403).
 */
const xPrivatePath: PrivatePath = {
  opens: () => ({ via: 'direct_message' }),
  messageLink: (channel) => `https://x.com/messages/compose?recipient_id=${encodeURIComponent(channel.externalAccountId)}`,
};

export const xConnector: Connector = {
  kind: 'x',

  verify(channel, delivery) {
    const secret = consumerSecretOf(channel);
    if (!secret) return false;
    return signaturesMatch(delivery.headers[X_SIGNATURE_HEADER], `sha256=${hmacSha256(secret, delivery.rawBody, 'base64')}`);
  },

  handshake(channel, query) {
    const secret = consumerSecretOf(channel);
    const token = query.crc_token;
    if (!token) return { status: 400, contentType: 'application/json', body: JSON.stringify({ error: { code: 'invalid', message: 'crc_token is required', field: 'crc_token' } }) };
    if (!secret) return { status: 409, contentType: 'application/json', body: JSON.stringify({ error: { code: 'conflict', message: 'The channel has no consumer secret' } }) };
    return { status: 200, contentType: 'application/json', body: JSON.stringify({ response_token: `sha256=${hmacSha256(secret, token, 'base64')}` }) };
  },

  // One webhook URL of an X app receives every subscribed account's activity: route by for_user_id.
  split(_channel, body) {
    const forUser = typeof body === 'object' && body !== null && 'for_user_id' in body ? body.for_user_id : undefined;
    return typeof forUser === 'string' ? [{ externalAccountId: forUser, body }] : [];
  },

  normalize(channel, body) {
    return normalizeX(body, channel.externalAccountId);
  },

  async send(channel, message): Promise<SendResult> {
    checkLength(message);
    try {
      const api = xApi(channel);
      if (message.visibility === 'public') {
        const created = await api.post<CreatedTweet>('tweets', {
          text: message.text,
          ...(message.inReplyToExternalId ? { reply: { in_reply_to_tweet_id: message.inReplyToExternalId } } : {}),
        });
        return { externalId: created.data.id };
      }
      const sent = await api.post<CreatedDm>(`dm_conversations/with/${recipientOf(message)}/messages`, { text: message.text });
      return { externalId: sent.data.dm_event_id };
    } catch (error) {
      if (message.visibility === 'private') {
        const closed = dmsClosedOf(error);
        if (closed) throw closed;
      }
      throw deliveryErrorOf(error, message.visibility === 'public' ? 'the reply' : 'the direct message');
    }
  },

  async findSent(channel, message) {
    const text = message.text;
    try {
      const api = xApi(channel);
      if (message.visibility === 'public') {
        const timeline = await api.get<TimelinePage>(`users/${channel.externalAccountId}/tweets`, { max_results: 100, 'tweet.fields': 'referenced_tweets,created_at' });
        const found = (timeline.data ?? []).find(
          (tweet) =>
            unescapeXText(tweet.text) === text &&
            (!message.inReplyToExternalId || tweet.referenced_tweets?.some((reference) => reference.type === 'replied_to' && reference.id === message.inReplyToExternalId)),
        );
        return found ? { externalId: found.id } : null;
      }
      const events = await api.get<DmEventsPage>(`dm_conversations/with/${recipientOf(message)}/dm_events`, {
        max_results: 100,
        event_types: 'MessageCreate',
        'dm_event.fields': 'id,event_type,text,sender_id,created_at',
      });
      // Newest first: only the brand's messages since the customer last wrote can be this one.
      for (const event of events.data ?? []) {
        if (event.sender_id !== channel.externalAccountId) break;
        if (event.text !== undefined && unescapeXText(event.text) === text) return { externalId: event.id };
      }
      return null;
    } catch (error) {
      throw deliveryErrorOf(error, 'the look-up of a sent message');
    }
  },

  async testConnection(channel) {
    try {
      const me = await xApi(channel).get<Me>('users/me', { 'user.fields': 'username,name' });
      const account = { id: me.data.id, ...(me.data.name ? { name: me.data.name } : {}), ...(me.data.username ? { handle: me.data.username } : {}) };
      if (account.id !== channel.externalAccountId) {
        return { ok: false, account, error: `These credentials belong to @${account.handle ?? account.id} (user id ${account.id}), not to the channel's account ${channel.externalAccountId}` };
      }
      return { ok: true, account };
    } catch (error) {
      if (error instanceof ApiResponseError && error.code === 401) {
        return { ok: false, error: `X refused the credentials (401 ${xReason(error)}): the access token was revoked or expired, or the keys are wrong` };
      }
      return { ok: false, error: deliveryErrorOf(error, 'the connection test').message };
    }
  },

  // Only X's media hosts (and the channel's own configured API origin, e.g. a test server)
  // ever see a request signed with the channel's credentials.
  async fetchMedia(channel, url) {
    const apiOrigin = new URL(apiBaseOf(channel)).origin;
    return fetchMediaOver(url, {
      policy: (target) => (target.origin === apiOrigin ? 'trusted' : target.protocol === 'https:' && X_MEDIA_HOSTS.has(target.hostname) ? 'public' : 'refused'),
      headersFor: (target) => {
        try {
          return { authorization: xAuthorization(channel, 'GET', target.href) };
        } catch (error) {
          throw new MediaUnavailable(error instanceof Error ? error.message : String(error), 'refused');
        }
      },
    });
  },

  poll: pollX,

  privatePath: xPrivatePath,
};
