import { z } from 'zod';
import { connectorKindSchema } from './channels';
import { engagementSchema } from './triage';

/**
 * What a connector makes of a platform's payload: one customer message (or an edit or
 * removal of one), with no trace of the platform's own shapes. Ingest knows only this.
 */

export const authorSchema = z.object({
  /** The platform's stable id for the person (not the handle, which can change). */
  externalId: z.string().min(1),
  handle: z.string().optional(),
  displayName: z.string().optional(),
  followers: z.number().int().nonnegative().optional(),
  verified: z.boolean().optional(),
  avatarUrl: z.string().optional(),
});
export type Author = z.infer<typeof authorSchema>;

export const attachmentSchema = z.object({
  type: z.enum(['image', 'video', 'audio', 'file', 'link', 'sticker', 'story', 'other']),
  url: z.string().optional(),
  name: z.string().optional(),
  mimeType: z.string().optional(),
});
export type Attachment = z.infer<typeof attachmentSchema>;

/**
 * create: a customer message. edit / delete: a change to one already stored (edits keep the
 * earlier text; removals mark it deleted). echo: the brand's own message as the platform
 * shows it (externalId is its platform id; outboundMessageId is Parley's id when the platform
 * echoes our metadata; author is the brand): one Parley sent is confirmed, one the brand
 * wrote elsewhere (the platform's app, another tool) joins the conversation it answers as
 * an outbound message; never a customer message. read: the customer read our messages up
 * to sentAt. share: the author reposted one of the brand's own posts (externalId the repost,
 * externalParentId the brand's post): counted for ambassadors, never a message to answer.
 */
export const inboundActionSchema = z.enum(['create', 'edit', 'delete', 'echo', 'read', 'share']);

export const inboundEventSchema = z.object({
  action: inboundActionSchema.default('create'),
  channelKind: connectorKindSchema,
  /** The platform's id of this message; with the channel it identifies the message once. */
  externalId: z.string().min(1),
  /** The platform conversation it belongs to (root post, DM conversation), if any. */
  externalThreadId: z.string().min(1).optional(),
  /** The message it directly answers, if any. */
  externalParentId: z.string().min(1).optional(),
  visibility: z.enum(['public', 'private']),
  author: authorSchema,
  /** The text exactly as sent (emoji, right-to-left, zero-width characters kept). */
  text: z.string(),
  attachments: z.array(attachmentSchema).default([]),
  language: z.string().optional(),
  sentAt: z.iso.datetime(),
  tags: z.array(z.string()).default([]),
  /** What the platform counts on a public post, when it says (X public_metrics): weighs on priority. */
  engagement: engagementSchema.optional(),
  /** For an echo: Parley's id of the outbound message, when the platform carried it back. */
  outboundMessageId: z.string().optional(),
  /**
   * For an echo of a private message: the person it was sent to, whose conversation it
   * belongs to (the author of an echo is the brand).
   */
  recipient: authorSchema.optional(),
  /** For an echo: the app or tool the platform says the brand used ("Twitter for iPhone"), when it says. */
  sentVia: z.string().min(1).optional(),
});
export type InboundEvent = z.infer<typeof inboundEventSchema>;
export type InboundEventInput = z.input<typeof inboundEventSchema>;
