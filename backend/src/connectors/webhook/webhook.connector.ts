import { SIGNATURE_HEADER, WEBHOOK_TIMESTAMP_HEADER, webhookChannelDeliverySchema, type InboundEvent, type WebhookChannelReply } from '@parley/common';
import { PermanentFailure, parsePayload, RateLimited, ReauthRequired, TransientFailure, type ChannelContext, type Connector } from '../connector';
import { hmacSha256, signaturesMatch } from '../signature';

/** A delivery signed with a timestamp older than this is refused (replayed or held back). */
const MAX_SIGNATURE_AGE_SECONDS = 300;
const TIMEOUT_MS = 15_000;

function secretOf(channel: ChannelContext): string | undefined {
  return channel.credentials.secret;
}

function callbackUrlOf(channel: ChannelContext): string {
  const url = channel.settings.callbackUrl;
  if (typeof url !== 'string' || !url) throw new PermanentFailure('This webhook channel has no callback URL to deliver replies to');
  return url;
}

/** The signature headers for a body: the same scheme we check on deliveries. */
export function signWebhookBody(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
  return {
    [SIGNATURE_HEADER]: `sha256=${hmacSha256(secret, `${timestamp}.${body}`, 'hex')}`,
    [WEBHOOK_TIMESTAMP_HEADER]: String(timestamp),
  };
}

async function errorMessageOf(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const parsed = JSON.parse(text) as { error?: unknown; message?: unknown };
    const message = typeof parsed.error === 'object' && parsed.error && 'message' in parsed.error ? parsed.error.message : (parsed.message ?? parsed.error);
    if (typeof message === 'string' && message) return message;
  } catch {
    // not JSON: use the text
  }
  return text.slice(0, 300) || `HTTP ${response.status}`;
}

function retryAtOf(response: Response): Date {
  const header = response.headers.get('retry-after');
  const seconds = header && /^\d+$/.test(header.trim()) ? Number(header) : undefined;
  if (seconds !== undefined) return new Date(Date.now() + seconds * 1000);
  const date = header ? Date.parse(header) : NaN;
  return Number.isNaN(date) ? new Date(Date.now() + 60_000) : new Date(date);
}

/** POSTs a signed JSON body to the channel's callback URL and maps the answer to delivery outcomes. */
async function postSigned(channel: ChannelContext, payload: object, idempotencyKey?: string): Promise<unknown> {
  const secret = secretOf(channel);
  if (!secret) throw new ReauthRequired('This webhook channel has no signing secret');
  const body = JSON.stringify(payload);
  let response: Response;
  try {
    response = await fetch(callbackUrlOf(channel), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signWebhookBody(secret, body), ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}) },
      body,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    throw new TransientFailure(`The callback URL did not answer: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (response.ok) return response.json().catch(() => ({}));
  const reason = await errorMessageOf(response);
  if (response.status === 429) throw new RateLimited(retryAtOf(response), `The receiver asked us to slow down: ${reason}`);
  if (response.status >= 500 || response.status === 408) throw new TransientFailure(`The receiver failed (${response.status}): ${reason}`);
  if (response.status === 401 || response.status === 403) throw new ReauthRequired(`The receiver refused our signature (${response.status}): ${reason}`);
  throw new PermanentFailure(`The receiver refused the reply (${response.status}): ${reason}`);
}

/**
 * The generic signed-webhook channel (a web chat, an email bridge, a review site): the
 * documented JSON shape in common/src/webhook-channel.ts in, signed JSON replies out to
 * the channel's callback URL with the reply's id as Idempotency-Key, so a retried send
 * is recognised by the receiver and never shown twice.
 */
export const webhookConnector: Connector = {
  kind: 'webhook',

  verify(channel, delivery) {
    const secret = secretOf(channel);
    if (!secret) return false;
    const received = delivery.headers[SIGNATURE_HEADER];
    const timestamp = delivery.headers[WEBHOOK_TIMESTAMP_HEADER];
    if (timestamp === undefined) return signaturesMatch(received, `sha256=${hmacSha256(secret, delivery.rawBody, 'hex')}`);
    if (!/^\d{9,11}$/.test(timestamp) || Math.abs(Date.now() / 1000 - Number(timestamp)) > MAX_SIGNATURE_AGE_SECONDS) return false;
    return signaturesMatch(received, `sha256=${hmacSha256(secret, Buffer.concat([Buffer.from(`${timestamp}.`), delivery.rawBody]), 'hex')}`);
  },

  handshake() {
    return { status: 200, contentType: 'text/plain', body: 'ok' };
  },

  normalize(_channel, body) {
    const events = parsePayload(webhookChannelDeliverySchema, body).events.map(
      (event): InboundEvent => ({
        action: event.type === 'message' ? 'create' : event.type,
        channelKind: 'webhook',
        externalId: event.id,
        externalThreadId: event.conversationId,
        externalParentId: event.parentId,
        visibility: event.visibility,
        author: {
          externalId: event.author.id,
          handle: event.author.handle,
          displayName: event.author.name,
          followers: event.author.followers,
          verified: event.author.verified,
          avatarUrl: event.author.avatarUrl,
        },
        text: event.text,
        attachments: event.attachments,
        language: event.language,
        sentAt: new Date(event.sentAt).toISOString(),
        tags: event.value ? [`quick_reply:${event.value}`] : [],
      }),
    );
    return { events, ignored: [] };
  },

  // The other side gets the bot's buttons in the reply and sends a tapped one's payload back as `value`.
  quickReplies: { public: true, private: true },

  async send(channel, message) {
    const reply: WebhookChannelReply = {
      type: 'reply',
      id: message.messageId,
      conversationId: message.threadExternalId ?? null,
      inReplyTo: message.inReplyToExternalId ?? null,
      recipient: message.recipientExternalId ?? null,
      visibility: message.visibility,
      text: message.text,
      ...(message.quickReplies ? { quickReplies: message.quickReplies } : {}),
      sentAt: new Date().toISOString(),
    };
    const answer = await postSigned(channel, reply, message.messageId);
    const id = typeof answer === 'object' && answer !== null && 'id' in answer && typeof answer.id === 'string' && answer.id ? answer.id : `webhook:${message.messageId}`;
    return { externalId: id };
  },

  async testConnection(channel) {
    try {
      await postSigned(channel, { type: 'ping', sentAt: new Date().toISOString() });
      return { ok: true, account: { id: channel.externalAccountId } };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  },
};
