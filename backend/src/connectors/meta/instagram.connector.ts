import { z } from 'zod';
import { replyLimits } from '@parley/common';
import { PermanentFailure, ReauthRequired, parsePayload, type ChannelContext, type Connector, type Normalized, type OutboundMessage, type PendingLookup, type SendResult } from '../connector';
import type { GraphClient } from './graph.client';
import { MENTION_TAG, answersMention, completeMention, findSentMentionReply, mentionLookup, sendMentionReply } from './instagram.mentions';
import { normalizeMessaging } from './meta.messaging';
import { createdNotBefore, findSentPrivateMessage, graphClientFor, metaPrivatePath, notBeforeOf, refuseLongerThan, sendPrivateMessage } from './meta.send';
import { isoTime, metaHandshake, ownAccountIds, parseEnvelope, splitByEntry, verifyMetaSignature } from './meta.webhook';

/**
 * Instagram professional accounts: comments and mentions (public) and direct messages,
 * story replies included (private), in through the webhook (object "instagram"), out
 * through the Graph API with the account's token. Mentions are looked up in the worker
 * and answered through their own endpoint (instagram.mentions.ts).
 */

const DIRECT_TEXT_LIMIT = replyLimits.instagram.private;
const COMMENT_TEXT_LIMIT = replyLimits.instagram.public;

const id = z.union([z.string().min(1), z.number()]).transform(String);

const commentValueSchema = z.looseObject({
  id,
  text: z.string().optional(),
  from: z.looseObject({ id, username: z.string().optional() }),
  media: z.looseObject({ id, media_product_type: z.string().optional() }),
  parent_id: id.nullable().optional(),
  timestamp: z.union([z.number(), z.string()]).optional(),
});

function normalizeComment(accountId: string, rawValue: unknown, entryTime: number | undefined, path: string, into: Normalized): void {
  const value = parsePayload(commentValueSchema, rawValue, path);
  into.events.push({
    // The account's own comments are our replies: they confirm a send, never open a ticket.
    action: value.from.id === accountId ? 'echo' : 'create',
    channelKind: 'instagram',
    externalId: value.id,
    externalThreadId: value.media.id,
    ...(value.parent_id ? { externalParentId: value.parent_id } : {}),
    visibility: 'public',
    author: { externalId: value.from.id, ...(value.from.username ? { handle: value.from.username } : {}) },
    text: value.text ?? '',
    attachments: [],
    sentAt: isoTime(value.timestamp, entryTime),
    tags: [],
  });
}

function normalizeInstagram(channel: ChannelContext, body: unknown): Normalized {
  const { entries } = parseEnvelope(body, ['instagram']);
  const own = new Set(ownAccountIds(channel));
  const lookups: PendingLookup[] = [];
  const result: Normalized = { events: [], ignored: [], lookups };
  entries.forEach((entry, index) => {
    if (!own.has(entry.id)) {
      result.ignored.push('unknown_account');
      return;
    }
    (entry.changes ?? []).forEach((change, changeIndex) => {
      const path = `entry.${index}.changes.${changeIndex}.value`;
      if (change.field === 'comments' || change.field === 'live_comments') normalizeComment(channel.externalAccountId, change.value, entry.time, path, result);
      // A mention names only the comment or media: the worker looks it up (complete).
      else if (change.field === 'mentions') lookups.push(mentionLookup(change.value, entry.time, path));
      else result.ignored.push(change.field);
    });
    if (entry.messaging) normalizeMessaging('instagram', channel.externalAccountId, entry.messaging, `entry.${index}.messaging`, result);
    if (entry.standby) result.ignored.push(...entry.standby.map(() => 'standby'));
  });
  return result;
}

const client = (channel: ChannelContext): GraphClient => graphClientFor(channel, channel.credentials.accessToken);

const repliesSchema = z.looseObject({
  data: z.array(
    z.looseObject({ id: z.string(), text: z.string().optional(), from: z.looseObject({ id: z.string() }).optional(), timestamp: z.string().optional() }),
  ),
});
const createdSchema = z.looseObject({ id: z.string().min(1) });

/** A reply answers a comment (POST /{comment}/replies) or, failing that, comments on the media. */
function publicTarget(message: OutboundMessage): { path: string; listPath: string } {
  if (message.inReplyToExternalId) return { path: `${message.inReplyToExternalId}/replies`, listPath: `${message.inReplyToExternalId}/replies` };
  if (message.threadExternalId) return { path: `${message.threadExternalId}/comments`, listPath: `${message.threadExternalId}/comments` };
  throw new PermanentFailure('A public reply on Instagram answers a comment or a post, and this one names neither');
}

export const instagramConnector: Connector = {
  kind: 'instagram',

  verify: verifyMetaSignature,
  handshake: metaHandshake,
  split: splitByEntry,
  normalize: normalizeInstagram,
  complete: (channel, lookup) => completeMention(client(channel), channel.externalAccountId, lookup),

  async send(channel, message): Promise<SendResult> {
    if (answersMention(message)) {
      refuseLongerThan(message.text, COMMENT_TEXT_LIMIT, 'An Instagram comment');
      return sendMentionReply(client(channel), channel.externalAccountId, message);
    }
    if (message.visibility === 'public') {
      refuseLongerThan(message.text, COMMENT_TEXT_LIMIT, 'An Instagram comment');
      const created = createdSchema.safeParse(await client(channel).post(publicTarget(message).path, { message: message.text }));
      if (!created.success) throw new PermanentFailure('Instagram accepted the reply but named no id');
      return { externalId: created.data.id };
    }
    refuseLongerThan(message.text, DIRECT_TEXT_LIMIT, 'An Instagram message');
    return sendPrivateMessage(client(channel), `${channel.externalAccountId}/messages`, channel, message, 'Instagram');
  },

  async findSent(channel, message) {
    if (answersMention(message)) return findSentMentionReply(client(channel), channel.externalAccountId, message);
    if (message.visibility === 'private') {
      return findSentPrivateMessage(client(channel), `${channel.externalAccountId}/conversations`, channel.externalAccountId, message, { platform: 'instagram' });
    }
    const answer = repliesSchema.safeParse(await client(channel).get(publicTarget(message).listPath, { fields: 'id,text,from,timestamp', limit: 100 }));
    if (!answer.success) return null;
    const notBefore = notBeforeOf(message);
    const found = answer.data.data.find(
      (reply) => reply.from?.id === channel.externalAccountId && reply.text === message.text && createdNotBefore(reply.timestamp, notBefore),
    );
    return found ? { externalId: found.id } : null;
  },

  async testConnection(channel) {
    try {
      const account = z
        .looseObject({ id: z.string(), username: z.string().optional(), name: z.string().optional() })
        .parse(await client(channel).get(channel.externalAccountId, { fields: 'id,username,name' }));
      return { ok: true, account: { id: account.id, ...(account.name ? { name: account.name } : {}), ...(account.username ? { handle: account.username } : {}) } };
    } catch (error) {
      if (error instanceof ReauthRequired) return { ok: false, error: 'The Instagram access token has expired or was revoked: generate a new one and update the channel' };
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  },

  // A comment on the account's media gets a private reply in Instagram Direct; ig.me opens it when the username is known.
  quickReplies: { public: false, private: true },
  privatePath: metaPrivatePath(
    'Instagram',
    (channel) => (typeof channel.settings.username === 'string' && channel.settings.username ? `https://ig.me/m/${encodeURIComponent(channel.settings.username)}` : null),
    (target) => (target.tags.includes(MENTION_TAG) ? 'Instagram allows no private reply to a mention on someone else\'s post: ask the customer to write to the account' : null),
  ),
};
