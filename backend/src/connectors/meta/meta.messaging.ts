import { z } from 'zod';
import type { Attachment, InboundEvent } from '@parley/common';
import { parsePayload, type Normalized } from '../connector';
import { isoTime } from './meta.webhook';

/**
 * Messenger and Instagram messaging items (entry.messaging[]): messages, attachments, quick
 * replies, postbacks, edits, removals, echoes of our own messages and read receipts. One
 * shape on both platforms; Instagram adds story replies and mentions.
 */

const participant = z.looseObject({ id: z.union([z.string().min(1), z.number()]).transform(String) });

const attachmentSchema = z.looseObject({
  type: z.string(),
  payload: z
    .looseObject({
      url: z.string().optional(),
      sticker_id: z.union([z.string(), z.number()]).optional(),
      title: z.string().optional(),
    })
    .nullable()
    .optional(),
  title: z.string().optional(),
  url: z.string().optional(),
});

const messageSchema = z.looseObject({
  mid: z.string().min(1),
  text: z.string().optional(),
  is_echo: z.boolean().optional(),
  is_deleted: z.boolean().optional(),
  is_unsupported: z.boolean().optional(),
  metadata: z.string().optional(),
  attachments: z.array(attachmentSchema).optional(),
  quick_reply: z.looseObject({ payload: z.string() }).optional(),
  reply_to: z
    .looseObject({
      mid: z.string().optional(),
      story: z.looseObject({ url: z.string().optional(), id: z.string().optional() }).optional(),
    })
    .optional(),
});

const itemSchema = z.looseObject({
  sender: participant,
  recipient: participant,
  timestamp: z.number(),
  message: z.unknown().optional(),
  postback: z.unknown().optional(),
  read: z.unknown().optional(),
  message_edit: z.unknown().optional(),
});

const postbackSchema = z.looseObject({ mid: z.string().optional(), title: z.string().optional(), payload: z.string().optional() });
const readSchema = z.looseObject({ watermark: z.number().optional(), mid: z.string().optional() });
const editSchema = z.looseObject({ mid: z.string().min(1), text: z.string(), num_edit: z.number().optional() });

const ENVELOPE_KEYS = new Set(['sender', 'recipient', 'timestamp']);

const ATTACHMENT_TYPES: Record<string, Attachment['type']> = {
  image: 'image',
  animated_image: 'image',
  video: 'video',
  ig_reel: 'video',
  reel: 'video',
  audio: 'audio',
  file: 'file',
  sticker: 'sticker',
  story_mention: 'story',
  share: 'link',
  fallback: 'link',
  location: 'other',
  template: 'other',
};

function attachmentsOf(message: z.infer<typeof messageSchema>): Attachment[] {
  const attachments: Attachment[] = (message.attachments ?? []).map((attachment) => {
    const url = attachment.payload?.url ?? attachment.url;
    // Messenger sends stickers as images carrying a sticker_id.
    const type = attachment.payload?.sticker_id !== undefined ? 'sticker' : (ATTACHMENT_TYPES[attachment.type] ?? 'other');
    const name = attachment.payload?.title ?? attachment.title;
    return { type, ...(url ? { url } : {}), ...(name ? { name } : {}) };
  });
  const story = message.reply_to?.story;
  if (story) attachments.unshift({ type: 'story', ...(story.url ? { url: story.url } : {}), ...(story.id ? { name: `story ${story.id}` } : {}) });
  return attachments;
}

/** Normalizes one entry's messaging items for the account accountId (Page or Instagram account). */
export function normalizeMessaging(
  kind: 'facebook' | 'instagram',
  accountId: string,
  items: unknown[],
  path: string,
  into: Normalized,
): void {
  items.forEach((raw, index) => {
    const at = `${path}.${index}`;
    const item = parsePayload(itemSchema, raw, at);
    const fromBrand = item.sender.id === accountId;
    const customerId = fromBrand ? item.recipient.id : item.sender.id;
    const sentAt = isoTime(item.timestamp);
    const base = { channelKind: kind, visibility: 'private' as const, externalThreadId: customerId, sentAt, attachments: [], tags: [] };

    if (item.message !== undefined) {
      const message = parsePayload(messageSchema, item.message, `${at}.message`);
      const text = message.text ?? '';
      if (message.is_echo || fromBrand) {
        into.events.push({
          ...base,
          action: 'echo',
          externalId: message.mid,
          author: { externalId: item.sender.id },
          // The brand's message belongs to the conversation with the person it went to.
          externalThreadId: item.recipient.id,
          recipient: { externalId: item.recipient.id },
          text,
          ...(message.metadata ? { outboundMessageId: message.metadata } : {}),
        });
        return;
      }
      if (message.is_deleted) {
        into.events.push({ ...base, action: 'delete', externalId: message.mid, author: { externalId: customerId }, text: '' });
        return;
      }
      const event: InboundEvent = {
        ...base,
        action: 'create',
        externalId: message.mid,
        author: { externalId: customerId },
        text,
        attachments: attachmentsOf(message),
        tags: message.quick_reply ? [`quick_reply:${message.quick_reply.payload}`] : [],
        ...(message.reply_to?.mid ? { externalParentId: message.reply_to.mid } : {}),
      };
      into.events.push(event);
      return;
    }
    if (item.postback !== undefined) {
      const postback = parsePayload(postbackSchema, item.postback, `${at}.postback`);
      into.events.push({
        ...base,
        action: 'create',
        externalId: postback.mid ?? `postback:${customerId}:${item.timestamp}`,
        author: { externalId: customerId },
        text: postback.title ?? postback.payload ?? '',
        tags: postback.payload ? [`postback:${postback.payload}`] : [],
      });
      return;
    }
    if (item.message_edit !== undefined) {
      const edit = parsePayload(editSchema, item.message_edit, `${at}.message_edit`);
      into.events.push({ ...base, action: 'edit', externalId: edit.mid, author: { externalId: customerId }, text: edit.text });
      return;
    }
    if (item.read !== undefined) {
      const read = parsePayload(readSchema, item.read, `${at}.read`);
      into.events.push({
        ...base,
        action: 'read',
        externalId: `read:${customerId}:${read.watermark ?? item.timestamp}`,
        author: { externalId: customerId },
        text: '',
        sentAt: isoTime(read.watermark ?? item.timestamp),
      });
      return;
    }
    const type = Object.keys(item).find((key) => !ENVELOPE_KEYS.has(key));
    // delivery, reaction, typing, optin, referral, handover… and types Meta adds later.
    into.ignored.push(type ?? 'unknown');
  });
}
