import { z } from 'zod';
import { MalformedPayload, parsePayload, type ChannelContext, type DeliveryPart, type HandshakeAnswer, type WebhookDelivery } from '../connector';
import { hmacSha256, signaturesMatch } from '../signature';

/**
 * What Facebook Pages and Instagram share: the X-Hub-Signature-256 check, the hub.challenge
 * handshake, and the envelope {object, entry: [{id, time, changes | messaging}]} in which
 * Meta batches up to 1,000 updates for one or several accounts.
 */

export const SIGNATURE_HEADER = 'x-hub-signature-256';

export function verifyMetaSignature(channel: ChannelContext, delivery: WebhookDelivery): boolean {
  const appSecret = channel.credentials.appSecret;
  if (!appSecret) return false;
  return signaturesMatch(delivery.headers[SIGNATURE_HEADER], `sha256=${hmacSha256(appSecret, delivery.rawBody, 'hex')}`);
}

export function metaHandshake(channel: ChannelContext, query: Record<string, string | undefined>): HandshakeAnswer {
  const verifyToken = channel.credentials.verifyToken;
  const challenge = query['hub.challenge'];
  if (query['hub.mode'] !== 'subscribe' || !verifyToken || challenge === undefined || !signaturesMatch(query['hub.verify_token'], verifyToken)) {
    return { status: 403, contentType: 'text/plain', body: 'The verify token does not match this channel' };
  }
  return { status: 200, contentType: 'text/plain', body: challenge };
}

const platformId = z.union([z.string().min(1), z.number()]).transform(String);

const entrySchema = z.looseObject({
  id: platformId,
  time: z.number().optional(),
  changes: z.array(z.looseObject({ field: z.string(), value: z.unknown() })).optional(),
  messaging: z.array(z.unknown()).optional(),
  standby: z.array(z.unknown()).optional(),
});
export type MetaEntry = z.infer<typeof entrySchema>;

const envelopeSchema = z.looseObject({ object: z.string(), entry: z.array(z.unknown()) });


/** The ids an entry of this channel may carry (an Instagram account is also reached through its Page). */
export function ownAccountIds(channel: ChannelContext): string[] {
  const pageId = channel.kind === 'instagram' && typeof channel.settings.pageId === 'string' ? channel.settings.pageId : undefined;
  return pageId ? [channel.externalAccountId, pageId] : [channel.externalAccountId];
}

export function parseEnvelope(body: unknown, expectedObjects: readonly string[]): { object: string; entries: MetaEntry[] } {
  const envelope = parsePayload(envelopeSchema, body, '');
  if (!expectedObjects.includes(envelope.object)) {
    throw new MalformedPayload(`object: expected ${expectedObjects.map((name) => `"${name}"`).join(' or ')}, got "${envelope.object}"`);
  }
  return { object: envelope.object, entries: envelope.entry.map((entry, index) => parsePayload(entrySchema, entry, `entry.${index}`)) };
}

/**
 * One part per account named by entry.id; entries of this channel (its own id, or the
 * Page an Instagram account is linked to) form the part for channel.externalAccountId.
 * A body without entries is one part for this channel, so normalize can name what is wrong.
 */
export function splitByEntry(channel: ChannelContext, body: unknown): DeliveryPart[] {
  const envelope = envelopeSchema.safeParse(body);
  if (!envelope.success) return [{ externalAccountId: channel.externalAccountId, body }];
  const own = new Set(ownAccountIds(channel));
  const byAccount = new Map<string, unknown[]>();
  for (const entry of envelope.data.entry) {
    const id = entry && typeof entry === 'object' && 'id' in entry && (typeof entry.id === 'string' || typeof entry.id === 'number') ? String(entry.id) : undefined;
    const account = id === undefined || own.has(id) ? channel.externalAccountId : id;
    const list = byAccount.get(account) ?? [];
    list.push(entry);
    byAccount.set(account, list);
  }
  return [...byAccount].map(([externalAccountId, entry]) => ({ externalAccountId, body: { ...envelope.data, entry } }));
}

/** Meta's times: Unix seconds (feed, entry.time of changes) or milliseconds (messaging), or ISO strings. */
export function isoTime(value: number | string | undefined, fallback?: number): string {
  if (typeof value === 'string') {
    const fromString = /^\d+$/.test(value) ? Number(value) : Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
    if (Number.isFinite(fromString)) return isoTime(fromString, fallback);
  }
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return new Date(value < 1e12 ? value * 1000 : value).toISOString();
  if (fallback !== undefined) return isoTime(fallback);
  return new Date().toISOString();
}
