import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { io as connect, type Socket } from 'socket.io-client';
import { SIGNATURE_HEADER, channelEventSchema, type ClientToServerEvents, type ServerToClientEvents, type WebhookChannelDelivery } from '@parley/common';
import { Channel } from '../channels/channel.model';
import { hmacSha256 } from '../connectors/signature';
import { registry } from '../metrics';
import { startWebhookReceiver, type WebhookReceiver } from '../test/fakes/webhook-receiver';
import { TEST_CREDENTIALS_KEY, TEST_PASSWORD, makeTeam, makeUser } from '../test/factories';
import { httpServer, testLog, useParley } from '../test/harness';
import { Message, type MessageDoc } from '../tickets/message.model';
import { Types } from 'mongoose';
import { deliverMessage, type OutboundDeps } from './outbound.processor';
import { Ticket, type TicketDoc } from '../tickets/ticket.model';
import { eventually } from '../test/eventually';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

const parley = useParley(['api', 'worker'], { CREDENTIALS_KEY: TEST_CREDENTIALS_KEY });
const http = () => request(httpServer(parley()));
const receivers: WebhookReceiver[] = [];
const clients: Client[] = [];
afterAll(async () => {
  for (const client of clients) client.disconnect();
  await Promise.all(receivers.map((receiver) => receiver.close()));
});

const unique = () => randomBytes(4).toString('hex');

async function signedIn(fields: Parameters<typeof makeUser>[0] = {}) {
  const user = await makeUser(fields);
  const login = await http().post('/api/auth/login').send({ email: user.email, password: TEST_PASSWORD }).expect(200);
  const token = (login.body as { token: string }).token;
  return { user, token, auth: { authorization: `Bearer ${token}` } };
}

/** A webhook channel connected through the API, a customer's message on it, and the ticket it opened. */
async function conversation() {
  const secret = `secret-${unique()}-${unique()}`;
  const receiver = await startWebhookReceiver(secret);
  receivers.push(receiver);
  const team = await makeTeam();
  const admin = await signedIn({ role: 'admin' });
  const created = await http()
    .post('/api/channels')
    .set(admin.auth)
    .send({ kind: 'webhook', name: `Web chat ${unique()}`, credentials: { secret }, settings: { callbackUrl: receiver.url }, teamId: team._id.toHexString() })
    .expect(201);
  const channelId = (created.body as { id: string }).id;
  const customerMessageId = `chat-${unique()}`;
  const delivery: WebhookChannelDelivery = {
    events: [
      {
        type: 'message',
        id: customerMessageId,
        conversationId: 'session-42',
        visibility: 'private',
        author: { id: 'visitor-7', name: 'Kay Jay' },
        text: 'Where is my order?',
        sentAt: new Date().toISOString(),
      },
    ],
  };
  const body = JSON.stringify(delivery);
  await http()
    .post(`/webhooks/webhook/${channelId}`)
    .set('content-type', 'application/json')
    .set(SIGNATURE_HEADER, `sha256=${hmacSha256(secret, body, 'hex')}`)
    .send(body)
    .expect(200);
  const ticket = await eventually(() => Ticket.findOne({ channelId }).lean<TicketDoc>(), Boolean);
  const agent = await signedIn({ teamIds: [team._id] });
  return { receiver, admin, agent, channelId, ticket: ticket!, customerMessageId };
}

type Conversation = Awaited<ReturnType<typeof conversation>>;

async function reply(chat: Conversation, text = 'It ships today.'): Promise<string> {
  const response = await http().post(`/api/tickets/${chat.ticket._id.toHexString()}/messages`).set(chat.agent.auth).send({ text, visibility: 'private' }).expect(202);
  return (response.body as { id: string }).id;
}

const settled = (messageId: string) =>
  eventually(
    () => Message.findById(messageId).lean<MessageDoc>(),
    (message) => message?.deliveryState === 'sent' || message?.deliveryState === 'failed',
    `reply ${messageId} to be sent or failed`,
    // Retries back off with jitter: a few attempts may take this long.
    45_000,
  ).then((message) => message!);

async function deliveriesCounted(outcome: string): Promise<number> {
  const metric = (await registry.getMetricsAsJSON()).find((entry) => entry.name === 'parley_outbound_deliveries_total');
  return metric?.values.filter((value) => value.labels.kind === 'webhook' && value.labels.outcome === outcome).reduce((sum, value) => sum + value.value, 0) ?? 0;
}

describe('outbound delivery over the webhook channel', () => {
  it('POSTs the signed reply with its context and Idempotency-Key, and records the receiver\'s id', async () => {
    const chat = await conversation();
    const before = await deliveriesCounted('sent');
    const messageId = await reply(chat, 'It ships today 📦 — شكرا');
    const message = await settled(messageId);

    expect(message.deliveryState).toBe('sent');
    expect(chat.receiver.requests).toHaveLength(1);
    const [received] = chat.receiver.requests;
    expect(received?.signatureValid).toBe(true);
    expect(received?.headers['idempotency-key']).toBe(messageId);
    expect(received?.body).toMatchObject({
      type: 'reply',
      id: messageId,
      conversationId: 'session-42',
      inReplyTo: chat.customerMessageId,
      recipient: 'visitor-7',
      visibility: 'private',
      text: 'It ships today 📦 — شكرا',
    });
    expect(message.externalId).toBe(chat.receiver.stored.get(messageId)?.id);
    expect(await deliveriesCounted('sent')).toBe(before + 1);
  });

  it('waits out 429s (Retry-After) without using up attempts, then sends once', async () => {
    const chat = await conversation();
    // More rate limits than a job has attempts: none of them counts as a failure.
    chat.receiver.answerNext(...Array.from({ length: 7 }, () => ({ status: 429 as const, retryAfterSeconds: 0 })));
    const messageId = await reply(chat);
    const message = await settled(messageId);

    expect(message.deliveryState).toBe('sent');
    expect(chat.receiver.requests).toHaveLength(8);
    expect(chat.receiver.stored.size).toBe(1);
  });

  it('retries a 503 with backoff and then sends', async () => {
    const chat = await conversation();
    chat.receiver.answerNext({ status: 503 });
    const messageId = await reply(chat);
    const message = await settled(messageId);

    expect(message).toMatchObject({ deliveryState: 'sent', failureReason: null });
    expect(chat.receiver.requests).toHaveLength(2);
    expect(chat.receiver.stored.size).toBe(1);
  });

  it('fails a reply the receiver refuses (400) at once with its reason, and the agent can retry it', async () => {
    const chat = await conversation();
    chat.receiver.answerNext({ status: 400, message: 'The chat session has ended' });
    const messageId = await reply(chat);
    const failed = await settled(messageId);

    expect(failed.deliveryState).toBe('failed');
    expect(failed.failureReason).toMatch(/The chat session has ended/);
    expect(chat.receiver.requests).toHaveLength(1);

    // Someone outside the ticket's team cannot; a sent or unknown message cannot be retried.
    const outsider = await signedIn({ teamIds: [(await makeTeam())._id] });
    const retryPath = `/api/tickets/${chat.ticket._id.toHexString()}/messages/${messageId}/retry`;
    await http().post(retryPath).set(outsider.auth).expect(403);
    const retried = await http().post(retryPath).set(chat.agent.auth).expect(202);
    expect(retried.body).toMatchObject({ id: messageId });
    const sent = await settled(messageId);
    expect(sent).toMatchObject({ deliveryState: 'sent', failureReason: null });
    expect(chat.receiver.stored.size).toBe(1);
    await http().post(retryPath).set(chat.agent.auth).expect(409);
    await http().post(`/api/tickets/${chat.ticket._id.toHexString()}/messages/000000000000000000000000/retry`).set(chat.agent.auth).expect(404);
  });

  it('on 401 fails the reply, marks the channel needs_reauth and tells admins live', async () => {
    const chat = await conversation();
    const client: Client = connect(`http://127.0.0.1:${parley().port}`, { auth: { token: chat.admin.token }, transports: ['websocket'], reconnection: false });
    clients.push(client);
    await new Promise<void>((resolve, reject) => {
      client.once('connect', resolve);
      client.once('connect_error', reject);
    });
    const updates: unknown[] = [];
    client.on('channel.updated', (payload) => updates.push(payload));

    chat.receiver.answerNext({ status: 401 });
    const messageId = await reply(chat);
    const message = await settled(messageId);
    expect(message.deliveryState).toBe('failed');
    expect(message.failureReason).toMatch(/this signing secret was revoked/);

    const channel = await Channel.findById(chat.channelId).lean();
    expect(channel).toMatchObject({ status: 'needs_reauth' });
    expect(channel?.statusReason).toMatch(/revoked/);
    await eventually(() => Promise.resolve(updates.length), (count) => count > 0);
    expect(channelEventSchema.parse(updates[0]).channel).toMatchObject({ id: chat.channelId, status: 'needs_reauth' });

    // Until an admin reconnects it, replies fail at once without calling the receiver.
    const next = await settled(await reply(chat));
    expect(next.failureReason).toMatch(/reconnected/);
    expect(chat.receiver.requests).toHaveLength(1);
  });

  it('never sends twice when the receiver took the reply and the connection dropped', async () => {
    const chat = await conversation();
    chat.receiver.answerNext('accept-then-drop');
    const messageId = await reply(chat);
    const message = await settled(messageId);

    expect(message.deliveryState).toBe('sent');
    // Asked twice, with one Idempotency-Key: the receiver stored one reply.
    expect(chat.receiver.requests).toHaveLength(2);
    expect(chat.receiver.requests.map((received) => received.headers['idempotency-key'])).toEqual([messageId, messageId]);
    expect(chat.receiver.stored.size).toBe(1);
    expect(message.externalId).toBe(chat.receiver.stored.get(messageId)?.id);
  });

  describe('one delivery attempt (the job\'s work, called directly)', () => {
    const deps = (): OutboundDeps => {
      const { config, events, locks, queues } = parley();
      return { config, events, locks, queues, log: testLog() };
    };

    /** A reply stored as queued without a job, so only this test delivers it. */
    async function unqueuedReply(chat: Conversation): Promise<string> {
      const _id = new Types.ObjectId();
      const customer = await Message.findOne({ channelId: chat.channelId, direction: 'inbound' }).lean<MessageDoc>();
      await Message.create({
        _id,
        ticketId: chat.ticket._id,
        channelId: chat.ticket.channelId,
        direction: 'outbound',
        visibility: 'private',
        text: 'On its way',
        contactId: null,
        authorUserId: null,
        externalId: `parley:${_id.toHexString()}`,
        externalThreadId: customer?.externalThreadId ?? null,
        externalParentId: customer?.externalId ?? null,
        deliveryState: 'queued',
        sentAt: new Date(),
        ingestState: 'done',
      });
      return _id.toHexString();
    }

    it('keeps a 5xx reply `sending` for the retry, sends it again with the same key, and fails it with the reason after the last attempt', async () => {
      const chat = await conversation();
      const messageId = await unqueuedReply(chat);

      chat.receiver.answerNext({ status: 503 });
      await expect(deliverMessage(messageId, deps(), false)).rejects.toThrow(/503/);
      expect(await Message.findById(messageId).lean()).toMatchObject({ deliveryState: 'sending' });

      chat.receiver.answerNext({ status: 503 });
      await expect(deliverMessage(messageId, deps(), true)).resolves.toBe('failed');
      const failed = await Message.findById(messageId).lean<MessageDoc>();
      expect(failed).toMatchObject({ deliveryState: 'failed', text: 'On its way' });
      expect(failed?.failureReason).toMatch(/503.*maintenance/);
      expect(chat.receiver.requests.map((received) => received.headers['idempotency-key'])).toEqual([messageId, messageId]);
      expect(chat.receiver.stored.size).toBe(0);
    });

    it('lets only one of two concurrent jobs send a message', async () => {
      const chat = await conversation();
      const messageId = await unqueuedReply(chat);
      const outcomes = await Promise.all([deliverMessage(messageId, deps(), false), deliverMessage(messageId, deps(), false)]);
      expect(outcomes.sort()).toEqual(['sent', 'skipped']);
      expect(chat.receiver.requests).toHaveLength(1);
      expect(await Message.findById(messageId).lean()).toMatchObject({ deliveryState: 'sent', externalId: chat.receiver.stored.get(messageId)?.id });
    });
  });
});
