import { z } from 'zod';
import { attachmentSchema } from './inbound';

/**
 * The generic webhook channel: anything that can POST JSON (a web chat, an email bridge,
 * a review site) delivers customer messages to POST /webhooks/webhook/:channelId with
 *   X-Parley-Signature: sha256=<hex HMAC-SHA256 of the raw body, key = the channel secret>
 * and, optionally, X-Parley-Timestamp: <unix seconds>, in which case the signature covers
 * "<timestamp>.<raw body>" and deliveries older than five minutes are refused.
 */
export const webhookChannelEventSchema = z.object({
  /** message: a new customer message; edit: new text for one sent before; delete: it was removed. */
  type: z.enum(['message', 'edit', 'delete']).default('message'),
  /** Your id of the message: a repeated id is stored once. */
  id: z.string().min(1).max(200),
  /** The conversation it belongs to (a chat session, an email thread, a review). */
  conversationId: z.string().min(1).max(200).optional(),
  /** The message it answers, if any. */
  parentId: z.string().min(1).max(200).optional(),
  visibility: z.enum(['public', 'private']).default('private'),
  author: z.object({
    id: z.string().min(1).max(200),
    handle: z.string().max(200).optional(),
    name: z.string().max(200).optional(),
    followers: z.number().int().nonnegative().optional(),
    verified: z.boolean().optional(),
    avatarUrl: z.string().max(2_000).optional(),
  }),
  text: z.string().max(100_000),
  attachments: z.array(attachmentSchema).max(50).default([]),
  language: z.string().max(35).optional(),
  /** The payload of the quick reply the customer tapped (one Parley's bot offered with a reply). */
  value: z.string().min(1).max(1_000).optional(),
  sentAt: z.iso.datetime({ offset: true }),
});
export type WebhookChannelEvent = z.infer<typeof webhookChannelEventSchema>;

export const webhookChannelDeliverySchema = z.object({ events: z.array(webhookChannelEventSchema).min(1).max(1_000) });
export type WebhookChannelDelivery = z.input<typeof webhookChannelDeliverySchema>;

/** What Parley POSTs to the channel's callbackUrl for an agent's reply, signed the same way. */
export const webhookChannelReplySchema = z.object({
  type: z.literal('reply'),
  /** Parley's id of the reply; also sent as the Idempotency-Key header. */
  id: z.string(),
  conversationId: z.string().nullable(),
  inReplyTo: z.string().nullable(),
  /** The customer's author id, for a private reply. */
  recipient: z.string().nullable(),
  visibility: z.enum(['public', 'private']),
  text: z.string(),
  /** The bot's buttons: show them, and send a tapped one's payload back as the event's `value`. */
  quickReplies: z.array(z.object({ title: z.string(), payload: z.string() })).optional(),
  sentAt: z.iso.datetime(),
});
export type WebhookChannelReply = z.infer<typeof webhookChannelReplySchema>;

export const WEBHOOK_TIMESTAMP_HEADER = 'x-parley-timestamp';
