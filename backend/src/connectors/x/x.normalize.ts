import type { Author, Engagement, InboundEvent } from '@parley/common';
import type { z } from 'zod';
import { MalformedPayload, parsePayload, type Normalized } from '../connector';
import {
  dmAppsSchema,
  dmEventSchema,
  dmUsersSchema,
  markReadEventSchema,
  polledPageSchema,
  retweetedTweetSchema,
  tweetDeleteEventSchema,
  v1TweetSchema,
  v2PageSchema,
  type DmApps,
  type DmUsers,
  type V1Media,
  type V1Tweet,
  type V2Page,
  type V2Tweet,
} from './x.payloads';
import { unescapeXText, withoutMediaLink, xMediaAttachment } from './x.text';

/** Keys of an Account Activity payload that describe the delivery rather than carry events. */
const DELIVERY_KEYS = new Set(['for_user_id', 'user_has_blocked', 'users', 'apps', 'source']);
const TWITTER_EPOCH_MS = 1_288_834_974_657n;

/** When an X id (a snowflake) was made: the fallback when a payload carries no time. */
export function snowflakeTime(id: string): string {
  return new Date(Number((BigInt(id) >> 22n) + TWITTER_EPOCH_MS)).toISOString();
}

const isoFromMs = (ms: string) => new Date(Number(ms)).toISOString();


function itemsOf(body: Record<string, unknown>, key: string): unknown[] {
  const value = body[key];
  if (!Array.isArray(value)) throw new MalformedPayload(`${key}: expected an array`);
  return value as unknown[];
}

const language = (lang: string | null | undefined) => (lang && lang !== 'und' && lang !== 'zxx' && !lang.startsWith('q') ? lang : undefined);

const v1Attachment = (media: V1Media) => xMediaAttachment({ type: media.type, imageUrl: media.media_url_https, variants: media.video_info?.variants });

/** The text of a v1.1 tweet (the full text of a long post, never the truncated one) and the media its entities describe. */
function v1TextAndMedia(tweet: V1Tweet): { text: string; media: V1Media[] } {
  const extended = tweet.extended_tweet;
  const media = extended
    ? (extended.extended_entities?.media ?? extended.entities?.media ?? tweet.extended_entities?.media ?? [])
    : (tweet.extended_entities?.media ?? tweet.entities?.media ?? []);
  const text = unescapeXText(extended?.full_text ?? tweet.full_text ?? tweet.text ?? '');
  // Every media item of a post shares the one t.co link X appends.
  return { text: withoutMediaLink(text, media[0]), media };
}

/** The app named by a tweet's source link (`<a href="…">Twitter for iPhone</a>`), if any. */
function sourceApp(source: string | null | undefined): string | undefined {
  const name = source?.replace(/<[^>]*>/g, '').trim();
  return name || undefined;
}

/** A v1.1 tweet (Account Activity). */
function fromV1Tweet(tweet: V1Tweet, brandId: string): InboundEvent {
  const { text, media } = v1TextAndMedia(tweet);
  const sentAt = tweet.timestamp_ms
    ? isoFromMs(tweet.timestamp_ms)
    : tweet.created_at && !Number.isNaN(Date.parse(tweet.created_at))
      ? new Date(tweet.created_at).toISOString()
      : snowflakeTime(tweet.id_str);
  const author: Author = {
    externalId: tweet.user.id_str,
    ...(tweet.user.screen_name ? { handle: tweet.user.screen_name } : {}),
    ...(tweet.user.name ? { displayName: tweet.user.name } : {}),
    ...(typeof tweet.user.followers_count === 'number' ? { followers: tweet.user.followers_count } : {}),
    ...(typeof tweet.user.verified === 'boolean' ? { verified: tweet.user.verified } : {}),
    ...(tweet.user.profile_image_url_https ? { avatarUrl: tweet.user.profile_image_url_https } : {}),
  };
  const parent = tweet.in_reply_to_status_id_str ?? undefined;
  const lang = language(tweet.lang);
  const echo = tweet.user.id_str === brandId;
  const app = echo ? sourceApp(tweet.source) : undefined;
  return {
    action: echo ? 'echo' : 'create',
    channelKind: 'x',
    externalId: tweet.id_str,
    // v1.1 tweets carry no conversation id: a reply joins the tweet it answers (and, through
    // the parent's thread key, that tweet's ticket); a new post is its own conversation.
    externalThreadId: tweet.conversation_id_str ?? parent ?? tweet.id_str,
    ...(parent ? { externalParentId: parent } : {}),
    visibility: 'public',
    author,
    text,
    attachments: media.map(v1Attachment),
    ...(lang ? { language: lang } : {}),
    sentAt,
    tags: [],
    ...engagementOf({ likes: tweet.favorite_count, replies: tweet.reply_count, reposts: tweet.retweet_count, quotes: tweet.quote_count }),
    ...(app ? { sentVia: app } : {}),
  };
}

/** What X counted on a post, when it counted anything (Account Activity tweets carry zeros as they are posted). */
function engagementOf(counts: Record<keyof Engagement, number | null | undefined>): { engagement?: Engagement } {
  if (Object.values(counts).every((count) => !count)) return {};
  return { engagement: { likes: counts.likes ?? 0, replies: counts.replies ?? 0, reposts: counts.reposts ?? 0, quotes: counts.quotes ?? 0 } };
}

/** A retweet of one of the brand's own posts: a share, counted for its author; any other retweet is ignored. */
function shareOf(tweet: V1Tweet, brandId: string): InboundEvent | null {
  const original = retweetedTweetSchema.safeParse(tweet.retweeted_status).data;
  if (!original || original.user.id_str !== brandId || tweet.user.id_str === brandId) return null;
  const event = fromV1Tweet(tweet, brandId);
  return { ...event, action: 'share', externalParentId: original.id_str, text: '' };
}

/** The DM conversation id X gives a one-to-one conversation: both user ids, smaller first. */
export function dmConversationId(a: string, b: string): string {
  return BigInt(a) < BigInt(b) ? `${a}-${b}` : `${b}-${a}`;
}

function fromDmEvent(event: DmEvent, users: DmUsers, apps: DmApps, brandId: string): InboundEvent {
  const create = event.message_create!;
  const sender = users[create.sender_id];
  const echo = create.sender_id === brandId;
  const customerId = echo ? create.target.recipient_id : create.sender_id;
  const media = create.message_data.attachment?.media;
  const recipient = users[customerId];
  const app = echo && create.source_app_id ? apps[create.source_app_id]?.name : undefined;
  return {
    action: echo ? 'echo' : 'create',
    channelKind: 'x',
    externalId: event.id,
    externalThreadId: dmConversationId(brandId, customerId),
    visibility: 'private',
    author: {
      externalId: create.sender_id,
      ...(sender?.screen_name ? { handle: sender.screen_name } : {}),
      ...(sender?.name ? { displayName: sender.name } : {}),
      ...(typeof sender?.followers_count === 'number' ? { followers: sender.followers_count } : {}),
      ...(typeof sender?.verified === 'boolean' ? { verified: sender.verified } : {}),
      ...(sender?.profile_image_url_https ? { avatarUrl: sender.profile_image_url_https } : {}),
    },
    // X appends the media's t.co link to the text; the media itself is the attachment.
    text: withoutMediaLink(unescapeXText(create.message_data.text), media),
    attachments: media ? [v1Attachment(media)] : [],
    sentAt: isoFromMs(event.created_timestamp),
    tags: [],
    // The brand's DM belongs to the conversation with the person it went to.
    ...(echo
      ? {
          recipient: {
            externalId: customerId,
            ...(recipient?.screen_name ? { handle: recipient.screen_name } : {}),
            ...(recipient?.name ? { displayName: recipient.name } : {}),
          },
        }
      : {}),
    ...(app ? { sentVia: app } : {}),
  };
}
type DmEvent = z.infer<typeof dmEventSchema>;

/** An Account Activity API delivery: every event key is read, known or not. */
function normalizeAccountActivity(body: Record<string, unknown>, brandId: string): Normalized {
  const result: Normalized = { events: [], ignored: [] };
  for (const key of Object.keys(body)) {
    if (DELIVERY_KEYS.has(key)) continue;
    switch (key) {
      case 'tweet_create_events':
        itemsOf(body, key).forEach((item, index) => {
          const tweet = parsePayload(v1TweetSchema, item, `${key}.${index}`);
          // A retweet repeats someone's post: nothing new to answer.
          const share = tweet.retweeted_status !== undefined ? shareOf(tweet, brandId) : null;
          if (share) result.events.push(share);
          else if (tweet.retweeted_status !== undefined) result.ignored.push('retweet');
          else result.events.push(fromV1Tweet(tweet, brandId));
        });
        break;
      case 'direct_message_events': {
        const users = parsePayload(dmUsersSchema, body.users ?? {}, 'users');
        // Only names the app a DM was sent with: a shape X changes never costs the messages.
        const apps = dmAppsSchema.safeParse(body.apps ?? {}).data ?? {};
        itemsOf(body, key).forEach((item, index) => {
          const event = parsePayload(dmEventSchema, item, `${key}.${index}`);
          if (event.type !== 'message_create' || !event.message_create) result.ignored.push(`direct_message_events.${event.type}`);
          else result.events.push(fromDmEvent(event, users, apps, brandId));
        });
        break;
      }
      case 'tweet_delete_events':
        itemsOf(body, key).forEach((item, index) => {
          const removal = parsePayload(tweetDeleteEventSchema, item, `${key}.${index}`);
          result.events.push({
            action: 'delete',
            channelKind: 'x',
            externalId: removal.status.id,
            visibility: 'public',
            author: { externalId: removal.status.user_id },
            text: '',
            attachments: [],
            sentAt: removal.timestamp_ms ? isoFromMs(removal.timestamp_ms) : new Date().toISOString(),
            tags: [],
          });
        });
        break;
      case 'direct_message_mark_read_events':
        itemsOf(body, key).forEach((item, index) => {
          const read = parsePayload(markReadEventSchema, item, `${key}.${index}`);
          // The brand reading the customer's messages is nothing to record.
          if (read.sender_id === brandId) {
            result.ignored.push(key);
            return;
          }
          result.events.push({
            action: 'read',
            channelKind: 'x',
            externalId: `read:${read.last_read_event_id}`,
            externalThreadId: dmConversationId(brandId, read.sender_id),
            visibility: 'private',
            author: { externalId: read.sender_id },
            text: '',
            attachments: [],
            sentAt: isoFromMs(read.created_timestamp),
            tags: [],
          });
        });
        break;
      default: {
        // Typing, favorites, follows, blocks, mutes, user events and types X adds later.
        const value = body[key];
        const count = Array.isArray(value) ? Math.max(value.length, 1) : 1;
        for (let i = 0; i < count; i++) result.ignored.push(key);
      }
    }
  }
  return result;
}

function fromV2Tweet(tweet: V2Tweet, page: V2Page, brandId: string, tags: string[]): InboundEvent {
  const user = page.includes?.users.find((candidate) => candidate.id === tweet.author_id);
  const parent = tweet.referenced_tweets?.find((reference) => reference.type === 'replied_to')?.id;
  const mediaKeys = new Set(tweet.attachments?.media_keys ?? []);
  const media = (page.includes?.media ?? []).filter((item) => mediaKeys.has(item.media_key));
  const followers = user?.public_metrics?.followers_count;
  const lang = language(tweet.lang);
  const links = (tweet.note_tweet ? tweet.note_tweet.entities?.urls : tweet.entities?.urls) ?? [];
  const mediaLink = links.find((link) => link.media_key !== undefined);
  const text = withoutMediaLink(unescapeXText(tweet.note_tweet?.text ?? tweet.text), mediaLink && { url: mediaLink.url, indices: [mediaLink.start, mediaLink.end] });
  return {
    action: tweet.author_id === brandId ? 'echo' : 'create',
    channelKind: 'x',
    externalId: tweet.id,
    externalThreadId: tweet.conversation_id ?? parent ?? tweet.id,
    ...(parent ? { externalParentId: parent } : {}),
    visibility: 'public',
    author: {
      externalId: tweet.author_id,
      ...(user?.username ? { handle: user.username } : {}),
      ...(user?.name ? { displayName: user.name } : {}),
      ...(typeof followers === 'number' ? { followers } : {}),
      ...(typeof user?.verified === 'boolean' ? { verified: user.verified } : {}),
      ...(user?.profile_image_url ? { avatarUrl: user.profile_image_url } : {}),
    },
    text,
    attachments: media.map((item) => xMediaAttachment({ type: item.type, imageUrl: item.url ?? item.preview_image_url, variants: item.variants })),
    ...(lang ? { language: lang } : {}),
    sentAt: tweet.created_at ? new Date(tweet.created_at).toISOString() : snowflakeTime(tweet.id),
    tags,
    ...engagementOf({ likes: tweet.public_metrics?.like_count, replies: tweet.public_metrics?.reply_count, reposts: tweet.public_metrics?.retweet_count, quotes: tweet.public_metrics?.quote_count }),
  };
}

/** A page of GET /2/users/:id/mentions or /2/tweets/search/recent (search results are "listening"). */
function normalizeV2Page(value: unknown, source: 'mentions' | 'search', brandId: string, path: string): Normalized {
  const page = parsePayload(v2PageSchema, value, path);
  const result: Normalized = { events: [], ignored: [] };
  for (const tweet of page.data) {
    // Search finds retweets too; a retweet is someone else's words repeated.
    if (tweet.referenced_tweets?.some((reference) => reference.type === 'retweeted')) result.ignored.push('retweet');
    else result.events.push(fromV2Tweet(tweet, page, brandId, source === 'search' ? ['listening'] : []));
  }
  return result;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Turns an X body into events: an Account Activity API delivery (webhook), a stored poll
 * page ({source, page}), or a bare v2 mentions page. The brand's own posts and messages
 * are echoes, never customer messages.
 */
export function normalizeX(body: unknown, brandId: string): Normalized {
  if (!isObject(body)) throw new MalformedPayload('body: expected a JSON object (an Account Activity payload or a v2 page)');
  if ('source' in body && 'page' in body) {
    const polled = parsePayload(polledPageSchema, body, '');
    return normalizeV2Page(polled.page, polled.source, brandId, 'page');
  }
  if ('data' in body || ('meta' in body && 'result_count' in (isObject(body.meta) ? body.meta : {}))) return normalizeV2Page(body, 'mentions', brandId, '');
  const eventKeys = Object.keys(body).filter((key) => !DELIVERY_KEYS.has(key));
  if (typeof body.for_user_id !== 'string' && !eventKeys.some((key) => key.endsWith('_events') || key.endsWith('_event'))) {
    throw new MalformedPayload('body: neither an Account Activity payload (for_user_id and *_events) nor a v2 page (data, includes, meta)');
  }
  return normalizeAccountActivity(body, brandId);
}
