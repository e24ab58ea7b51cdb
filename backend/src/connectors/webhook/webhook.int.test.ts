import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { SIGNATURE_HEADER, WEBHOOK_TIMESTAMP_HEADER, type WebhookChannelDelivery } from '@parley/common';
import { Channel, type ChannelDoc } from '../../channels/channel.model';
import { encryptCredentials } from '../../channels/credentials';
import { Contact } from '../../contacts/contact.model';
import { RawEvent } from '../../ingest/raw-event.model';
import { TEST_CREDENTIALS_KEY } from '../../test/factories';
import { httpServer, useParley } from '../../test/harness';
import { Message, type MessageDoc } from '../../tickets/message.model';
import { Ticket } from '../../tickets/ticket.model';
import { hmacSha256 } from '../signature';
import { signWebhookBody } from './webhook.connector';

const parley = useParley(['api', 'worker'], { CREDENTIALS_KEY: TEST_CREDENTIALS_KEY });
const http = () => request(httpServer(parley()));
const unique = () => randomBytes(4).toString('hex');

async function webhookChannel(): Promise<ChannelDoc & { secret: string }> {
  const secret = `secret-${unique()}-${unique()}`;
  const channel = await Channel.create({
    kind: 'webhook',
    name: `Web chat ${unique()}`,
    externalAccountId: `webhook-${unique()}`,
    status: 'active',
    settings: { callbackUrl: 'http://127.0.0.1:9/unused' },
    credentialsEncrypted: encryptCredentials({ secret }, TEST_CREDENTIALS_KEY),
  });
  return { ...channel.toObject<ChannelDoc>(), secret };
}

type TestChannel = Awaited<ReturnType<typeof webhookChannel>>;

const post = (channel: TestChannel, body: string) =>
  http().post(`/webhooks/webhook/${channel._id.toHexString()}`).set('content-type', 'application/json').send(body);
const signed = (channel: TestChannel, body: string, secret = channel.secret) => post(channel, body).set(SIGNATURE_HEADER, `sha256=${hmacSha256(secret, body, 'hex')}`);

async function settled(rawEventId: string): Promise<{ status: string; error?: string | null }> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const raw = await RawEvent.findById(rawEventId).lean();
    if (raw && raw.status !== 'pending') return raw;
    if (Date.now() > deadline) throw new Error(`raw event ${rawEventId} still pending`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function deliver(channel: TestChannel, delivery: WebhookChannelDelivery): Promise<string> {
  const response = await signed(channel, JSON.stringify(delivery)).expect(200);
  const id = (response.body as { id: string }).id;
  expect(await settled(id)).toMatchObject({ status: 'processed' });
  return id;
}

const message = (fields: Partial<WebhookChannelDelivery['events'][number]> = {}): WebhookChannelDelivery['events'][number] => ({
  type: 'message',
  id: `m-${unique()}`,
  conversationId: 'chat-1',
  visibility: 'private',
  author: { id: 'visitor-9', handle: 'kay', name: 'Kay Jay', followers: 12, verified: false },
  text: 'Where is my order?',
  sentAt: '2026-11-20T09:00:00.000Z',
  ...fields,
});

describe('generic webhook channel intake', () => {
  it('answers the handshake GET with 200', async () => {
    const channel = await webhookChannel();
    await http().get(`/webhooks/webhook/${channel._id.toHexString()}`).expect(200);
  });

  it('refuses a bad, missing, changed-body, stale or other channel\'s signature with 401 and stores nothing', async () => {
    const channel = await webhookChannel();
    const other = await webhookChannel();
    const body = JSON.stringify({ events: [message()] });

    await post(channel, body).expect(401);
    await post(channel, body).set(SIGNATURE_HEADER, 'sha256=deadbeef').expect(401);
    await post(channel, body.replace('order', 'ORDER')).set(SIGNATURE_HEADER, `sha256=${hmacSha256(channel.secret, body, 'hex')}`).expect(401);
    await signed(channel, body, other.secret).expect(401);
    const staleAt = Math.floor(Date.now() / 1000) - 6 * 60;
    await post(channel, body).set(signWebhookBody(channel.secret, body, staleAt)).expect(401);
    // A timestamp header the signature does not cover is a changed delivery.
    await signed(channel, body).set(WEBHOOK_TIMESTAMP_HEADER, String(Math.floor(Date.now() / 1000))).expect(401);
    expect(await RawEvent.countDocuments({ channelId: channel._id })).toBe(0);

    // Signed both ways, it is accepted.
    await signed(channel, body).expect(200);
    await post(channel, body).set(signWebhookBody(channel.secret, body)).expect(200);
  });

  it('ingests the documented shape: messages, a public reply thread, edits and deletes, each message once', async () => {
    const channel = await webhookChannel();
    const first = message({ visibility: 'public', conversationId: 'review-7', text: 'Two stars: late delivery', language: 'en', attachments: [{ type: 'image', url: 'https://example.test/box.jpg' }] });
    const followUp = message({ visibility: 'public', conversationId: 'review-7', parentId: first.id, text: 'Still waiting' });
    await deliver(channel, { events: [first, followUp] });
    // Delivered again: nothing new.
    await deliver(channel, { events: [first] });

    const stored = await Message.find({ channelId: channel._id }).sort({ sentAt: 1, _id: 1 }).lean<MessageDoc[]>();
    expect(stored).toHaveLength(2);
    expect(stored[0]).toMatchObject({ direction: 'inbound', visibility: 'public', externalId: first.id, externalThreadId: 'review-7', text: 'Two stars: late delivery', language: 'en' });
    expect(stored[0]?.attachments).toEqual([expect.objectContaining({ type: 'image', url: 'https://example.test/box.jpg' })]);
    expect(stored[1]).toMatchObject({ externalParentId: first.id });
    expect(stored[0]?.ticketId?.toHexString()).toBe(stored[1]?.ticketId?.toHexString());
    const contact = await Contact.findById(stored[0]?.contactId).lean();
    expect(contact?.identities).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'webhook', externalId: 'visitor-9', handle: 'kay' })]));

    await deliver(channel, { events: [{ ...first, type: 'edit', text: 'Three stars: late, but kind staff' }] });
    const edited = await Message.findOne({ channelId: channel._id, externalId: first.id }).lean<MessageDoc>();
    expect(edited).toMatchObject({ text: 'Three stars: late, but kind staff', previousTexts: ['Two stars: late delivery'] });

    await deliver(channel, { events: [{ ...followUp, type: 'delete' }] });
    expect(await Message.findOne({ channelId: channel._id, externalId: followUp.id }).lean()).toMatchObject({ deleted: true, text: 'Still waiting' });
    expect(await Ticket.countDocuments({ channelId: channel._id })).toBe(1);
  });

  it('stores emoji, right-to-left and zero-width text exactly as sent', async () => {
    const channel = await webhookChannel();
    const texts = ['👩🏽‍💻 my 📦 never came 🙃', 'طلبي لم يصل بعد، أين هو؟', 'שלום, ההזמנה שלי?', 'zero\u200Bwidth\u200Cjoin\u200Dhere\uFEFF and\u2066isolate\u2069'];
    const events = texts.map((text) => message({ text }));
    await deliver(channel, { events });
    for (const event of events) {
      expect((await Message.findOne({ channelId: channel._id, externalId: event.id }).lean())?.text).toBe(event.text);
    }
  });

  it('answers 200 to a signed body that does not fit the shape and keeps it as a failed raw event with the reason', async () => {
    const channel = await webhookChannel();
    const missingAuthor = await signed(channel, JSON.stringify({ events: [{ ...message(), author: undefined }] })).expect(200);
    expect(await settled((missingAuthor.body as { id: string }).id)).toMatchObject({ status: 'failed', error: expect.stringMatching(/events\.0\.author/) as unknown });

    const wrongType = await signed(channel, JSON.stringify({ events: [{ ...message(), sentAt: 'yesterday' }] })).expect(200);
    expect(await settled((wrongType.body as { id: string }).id)).toMatchObject({ status: 'failed', error: expect.stringMatching(/sentAt/) as unknown });

    const tooMany = await signed(channel, JSON.stringify({ events: Array.from({ length: 1_001 }, () => message()) })).expect(200);
    expect(await settled((tooMany.body as { id: string }).id)).toMatchObject({ status: 'failed', error: expect.stringMatching(/events/) as unknown });

    const notJson = await signed(channel, '{"events": [').expect(200);
    expect(await settled((notJson.body as { id: string }).id)).toMatchObject({ status: 'failed' });
    expect(await Message.countDocuments({ channelId: channel._id })).toBe(0);
  });
});

describe('URLs from webhook senders', () => {
  const droppedCount = async (kind: string, field: string): Promise<number> => {
    const text = (await http().get('/metrics').expect(200)).text;
    const line = text.split('\n').find((entry) => entry.startsWith(`parley_platform_urls_dropped_total{kind="${kind}",field="${field}"}`));
    return line ? Number(line.split(' ').at(-1)) : 0;
  };

  it('keeps only http(s) avatar and attachment URLs, stores the rest without them and counts what it dropped', async () => {
    const channel = await webhookChannel();
    const avatarsBefore = await droppedCount('webhook', 'avatarUrl');
    const attachmentsBefore = await droppedCount('webhook', 'attachments.url');
    const event = message({
      author: { id: `visitor-${unique()}`, name: 'Mallory', avatarUrl: 'javascript:alert(1)' },
      attachments: [
        { type: 'image', url: 'data:image/svg+xml;base64,PHN2Zy8+', name: 'pic.svg' },
        { type: 'file', url: 'https://files.example.com/receipt.pdf', name: 'receipt.pdf', mimeType: 'application/pdf' },
        { type: 'link', url: '/api/tickets' },
        { type: 'link', url: 'http://shop.example.com/orders/42' },
        { type: 'other', url: 'not a url at all' },
      ],
    });
    await deliver(channel, { events: [event] });

    const stored = await Message.findOne({ channelId: channel._id, externalId: event.id }).lean<MessageDoc>();
    expect(stored?.text).toBe('Where is my order?');
    expect(stored?.attachments).toEqual([
      { type: 'image', name: 'pic.svg' },
      { type: 'file', url: 'https://files.example.com/receipt.pdf', name: 'receipt.pdf', mimeType: 'application/pdf' },
      { type: 'link' },
      { type: 'link', url: 'http://shop.example.com/orders/42' },
      { type: 'other' },
    ]);
    const contact = await Contact.findById(stored?.contactId).lean();
    expect(contact?.name).toBe('Mallory');
    expect(contact?.avatarUrl).toBeUndefined();
    expect(contact?.identities[0]?.avatarUrl).toBeUndefined();
    expect(await droppedCount('webhook', 'avatarUrl')).toBe(avatarsBefore + 1);
    expect(await droppedCount('webhook', 'attachments.url')).toBe(attachmentsBefore + 3);
  });
});
