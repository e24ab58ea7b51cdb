import { simulatorDeliverySchema, SIGNATURE_HEADER, type InboundEvent } from '@parley/common';
import { Schema, model } from 'mongoose';
import { parsePayload, type Connector } from '../connector';
import { hmacSha256, signaturesMatch } from '../signature';

/** What the simulator "sent": kept so a demo can show the customer's side. */
interface SimulatorReplyDoc {
  _id: string;
  channelId: string;
  text: string;
  visibility: 'public' | 'private';
  inReplyTo?: string;
  recipient?: string;
  quickReplies?: Array<{ title: string; payload: string }>;
  sentAt: Date;
}
export const SimulatorReply = model<SimulatorReplyDoc>(
  'SimulatorReply',
  new Schema<SimulatorReplyDoc>({
    _id: String,
    channelId: { type: String, required: true },
    text: { type: String, required: true },
    visibility: { type: String, required: true },
    inReplyTo: String,
    recipient: String,
    quickReplies: { type: [{ title: String, payload: String, _id: false }], default: undefined },
    sentAt: { type: Date, required: true },
  }),
  'simulatorReplies',
);

export const simulatorConnector: Connector = {
  kind: 'simulator',

  verify(channel, delivery) {
    const secret = channel.credentials.secret;
    if (!secret) return false;
    return signaturesMatch(delivery.headers[SIGNATURE_HEADER], `sha256=${hmacSha256(secret, delivery.rawBody, 'hex')}`);
  },

  handshake() {
    return { status: 200, contentType: 'text/plain', body: 'ok' };
  },

  normalize(_channel, body) {
    const events = parsePayload(simulatorDeliverySchema, body).events.map(
      (event): InboundEvent => ({
        action: event.kind === 'share' ? 'share' : 'create',
        channelKind: 'simulator',
        externalId: event.id,
        externalThreadId: event.thread ?? (event.kind === 'dm' ? `dm:${event.author.id}` : event.id),
        externalParentId: event.parent,
        visibility: event.kind === 'dm' ? 'private' : 'public',
        author: {
          externalId: event.author.id,
          handle: event.author.handle,
          displayName: event.author.name,
          followers: event.author.followers,
          verified: event.author.verified,
          avatarUrl: event.author.avatar,
        },
        text: event.text,
        attachments: event.attachments ?? [],
        language: event.lang,
        sentAt: event.at,
        tags: event.value ? [`quick_reply:${event.value}`] : [],
        ...(event.engagement ? { engagement: event.engagement } : {}),
      }),
    );
    return { events, ignored: [] };
  },

  testConnection(channel) {
    return Promise.resolve({ ok: true, account: { id: channel.externalAccountId, name: 'Simulator' } });
  },

  // The simulated customers answer a private message privately; they have no link to write from.
  privatePath: { opens: () => ({ via: 'direct_message' }), messageLink: () => null },
  quickReplies: { public: true, private: true },

  async send(channel, message) {
    // The platform id is derived from our message id, so a retried send records once.
    const externalId = `sim-out-${message.messageId}`;
    await SimulatorReply.updateOne(
      { _id: externalId },
      {
        $setOnInsert: {
          channelId: channel.id,
          text: message.text,
          visibility: message.visibility,
          inReplyTo: message.inReplyToExternalId,
          recipient: message.recipientExternalId,
          ...(message.quickReplies ? { quickReplies: message.quickReplies } : {}),
          sentAt: new Date(),
        },
      },
      { upsert: true },
    );
    return { externalId };
  },
};
