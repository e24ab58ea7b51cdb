import { z } from 'zod';
import { PermanentFailure, TransientFailure, type ChannelContext, type OutboundMessage, type PrivatePath, type SendResult } from '../connector';
import { DEFAULT_GRAPH_BASE_URL, GraphClient, classifyGraphError, deliveryErrorOf, type GraphErrorMapper } from './graph.client';

/**
 * Sending through Meta's Send API (Messenger and Instagram messaging) and finding a sent
 * message again after an attempt whose answer was lost.
 */

const HOUR_MS = 3_600_000;
export const STANDARD_WINDOW_MS = 24 * HOUR_MS;
export const HUMAN_AGENT_WINDOW_MS = 7 * 24 * HOUR_MS;

export function graphClientFor(channel: ChannelContext, accessToken: string | undefined): GraphClient {
  if (!accessToken) throw new PermanentFailure('The channel has no access token: reconnect it');
  const baseUrl = typeof channel.settings.apiBaseUrl === 'string' ? channel.settings.apiBaseUrl : DEFAULT_GRAPH_BASE_URL;
  return new GraphClient({ baseUrl, accessToken, ...(channel.credentials.appSecret ? { appSecret: channel.credentials.appSecret } : {}) });
}

/** Messenger's and Instagram's quick replies (text buttons, at most 13) on a private message. */
function quickRepliesOf(message: OutboundMessage): { quick_replies?: Array<{ content_type: 'text'; title: string; payload: string }> } {
  if (message.visibility !== 'private' || !message.quickReplies?.length) return {};
  return { quick_replies: message.quickReplies.slice(0, 13).map(({ title, payload }) => ({ content_type: 'text', title, payload })) };
}

export function refuseLongerThan(text: string, limit: number, what: string): void {
  // Characters as people count them (emoji are one), not UTF-16 units.
  const length = [...text].length;
  if (length > limit) throw new PermanentFailure(`${what} accepts at most ${limit.toLocaleString('en')} characters; this reply has ${length.toLocaleString('en')}`);
}

type MessagingType = { messaging_type: 'RESPONSE' } | { messaging_type: 'MESSAGE_TAG'; tag: 'HUMAN_AGENT' };

/**
 * Messenger and Instagram accept a standard reply up to 24 hours after the customer's last
 * message; a person (never the bot) may answer up to 7 days with the HUMAN_AGENT tag where
 * the channel enables it. Outside that, refuse without calling Meta.
 */
export function messagingTypeFor(channel: ChannelContext, message: OutboundMessage, platform: string, now = Date.now()): MessagingType {
  if (!message.lastCustomerMessageAt) return { messaging_type: 'RESPONSE' };
  const since = now - new Date(message.lastCustomerMessageAt).getTime();
  if (!(since > STANDARD_WINDOW_MS)) return { messaging_type: 'RESPONSE' };
  const tagAllowed = channel.settings.humanAgentTag === true;
  if (tagAllowed && message.sentBy === 'agent' && since <= HUMAN_AGENT_WINDOW_MS) return { messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' };
  const why =
    !tagAllowed
      ? `${platform} allows no reply until they write again`
      : message.sentBy !== 'agent'
        ? `${platform} allows only a person to answer now (with the human agent tag), never the bot`
        : `${platform} allows no reply, even by a person with the human agent tag, more than 7 days later`;
  throw new PermanentFailure(`The customer last wrote more than 24 hours ago; ${why}. Ask them to write to you again, or answer publicly.`);
}

const sendResponseSchema = z.looseObject({ message_id: z.string().min(1), recipient_id: z.string().optional() });

/** Meta allows one private reply per comment or visitor post, within 7 days of it. */
export const PRIVATE_REPLY_WINDOW_MS = 7 * 24 * HOUR_MS;

/** What Meta's refusal of a private reply means, in words about the comment (not a messaging window). */
const privateReplyErrorOf: GraphErrorMapper = (status, headers, body) => {
  const failure = classifyGraphError(status, headers, body);
  const said = failure.metaMessage ? ` (Meta said: ${failure.metaMessage})` : '';
  if (failure.kind === 'window') return new PermanentFailure(`The comment is more than 7 days old: Meta allows a private reply only within 7 days of it${said}`);
  if (failure.kind === 'gone') return new PermanentFailure(`The comment was deleted or hidden, so Meta allows no private reply to it${said}`);
  if (failure.kind === 'private_reply_used') return new PermanentFailure(`This comment has already had its private reply; Meta allows one per comment${said}`);
  return deliveryErrorOf(status, headers, body);
};

/**
 * The move to private on Meta: a private reply to the customer's comment (or visitor post),
 * one per comment and within 7 days of it; Parley knows both before sending.
 */
export function metaPrivatePath(platform: string, messageLink: PrivatePath['messageLink'], refuse?: (target: Parameters<PrivatePath['opens']>[0]) => string | null): PrivatePath {
  return {
    opens(target, now) {
      const refusal = refuse?.(target);
      if (refusal) return { refused: 'not_supported', message: refusal };
      if (target.privateReplyUsed) return { refused: 'private_reply_used', message: `This comment has already had its private reply from the brand; ${platform} allows one per comment` };
      if (now.getTime() - target.sentAt.getTime() > PRIVATE_REPLY_WINDOW_MS) {
        return { refused: 'too_old', message: `The comment is more than 7 days old: ${platform} allows a private reply only within 7 days of it` };
      }
      return { via: 'private_reply' };
    },
    messageLink,
  };
}

/**
 * POST {messagesPath} with recipient {id} (a conversation), {comment_id} (a private reply
 * to a public comment) or {post_id} (to a visitor post), the text, our message id as
 * metadata (echoed back on is_echo) and the messaging type the window allows.
 */
export async function sendPrivateMessage(
  client: GraphClient,
  messagesPath: string,
  channel: ChannelContext,
  message: OutboundMessage,
  platform: string,
): Promise<SendResult> {
  const toComment = message.inReplyToVisibility === 'public' && message.inReplyToExternalId;
  let recipient: Record<string, string>;
  let messagingType: MessagingType;
  if (toComment) {
    // A private reply to a comment, or to a visitor post (the post is its own thread): one each, within 7 days of it.
    const toPost = message.inReplyToExternalId === message.threadExternalId;
    recipient = toPost ? { post_id: message.inReplyToExternalId! } : { comment_id: message.inReplyToExternalId! };
    messagingType = { messaging_type: 'RESPONSE' };
  } else {
    if (!message.recipientExternalId) throw new PermanentFailure(`The customer has no ${platform} id to write to`);
    recipient = { id: message.recipientExternalId };
    messagingType = messagingTypeFor(channel, message, platform);
  }
  const answer = await client.post(
    messagesPath,
    { recipient, message: { text: message.text, metadata: message.messageId, ...quickRepliesOf(message) }, ...messagingType },
    {},
    toComment ? { errorOf: privateReplyErrorOf } : {},
  );
  const parsed = sendResponseSchema.safeParse(answer);
  if (!parsed.success) throw new TransientFailure(`${platform} accepted the request but named no message id`);
  const reached = toComment ? parsed.data.recipient_id : undefined;
  return { externalId: parsed.data.message_id, ...(reached ? { recipientExternalId: reached } : {}) };
}

const conversationsSchema = z.looseObject({
  data: z.array(
    z.looseObject({
      id: z.string(),
      messages: z
        .looseObject({
          data: z.array(
            z.looseObject({
              id: z.string(),
              message: z.string().optional(),
              from: z.looseObject({ id: z.string() }).optional(),
              created_time: z.string().optional(),
            }),
          ),
        })
        .optional(),
    }),
  ),
});

/** The earliest moment our message can have been sent: Parley's ids are ObjectIds, which carry their creation time. */
export function notBeforeOf(message: OutboundMessage): number | undefined {
  if (!/^[a-f0-9]{24}$/i.test(message.messageId)) return undefined;
  return parseInt(message.messageId.slice(0, 8), 16) * 1000 - 60_000;
}

export function createdNotBefore(createdTime: string | undefined, notBefore: number | undefined): boolean {
  if (notBefore === undefined || !createdTime) return true;
  const at = Date.parse(createdTime.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return !Number.isFinite(at) || at >= notBefore;
}

/**
 * Looks for our message among the conversation's latest messages: written by the account,
 * the same text, not older than our message. The Conversations API does not return the
 * metadata we sent, so the text and the time decide.
 */
export async function findSentPrivateMessage(
  client: GraphClient,
  conversationsPath: string,
  accountId: string,
  message: OutboundMessage,
  extraQuery: Record<string, string> = {},
): Promise<SendResult | null> {
  const userId = message.recipientExternalId ?? message.threadExternalId;
  if (!userId) return null;
  const answer = conversationsSchema.safeParse(
    await client.get(conversationsPath, { ...extraQuery, user_id: userId, fields: 'messages.limit(25){id,message,from,created_time}' }),
  );
  if (!answer.success) return null;
  const notBefore = notBeforeOf(message);
  for (const conversation of answer.data.data) {
    const found = conversation.messages?.data.find(
      (candidate) => candidate.from?.id === accountId && candidate.message === message.text && createdNotBefore(candidate.created_time, notBefore),
    );
    if (found) return { externalId: found.id };
  }
  return null;
}
