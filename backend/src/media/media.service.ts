import type { Readable } from 'node:stream';
import type { Types } from 'mongoose';
import { LRUCache } from 'lru-cache';
import { cachedChannel, channelContext } from '../channels/channels.service';
import { connectorFor } from '../connectors';
import { MediaUnavailable, type FetchedMedia } from '../connectors/connector';
import { fetchPublicMedia } from '../connectors/media.fetch';
import { findContact } from '../contacts/contacts.service';
import { BadGateway, Forbidden, NotFound, TooLarge } from '../http/errors';
import { isWebUrl } from '../lib/web-url';
import { Message, type MessageDoc } from '../tickets/message.model';
import { canSee, ticketFor } from '../tickets/ticket.access';
import { Ticket, type TicketDoc } from '../tickets/ticket.model';
import type { UserDoc } from '../users/user.model';
import { avatarSourceOf } from './media.paths';

/** Avatars are small; a bigger one is refused rather than cached. */
const AVATAR_MAX_BYTES = 2 * 1024 * 1024;
/** Tickets of one contact looked at to decide whether an agent may see its avatar. */
const AVATAR_TICKETS_CHECKED = 500;

/** A platform's answer to the agent's request, as the proxy passes it on. */
export interface ProxiedMedia {
  media: FetchedMedia;
  /** The file name the platform or sender gave, for a download. */
  name: string | undefined;
  /** The type the platform named in its payload, when its answer names none. */
  mimeType: string | undefined;
}

export interface AvatarImage {
  contentType: string;
  bytes: Buffer;
}

/** A platform's refusal or failure, as the agent's browser gets it: 413 over the cap, 502 otherwise. */
function asHttpError(error: unknown): Error {
  if (!(error instanceof MediaUnavailable)) return error instanceof Error ? error : new Error(String(error));
  return error.reason === 'too_large' ? new TooLarge(error.message) : new BadGateway(error.message);
}

/** Through the channel's connector (it knows what its platform needs), else a plain public fetch. */
async function fetchThrough(channelId: Types.ObjectId | undefined, url: string, credentialsKey: string | undefined): Promise<FetchedMedia> {
  const channel = channelId ? await cachedChannel(channelId) : null;
  const connector = channel ? connectorFor(channel.kind) : undefined;
  try {
    if (channel && connector?.fetchMedia) return await connector.fetchMedia(channelContext(channel, credentialsKey), url);
    return await fetchPublicMedia(url);
  } catch (error) {
    throw asHttpError(error);
  }
}

/** Attachment `index` of a message of a ticket this user may see (404 unknown, 403 another team's). */
export async function attachmentMedia(user: UserDoc, ticketId: string, messageId: string, index: number, credentialsKey: string | undefined): Promise<ProxiedMedia> {
  const ticket = await ticketFor(user, ticketId);
  const message = /^[a-f0-9]{24}$/.test(messageId) ? await Message.findOne({ _id: messageId, ticketId: ticket._id }).lean<MessageDoc>() : null;
  const attachment = message?.attachments[index];
  if (!message || !attachment?.url || !isWebUrl(attachment.url)) throw new NotFound('Attachment');
  const media = await fetchThrough(message.channelId, attachment.url, credentialsKey);
  return { media, name: attachment.name, mimeType: attachment.mimeType };
}

async function readAll(body: Readable, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      const bytes = chunk as Buffer;
      size += bytes.length;
      if (size > maxBytes) {
        body.destroy();
        throw new MediaUnavailable(`The picture is larger than ${maxBytes / 1024 / 1024} MB`, 'too_large');
      }
      chunks.push(bytes);
    }
  } catch (error) {
    throw asHttpError(error);
  }
  return Buffer.concat(chunks);
}

/**
 * Recently served avatars, by platform URL: an inbox page shows dozens of them, and the same
 * people write again and again. Bounded in count and bytes; concurrent requests for one URL
 * share one fetch. Only bytes are cached: who may see them is checked on every request.
 */
const avatars = new LRUCache<string, AvatarImage, () => Promise<FetchedMedia>>({
  max: 2_000,
  maxSize: 64 * 1024 * 1024,
  sizeCalculation: (image) => Math.max(image.bytes.length, 1),
  ttl: 60 * 60_000,
  fetchMethod: async (_url, _stale, { context }) => {
    const media = await context();
    const contentType = media.contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
    if (!contentType.startsWith('image/')) {
      media.body.destroy();
      throw new BadGateway(`The platform answered ${contentType || 'something'} instead of a picture`);
    }
    return { contentType, bytes: await readAll(media.body, AVATAR_MAX_BYTES) };
  },
});

/**
 * A contact's picture, for a user who can see the contact: supervisors and admins anyone,
 * agents a contact of a ticket they can see (404 unknown or no picture, 403 otherwise).
 */
export async function contactAvatar(user: UserDoc, contactId: string, identityKey: string | undefined, credentialsKey: string | undefined): Promise<AvatarImage> {
  const contact = await findContact(contactId);
  const source = avatarSourceOf(contact, identityKey);
  if (!source) throw new NotFound('Avatar');
  const tickets = await Ticket.find({ contactId: contact._id }, { teamId: 1, assigneeId: 1, channelId: 1, channelKind: 1 }).limit(AVATAR_TICKETS_CHECKED).lean<TicketDoc[]>();
  const visible = tickets.filter((ticket) => canSee(user, ticket));
  if (user.role === 'agent' && visible.length === 0) throw new Forbidden('This person is in no conversation you can see');
  // Fetched through a channel of the platform the picture is from, where the user sees one.
  const via = visible.find((ticket) => ticket.channelKind === source.kind);
  const image = await avatars.fetch(source.url, { context: () => fetchThrough(via?.channelId, source.url, credentialsKey) });
  if (!image) throw new NotFound('Avatar');
  return image;
}
