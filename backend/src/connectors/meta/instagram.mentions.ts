import { z } from 'zod';
import type { Attachment, Author, InboundEvent } from '@parley/common';
import { PermanentFailure, RateLimited, ReauthRequired, TransientFailure, parsePayload, type OutboundMessage, type PendingLookup, type SendResult } from '../connector';
import { classifyGraphError, type GraphClient, type GraphErrorMapper } from './graph.client';
import { createdNotBefore, notBeforeOf } from './meta.send';
import { isoTime } from './meta.webhook';

/**
 * Instagram @mentions of the account in comments and captions on other people's media. The
 * mentions webhook names only the comment (comment_id and media_id) or the media (media_id), so
 * normalize turns it into a lookup, which the worker completes with the Graph API fields Meta
 * documents on the account's IG User (mentioned_comment, mentioned_media). Answering one goes
 * through POST /{ig-user-id}/mentions: the account cannot comment on someone else's media or
 * reply to a comment there with /{comment-id}/replies.
 */

export const MENTION_TAG = 'mention';
const COMMENT_LOOKUP = 'instagram.mentioned_comment';
const MEDIA_LOOKUP = 'instagram.mentioned_media';

// Graph ids are digits; anything else would change the field expansion the id is written into.
const graphId = z
  .union([z.string(), z.number()])
  .transform(String)
  .pipe(z.string().regex(/^\w+$/, 'expected a Graph id'));
const mentionValueSchema = z.looseObject({ media_id: graphId, comment_id: graphId.optional() });

/** What a mentions webhook change names, as a lookup for complete(). */
export function mentionLookup(rawValue: unknown, entryTime: number | undefined, path: string): PendingLookup {
  const value = parsePayload(mentionValueSchema, rawValue, path);
  const notifiedAt = isoTime(undefined, entryTime);
  return value.comment_id
    ? { type: COMMENT_LOOKUP, ids: { comment_id: value.comment_id, media_id: value.media_id }, notifiedAt }
    : { type: MEDIA_LOOKUP, ids: { media_id: value.media_id }, notifiedAt };
}

/**
 * from{id,username} gives the commenter's Instagram-scoped id, the same identity their comments on
 * the brand's own media carry. The mentioned_comment reference lists only id, like_count, media,
 * text and timestamp, so Graph may leave `from` out (then the username is the identity) or refuse
 * it (then it is asked again without).
 */
const COMMENT_FIELDS = 'id,text,timestamp,username,from{id,username},media{id,permalink}';
const COMMENT_FIELDS_WITHOUT_FROM = 'id,text,timestamp,username,media{id,permalink}';
// IG Media's `owner` is only returned to the media's own account: a caption's author is known by username.
const MEDIA_FIELDS = 'id,caption,username,timestamp,permalink,media_type,media_url';

const mentionedCommentSchema = z.looseObject({
  mentioned_comment: z.looseObject({
    id: z.string().optional(),
    text: z.string().optional(),
    timestamp: z.string().optional(),
    username: z.string().optional(),
    from: z.looseObject({ id: z.string().min(1), username: z.string().optional() }).optional(),
    media: z.looseObject({ id: z.string().optional(), permalink: z.string().optional() }).optional(),
  }),
});

const mentionedMediaSchema = z.looseObject({
  mentioned_media: z.looseObject({
    id: z.string().optional(),
    caption: z.string().optional(),
    username: z.string().optional(),
    timestamp: z.string().optional(),
    permalink: z.string().optional(),
    media_type: z.string().optional(),
    media_url: z.string().optional(),
  }),
});

/** Graph refused a field we asked for: asked again with fewer fields. */
class FieldRefused extends PermanentFailure {}

/** A lookup's errors, in words a supervisor reads on the failed delivery. */
function lookupErrors(what: string, options: { fieldMayBeRefused?: boolean } = {}): GraphErrorMapper {
  return (status, headers, body) => {
    const failure = classifyGraphError(status, headers, body);
    const said = failure.metaMessage ? `; Meta said: ${failure.metaMessage}` : '';
    switch (failure.kind) {
      case 'reauth':
        return new ReauthRequired(`The access token expired or was revoked: reconnect the channel with a new token (HTTP ${status}${said})`);
      case 'rate_limited':
        return new RateLimited(failure.retryAt ?? new Date(), `Meta asked us to slow down while looking up ${what} (HTTP ${status}${said})`);
      case 'gone':
        return new PermanentFailure(`${capitalized(what)} no longer exists or is not visible to the account: deleted, hidden, or comments turned off (HTTP ${status}${said})`);
      case 'permission':
        return new PermanentFailure(`The channel's token may not read ${what}: an admin must grant instagram_manage_comments (HTTP ${status}${said})`);
      case 'transient':
      case 'unexpected':
        return new TransientFailure(`Instagram did not answer the lookup of ${what} (HTTP ${status}${said})`);
      default:
        if (options.fieldMayBeRefused && /nonexisting field/i.test(failure.metaMessage ?? '')) return new FieldRefused(failure.metaMessage ?? 'field refused');
        return new PermanentFailure(`Instagram refused the lookup of ${what} (HTTP ${status}${said})`);
    }
  };
}

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * The person behind a mention: their Instagram-scoped id when Graph gives it; else their username,
 * the only identity Graph gives for other people's media (a contact known so splits if they rename).
 */
function authorOf(from: { id: string; username?: string | undefined } | undefined, username: string | undefined, what: string): Author {
  const handle = from?.username ?? username;
  if (from) return { externalId: from.id, ...(handle ? { handle } : {}) };
  if (username) return { externalId: `username:${username}`, handle: username };
  throw new PermanentFailure(`Instagram's answer about ${what} names no author`);
}

const postLink = (permalink: string | undefined): Attachment[] => (permalink ? [{ type: 'link', url: permalink, name: 'The post on Instagram' }] : []);

const MEDIA_TYPES: Partial<Record<string, Attachment['type']>> = { IMAGE: 'image', CAROUSEL_ALBUM: 'image', VIDEO: 'video', REELS: 'video' };

async function lookUpComment(client: GraphClient, accountId: string, lookup: PendingLookup, commentId: string, mediaId: string): Promise<InboundEvent> {
  const what = `the mentioned comment ${commentId}`;
  const ask = (fields: string, fieldMayBeRefused: boolean) =>
    client.get(accountId, { fields: `mentioned_comment.comment_id(${commentId}){${fields}}` }, { errorOf: lookupErrors(what, { fieldMayBeRefused }) });
  let answer: unknown;
  try {
    answer = await ask(COMMENT_FIELDS, true);
  } catch (error) {
    if (!(error instanceof FieldRefused)) throw error;
    answer = await ask(COMMENT_FIELDS_WITHOUT_FROM, false);
  }
  const parsed = mentionedCommentSchema.safeParse(answer);
  if (!parsed.success) throw new PermanentFailure(`Instagram answered the lookup of ${what} without the comment`);
  const comment = parsed.data.mentioned_comment;
  if (!comment.text) throw new PermanentFailure(`Instagram answered the lookup of ${what} without its text`);
  return {
    action: 'create',
    channelKind: 'instagram',
    externalId: commentId,
    externalThreadId: comment.media?.id ?? mediaId,
    visibility: 'public',
    author: authorOf(comment.from, comment.username, what),
    text: comment.text,
    attachments: postLink(comment.media?.permalink),
    sentAt: isoTime(comment.timestamp ?? lookup.notifiedAt),
    tags: [MENTION_TAG],
  };
}

async function lookUpMedia(client: GraphClient, accountId: string, lookup: PendingLookup, mediaId: string): Promise<InboundEvent> {
  const what = `the media ${mediaId} whose caption mentions the account`;
  const answer = await client.get(accountId, { fields: `mentioned_media.media_id(${mediaId}){${MEDIA_FIELDS}}` }, { errorOf: lookupErrors(what) });
  const parsed = mentionedMediaSchema.safeParse(answer);
  if (!parsed.success) throw new PermanentFailure(`Instagram answered the lookup of ${what} without the media`);
  const media = parsed.data.mentioned_media;
  const type = media.media_type ? MEDIA_TYPES[media.media_type] : undefined;
  const picture: Attachment[] = media.media_url ? [{ type: type ?? 'other', url: media.media_url }] : [];
  if (!media.caption && picture.length === 0) throw new PermanentFailure(`Instagram answered the lookup of ${what} with neither a caption nor the media`);
  return {
    action: 'create',
    channelKind: 'instagram',
    // A caption mention is the media itself: its id names the message and the conversation.
    externalId: mediaId,
    externalThreadId: mediaId,
    visibility: 'public',
    author: authorOf(undefined, media.username, what),
    text: media.caption ?? '',
    attachments: [...picture, ...postLink(media.permalink)],
    sentAt: isoTime(media.timestamp ?? lookup.notifiedAt),
    tags: [MENTION_TAG],
  };
}

/** The comment or caption a mentions webhook named, as Instagram has it now. */
export function completeMention(client: GraphClient, accountId: string, lookup: PendingLookup): Promise<InboundEvent> {
  const { comment_id: commentId, media_id: mediaId } = lookup.ids;
  if (lookup.type === COMMENT_LOOKUP && commentId && mediaId) return lookUpComment(client, accountId, lookup, commentId, mediaId);
  if (lookup.type === MEDIA_LOOKUP && mediaId) return lookUpMedia(client, accountId, lookup, mediaId);
  return Promise.reject(new PermanentFailure(`Instagram has no lookup "${lookup.type}" with ids ${Object.keys(lookup.ids).join(', ') || 'none'}`));
}

/** A public answer to a mention: the tag its message carries says so. */
export const answersMention = (message: OutboundMessage): boolean => message.visibility === 'public' && (message.inReplyToTags?.includes(MENTION_TAG) ?? false);

/** The media and, for a comment mention, the comment a reply to a mention names. */
function mentionTarget(message: OutboundMessage): { media_id: string; comment_id?: string } {
  const mediaId = message.threadExternalId;
  if (!mediaId) throw new PermanentFailure('A reply to an Instagram mention names the post it was made on, and this one names none');
  // A caption mention's message is the media itself (its id is the media id): no comment to name.
  const commentId = message.inReplyToExternalId && message.inReplyToExternalId !== mediaId ? message.inReplyToExternalId : undefined;
  return { media_id: mediaId, ...(commentId ? { comment_id: commentId } : {}) };
}

const createdSchema = z.looseObject({ id: z.string().min(1) });

/** POST /{ig-user-id}/mentions with media_id, comment_id (not for a caption) and the message. */
export async function sendMentionReply(client: GraphClient, accountId: string, message: OutboundMessage): Promise<SendResult> {
  const created = createdSchema.safeParse(await client.post(`${accountId}/mentions`, { ...mentionTarget(message), message: message.text }));
  if (!created.success) throw new PermanentFailure('Instagram accepted the reply but named no id');
  return { externalId: created.data.id };
}

const answeredSchema = z.looseObject({
  username: z.string().optional(),
  mentioned_comment: z.looseObject({ replies: z.looseObject({ data: z.array(z.unknown()) }).optional() }).optional(),
  mentioned_media: z.looseObject({ comments: z.looseObject({ data: z.array(z.unknown()) }).optional() }).optional(),
});
const commentSchema = z.looseObject({ id: z.string(), text: z.string().optional(), username: z.string().optional(), timestamp: z.string().optional() });

/**
 * After a reply whose answer was lost: the replies to the mentioned comment (or the comments on
 * the mentioned media), read with the account's own username in the same call, are searched for
 * ours — by the account, the same text, not older than our message.
 */
export async function findSentMentionReply(client: GraphClient, accountId: string, message: OutboundMessage): Promise<SendResult | null> {
  const target = mentionTarget(message);
  const listed = target.comment_id
    ? `mentioned_comment.comment_id(${target.comment_id}){replies.limit(50){id,text,username,timestamp}}`
    : `mentioned_media.media_id(${target.media_id}){comments.limit(50){id,text,username,timestamp}}`;
  let answer: unknown;
  try {
    answer = await client.get(accountId, { fields: `username,${listed}` }, { errorOf: lookupErrors('the replies to the mention') });
  } catch (error) {
    // Graph will not list them (the comment is gone, or the edge is refused): nothing to find, which
    // lets the reply be sent; a failure that may pass is thrown, so the job asks again later.
    if (error instanceof PermanentFailure) return null;
    throw error;
  }
  const parsed = answeredSchema.safeParse(answer);
  if (!parsed.success) return null;
  const items = parsed.data.mentioned_comment?.replies?.data ?? parsed.data.mentioned_media?.comments?.data ?? [];
  const notBefore = notBeforeOf(message);
  for (const item of items) {
    const comment = commentSchema.safeParse(item);
    if (!comment.success) continue;
    const ours = !parsed.data.username || comment.data.username === parsed.data.username;
    if (ours && comment.data.text === message.text && createdNotBefore(comment.data.timestamp, notBefore)) return { externalId: comment.data.id };
  }
  return null;
}
