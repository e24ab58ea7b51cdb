import { z } from 'zod';
import { replyLimits } from '@parley/common';
import type { Attachment } from '@parley/common';
import { MalformedPayload, PermanentFailure, parsePayload, ReauthRequired, type ChannelContext, type Connector, type Normalized, type OutboundMessage, type SendResult } from '../connector';
import { GraphClient } from './graph.client';
import { normalizeMessaging } from './meta.messaging';
import { createdNotBefore, findSentPrivateMessage, graphClientFor, metaPrivatePath, notBeforeOf, refuseLongerThan, sendPrivateMessage } from './meta.send';
import { isoTime, metaHandshake, ownAccountIds, parseEnvelope, splitByEntry, verifyMetaSignature } from './meta.webhook';

/**
 * Facebook Pages: feed comments and visitor posts (public) and Messenger (private), in
 * through the Page webhook (object "page"), out through the Graph API with the Page token.
 */

const MESSENGER_TEXT_LIMIT = replyLimits.facebook.private;
const COMMENT_TEXT_LIMIT = replyLimits.facebook.public;

const feedValueSchema = z.looseObject({
  item: z.string(),
  verb: z.string(),
  from: z.looseObject({ id: z.union([z.string().min(1), z.number()]).transform(String), name: z.string().optional() }).optional(),
  post_id: z.string().optional(),
  comment_id: z.string().optional(),
  parent_id: z.string().nullable().optional(),
  message: z.string().optional(),
  created_time: z.union([z.number(), z.string()]).optional(),
  photo: z.string().optional(),
  photos: z.array(z.string()).optional(),
  video: z.string().optional(),
  link: z.string().optional(),
});
type FeedValue = z.infer<typeof feedValueSchema>;

/** Feed items that carry what a person wrote; reactions, likes, shares and the rest do not. */
const POST_ITEMS = new Set(['post', 'status', 'photo', 'video']);
const ACTIONS: Partial<Record<string, 'create' | 'edit' | 'delete'>> = { add: 'create', edited: 'edit', remove: 'delete' };

function feedAttachments(value: FeedValue): Attachment[] {
  return [
    ...(value.photo ? [{ type: 'image' as const, url: value.photo }] : []),
    ...(value.photos ?? []).map((url) => ({ type: 'image' as const, url })),
    ...(value.video ? [{ type: 'video' as const, url: value.video }] : []),
    ...(value.link ? [{ type: 'link' as const, url: value.link }] : []),
  ];
}

function normalizeFeed(pageId: string, rawValue: unknown, entryTime: number | undefined, path: string, into: Normalized): void {
  const value = parsePayload(feedValueSchema, rawValue, path);
  const isComment = value.item === 'comment';
  const action = ACTIONS[value.verb];
  if ((!isComment && !POST_ITEMS.has(value.item)) || !action) {
    into.ignored.push(`feed.${value.item}${action ? '' : `.${value.verb}`}`);
    return;
  }
  const require = (field: 'post_id' | 'comment_id'): string => {
    const id = value[field];
    if (!id) throw new MalformedPayload(`${path}.${field}: required for a ${value.item}`);
    return id;
  };
  const postId = require('post_id');
  const externalId = isComment ? require('comment_id') : postId;
  if (action === 'create' && !value.from) throw new MalformedPayload(`${path}.from: required for a new ${value.item}`);
  const authorId = value.from?.id ?? 'unknown';
  const parentId = isComment && value.parent_id && value.parent_id !== postId ? value.parent_id : undefined;
  into.events.push({
    // The Page's own comments and posts are ours: they confirm a reply, never open a ticket.
    action: authorId === pageId && action === 'create' ? 'echo' : action,
    channelKind: 'facebook',
    externalId,
    externalThreadId: postId,
    ...(parentId ? { externalParentId: parentId } : {}),
    visibility: 'public',
    author: { externalId: authorId, ...(value.from?.name ? { displayName: value.from.name } : {}) },
    text: value.message ?? '',
    attachments: feedAttachments(value),
    sentAt: isoTime(value.created_time, entryTime),
    tags: [],
  });
}

function normalizeFacebook(channel: ChannelContext, body: unknown): Normalized {
  const { entries } = parseEnvelope(body, ['page']);
  const own = new Set(ownAccountIds(channel));
  const result: Normalized = { events: [], ignored: [] };
  entries.forEach((entry, index) => {
    if (!own.has(entry.id)) {
      result.ignored.push('unknown_account');
      return;
    }
    (entry.changes ?? []).forEach((change, changeIndex) => {
      if (change.field === 'feed') normalizeFeed(channel.externalAccountId, change.value, entry.time, `entry.${index}.changes.${changeIndex}.value`, result);
      else result.ignored.push(change.field);
    });
    if (entry.messaging) normalizeMessaging('facebook', channel.externalAccountId, entry.messaging, `entry.${index}.messaging`, result);
    if (entry.standby) result.ignored.push(...entry.standby.map(() => 'standby'));
  });
  return result;
}

const client = (channel: ChannelContext): GraphClient => graphClientFor(channel, channel.credentials.pageAccessToken);

const commentsSchema = z.looseObject({
  data: z.array(z.looseObject({ id: z.string(), message: z.string().optional(), from: z.looseObject({ id: z.string() }).optional(), created_time: z.string().optional() })),
});
const createdSchema = z.looseObject({ id: z.string().min(1) });

function publicTarget(message: OutboundMessage): string {
  const target = message.inReplyToExternalId ?? message.threadExternalId;
  if (!target) throw new PermanentFailure('A public reply on Facebook answers a comment or a post, and this one names neither');
  return target;
}

export const facebookConnector: Connector = {
  kind: 'facebook',

  verify: verifyMetaSignature,
  handshake: metaHandshake,
  split: splitByEntry,

  normalize: normalizeFacebook,

  async send(channel, message): Promise<SendResult> {
    if (message.visibility === 'public') {
      refuseLongerThan(message.text, COMMENT_TEXT_LIMIT, 'A Facebook comment');
      const created = createdSchema.safeParse(await client(channel).post(`${publicTarget(message)}/comments`, { message: message.text }));
      if (!created.success) throw new PermanentFailure('Facebook accepted the comment but named no id');
      return { externalId: created.data.id };
    }
    refuseLongerThan(message.text, MESSENGER_TEXT_LIMIT, 'Messenger');
    return sendPrivateMessage(client(channel), 'me/messages', channel, message, 'Messenger');
  },

  async findSent(channel, message) {
    if (message.visibility === 'private') {
      return findSentPrivateMessage(client(channel), `${channel.externalAccountId}/conversations`, channel.externalAccountId, message);
    }
    const answer = commentsSchema.safeParse(
      await client(channel).get(`${publicTarget(message)}/comments`, { fields: 'id,message,from,created_time', order: 'reverse_chronological', filter: 'stream', limit: 100 }),
    );
    if (!answer.success) return null;
    const notBefore = notBeforeOf(message);
    const found = answer.data.data.find(
      (comment) => comment.from?.id === channel.externalAccountId && comment.message === message.text && createdNotBefore(comment.created_time, notBefore),
    );
    return found ? { externalId: found.id } : null;
  },

  async testConnection(channel) {
    try {
      const me = z.looseObject({ id: z.string(), name: z.string().optional() }).parse(await client(channel).get('me', { fields: 'id,name' }));
      const account = { id: me.id, ...(me.name ? { name: me.name } : {}) };
      if (me.id !== channel.externalAccountId) {
        return { ok: false, account, error: `The token belongs to ${me.name ?? me.id} (${me.id}), not to Page ${channel.externalAccountId}: use that Page's access token` };
      }
      return { ok: true, account };
    } catch (error) {
      if (error instanceof ReauthRequired) return { ok: false, error: 'The Page access token has expired or was revoked: generate a new one and update the channel' };
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  },

  // A comment or a visitor post gets a private reply in Messenger; m.me opens the Page's Messenger.
  quickReplies: { public: false, private: true },
  privatePath: metaPrivatePath('Facebook', (channel) => `https://m.me/${encodeURIComponent(channel.externalAccountId)}`),
};
