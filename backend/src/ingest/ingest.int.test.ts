import request from 'supertest';
import { SIGNATURE_HEADER, type SimulatorEvent } from '@parley/common';
import { Channel } from '../channels/channel.model';
import { hmacSha256 } from '../connectors/signature';
import { Contact, ContactIdentityKey } from '../contacts/contact.model';
import { rawEventListResponseSchema } from '@parley/common';
import { TEST_CREDENTIALS_KEY, TEST_PASSWORD, makeSimulatorChannel, makeSimulatorEvent, makeTeam, makeTicket, makeUser } from '../test/factories';
import { httpServer, useParley } from '../test/harness';
import { Message } from '../tickets/message.model';
import { Ticket, TicketThread } from '../tickets/ticket.model';
import { processRawEvent } from './inbound.processor';
import { RawEvent } from './raw-event.model';
import { sweepRawEvents } from './raw-event.sweeper';
import { testLog } from '../test/harness';

const parley = useParley(['api', 'worker'], { CREDENTIALS_KEY: TEST_CREDENTIALS_KEY });
type TestChannel = Awaited<ReturnType<typeof makeSimulatorChannel>>;

function signed(channel: TestChannel, body: string, secret = channel.secret) {
  return request(httpServer(parley()))
    .post(`/webhooks/simulator/${channel._id.toHexString()}`)
    .set('content-type', 'application/json')
    .set(SIGNATURE_HEADER, `sha256=${hmacSha256(secret, body, 'hex')}`)
    .send(body);
}

async function deliver(channel: TestChannel, ...events: SimulatorEvent[]): Promise<string> {
  const response = await signed(channel, JSON.stringify({ events })).expect(200);
  return (response.body as { id: string }).id;
}

async function settled(rawEventId: string): Promise<string> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const raw = await RawEvent.findById(rawEventId).lean();
    if (raw && raw.status !== 'pending') return raw.status;
    if (Date.now() > deadline) throw new Error(`raw event ${rawEventId} still pending`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const messagesOf = (channel: TestChannel) => Message.find({ channelId: channel._id }).lean();
const ticketsOf = (channel: TestChannel) => Ticket.find({ channelId: channel._id }).lean();

describe('webhook intake', () => {
  it('rejects a bad signature with 401 and stores nothing', async () => {
    const channel = await makeSimulatorChannel();
    const body = JSON.stringify({ events: [makeSimulatorEvent()] });
    await signed(channel, body, 'someone-elses-secret').expect(401);
    await signed(channel, body.replace('order', 'ORDER')).set(SIGNATURE_HEADER, `sha256=${hmacSha256(channel.secret, body, 'hex')}`).expect(401);
    await request(httpServer(parley())).post(`/webhooks/simulator/${channel._id.toHexString()}`).send(body).expect(401);
    expect(await RawEvent.countDocuments({ channelId: channel._id })).toBe(0);
  });

  it('answers 404 for an unknown channel or kind, 410 for a disabled one, 413 for an oversized body', async () => {
    const channel = await makeSimulatorChannel();
    await request(httpServer(parley())).post('/webhooks/simulator/000000000000000000000000').send('{}').expect(404);
    await request(httpServer(parley())).post(`/webhooks/myspace/${channel._id.toHexString()}`).send('{}').expect(404);
    await request(httpServer(parley())).post('/webhooks/simulator/not-an-id').send('{}').expect(404);
    const disabled = await makeSimulatorChannel({ status: 'disabled' });
    const gone = await signed(disabled, '{}').expect(410);
    expect(gone.body).toMatchObject({ error: { code: 'gone' } });
    await signed(channel, JSON.stringify({ events: [makeSimulatorEvent({ text: 'x'.repeat(1_100_000) })] })).expect(413);
  });

  it('stores a body that passed the signature but makes no sense as failed, with the reason, and still answers 200', async () => {
    const channel = await makeSimulatorChannel();
    const broken = await deliver(channel, { ...makeSimulatorEvent(), at: 'yesterday' });
    expect(await settled(broken)).toBe('failed');
    expect((await RawEvent.findById(broken).lean())?.error).toMatch(/^payload: events\.0\.at/);

    const notJson = (await signed(channel, '{"events": [').expect(200).then((response) => response.body as { id: string })).id;
    expect(await settled(notJson)).toBe('failed');
    expect((await RawEvent.findById(notJson).lean())?.error).toBe('body: not valid JSON');
  });
});

describe('failed deliveries', () => {
  it('lists failed raw events for supervisors only, and a retry processes one once it can be', async () => {
    const channel = await makeSimulatorChannel();
    const failed = await deliver(channel, { ...makeSimulatorEvent(), at: 'not a time' });
    expect(await settled(failed)).toBe('failed');

    const agentLogin = await makeUser();
    const supervisorLogin = await makeUser({ role: 'supervisor' });
    const token = async (email: string) =>
      ((await request(httpServer(parley())).post('/api/auth/login').send({ email, password: TEST_PASSWORD }).expect(200)).body as { token: string }).token;
    const agent = { authorization: `Bearer ${await token(agentLogin.email)}` };
    const supervisor = { authorization: `Bearer ${await token(supervisorLogin.email)}` };

    await request(httpServer(parley())).get('/api/raw-events').set(agent).expect(403);
    const list = rawEventListResponseSchema.parse((await request(httpServer(parley())).get('/api/raw-events').query({ channelId: channel._id.toHexString() }).set(supervisor).expect(200)).body);
    expect(list.items.map((item) => [item.id, item.status])).toEqual([[failed, 'failed']]);
    expect(list.items[0]?.error).toMatch(/^payload: /);

    // Mend the stored body (as a fixed connector would read it), then retry.
    const mended = JSON.stringify({ events: [makeSimulatorEvent()] });
    await RawEvent.updateOne({ _id: failed }, { $set: { body: mended } });
    await request(httpServer(parley())).post(`/api/raw-events/${failed}/retry`).set(supervisor).expect(202);
    expect(await settled(failed)).toBe('processed');
    expect(await messagesOf(channel)).toHaveLength(1);
  });
});

describe('ingest', () => {
  it('turns a mention into a contact, a message and a numbered ticket in the channel\'s team', async () => {
    const team = await makeTeam();
    const channel = await makeSimulatorChannel({ teamId: team._id });
    const event = makeSimulatorEvent({ text: '@acme the app logs me out 😡 مرحبا\u200b', author: { id: 'kay', followers: 24_500_000, verified: true } });
    expect(await settled(await deliver(channel, event))).toBe('processed');

    const [message] = await messagesOf(channel);
    const [ticket] = await ticketsOf(channel);
    expect(message).toMatchObject({ text: event.text, direction: 'inbound', visibility: 'public', ingestState: 'done', externalId: event.id });
    expect(ticket).toMatchObject({ status: 'new', origin: 'public', teamId: team._id, unreadCount: 1, messageCount: 1, lastMessagePreview: event.text.replace(/\s+/g, ' ').trim() });
    expect(ticket?.number).toBeGreaterThan(0);
    expect(message?.ticketId?.equals(ticket?._id)).toBe(true);
    const contact = await Contact.findById(message?.contactId).lean();
    expect(contact?.identities).toEqual([expect.objectContaining({ kind: 'simulator', externalId: 'kay', followers: 24_500_000, verified: true })]);
  });

  it('stores a re-delivered body once', async () => {
    const channel = await makeSimulatorChannel();
    const event = makeSimulatorEvent();
    const first = await deliver(channel, event);
    const second = await deliver(channel, event);
    expect([await settled(first), await settled(second)]).toEqual(['processed', 'processed']);
    expect(await messagesOf(channel)).toHaveLength(1);
    expect(await ticketsOf(channel)).toHaveLength(1);
    expect((await ticketsOf(channel))[0]?.messageCount).toBe(1);
  });

  it('stores one message and one ticket when the same event is processed concurrently', async () => {
    const channel = await makeSimulatorChannel();
    const event = makeSimulatorEvent();
    const body = JSON.stringify({ events: [event] });
    const raws = await RawEvent.insertMany(
      Array.from({ length: 6 }, () => ({ channelId: channel._id, kind: 'simulator', body, status: 'pending', receivedAt: new Date(), enqueuedAt: new Date() })),
    );
    const { config, ingestDeps } = parley();
    await Promise.all(raws.map((raw) => processRawEvent(raw._id.toHexString(), config, ingestDeps, testLog())));

    expect(await messagesOf(channel)).toHaveLength(1);
    const tickets = await ticketsOf(channel);
    expect(tickets).toHaveLength(1);
    expect(tickets[0]).toMatchObject({ messageCount: 1, unreadCount: 1 });
    expect(await ContactIdentityKey.countDocuments({ _id: 'simulator:customer-1' })).toBe(1);
  });

  it('puts concurrent first messages of one thread into one ticket', async () => {
    const channel = await makeSimulatorChannel();
    const thread = `root-${Date.now()}`;
    const replies = Array.from({ length: 5 }, (_, index) => makeSimulatorEvent({ kind: 'reply', thread, author: { id: `fan-${index}` } }));
    const ids = await Promise.all(replies.map((reply) => deliver(channel, reply)));
    await Promise.all(ids.map(settled));
    expect(await messagesOf(channel)).toHaveLength(5);
    const tickets = await ticketsOf(channel);
    expect(tickets).toHaveLength(1);
    expect(tickets[0]?.messageCount).toBe(5);
  });

  it('finishes an ingest that crashed between its writes, without a second message or ticket', async () => {
    const channel = await makeSimulatorChannel();
    const event = makeSimulatorEvent();
    // The state a worker killed right after claiming the message and the thread key leaves behind.
    const orphanTicketId = new (await import('mongoose')).Types.ObjectId();
    await TicketThread.create({ _id: `${channel._id.toHexString()}:t:${event.id}`, ticketId: orphanTicketId });
    await Message.create({
      channelId: channel._id, direction: 'inbound', visibility: 'public', text: event.text, externalId: event.id,
      deliveryState: 'received', sentAt: new Date(event.at), ingestState: 'claimed', ticketId: null,
    });

    expect(await settled(await deliver(channel, event))).toBe('processed');
    const messages = await messagesOf(channel);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ ingestState: 'done', ticketId: orphanTicketId });
    const tickets = await ticketsOf(channel);
    expect(tickets).toHaveLength(1);
    expect(tickets[0]).toMatchObject({ _id: orphanTicketId, messageCount: 1 });
  });

  it('finishes an ingest that crashed after opening the ticket and before storing the message, counting the message once', async () => {
    const channel = await makeSimulatorChannel();
    const event = makeSimulatorEvent();
    // The first attempt created the thread key and the ticket (born counting its opening message), then died.
    const ticket = await makeTicket({ channelId: channel._id, subject: 'opened by a crashed ingest' });
    await Ticket.updateOne({ _id: ticket._id }, { $set: { openingExternalId: event.id, messageCount: 1, unreadCount: 1 } });
    await TicketThread.create({ _id: `${channel._id.toHexString()}:t:${event.id}`, ticketId: ticket._id });

    expect(await settled(await deliver(channel, event))).toBe('processed');
    const messages = await messagesOf(channel);
    expect(messages).toHaveLength(1);
    expect(messages[0]?.ticketId?.equals(ticket._id)).toBe(true);
    expect(await Ticket.findById(ticket._id).lean()).toMatchObject({ messageCount: 1, unreadCount: 1 });

    // A later message of the same thread is counted as usual.
    await settled(await deliver(channel, makeSimulatorEvent({ kind: 'reply', thread: event.id, parent: event.id })));
    expect(await Ticket.findById(ticket._id).lean()).toMatchObject({ messageCount: 2, unreadCount: 2 });
  });

  it('re-queues a pending raw event whose job was lost, and a second sweep does nothing', async () => {
    const channel = await makeSimulatorChannel();
    const body = JSON.stringify({ events: [makeSimulatorEvent()] });
    const longAgo = new Date(Date.now() - 5 * 60_000);
    const raw = await RawEvent.create({ channelId: channel._id, kind: 'simulator', body, status: 'pending', receivedAt: longAgo, enqueuedAt: longAgo });

    expect(await sweepRawEvents(parley().queues, testLog(), { staleAfterMs: 60_000 })).toBeGreaterThanOrEqual(1);
    expect(await settled(raw._id.toHexString())).toBe('processed');
    expect(await sweepRawEvents(parley().queues, testLog(), { staleAfterMs: 60_000 })).toBe(0);
    expect(await messagesOf(channel)).toHaveLength(1);
  });
});

describe('ticket numbers', () => {
  it('stay unique and readable when the Redis counter is lost or a number is already taken', async () => {
    const channel = await makeSimulatorChannel();
    await settled(await deliver(channel, makeSimulatorEvent()));
    const first = (await ticketsOf(channel))[0]?.number ?? 0;

    await parley().redis.client.del(`${parley().config.QUEUE_PREFIX}:counter:ticketNumber`);
    await settled(await deliver(channel, makeSimulatorEvent()));
    // Someone else takes the number the counter would hand out next.
    await makeTicket({ subject: 'taken' });
    await settled(await deliver(channel, makeSimulatorEvent()));

    const numbers = (await ticketsOf(channel)).map((ticket) => ticket.number).sort((a, b) => a - b);
    expect(numbers).toHaveLength(3);
    expect(numbers[1]).toBe(first + 1);
    expect(new Set([...numbers, ...(await Ticket.find({ subject: 'taken' }).lean()).map((ticket) => ticket.number)]).size).toBe(4);
  });
});

describe('threading', () => {
  it('keeps a reply chain in one ticket, and a reply to a stored message joins its ticket even without a thread id', async () => {
    const channel = await makeSimulatorChannel();
    const root = makeSimulatorEvent({ kind: 'mention' });
    const reply = makeSimulatorEvent({ kind: 'reply', thread: root.id, parent: root.id, author: { id: 'friend' } });
    const replyToReply = makeSimulatorEvent({ kind: 'reply', parent: reply.id, thread: `elsewhere-${reply.id}` });
    await settled(await deliver(channel, root));
    await settled(await deliver(channel, reply));
    await settled(await deliver(channel, replyToReply));
    const tickets = await ticketsOf(channel);
    expect(tickets).toHaveLength(1);
    expect(tickets[0]?.messageCount).toBe(3);
  });

  it('joins a DM to the contact\'s open private ticket, keeps public posts apart, and reopens a recently solved one', async () => {
    const channel = await makeSimulatorChannel();
    const author = { id: `dm-person-${Date.now()}` };
    await settled(await deliver(channel, makeSimulatorEvent({ kind: 'dm', author }), makeSimulatorEvent({ kind: 'dm', author })));
    await settled(await deliver(channel, makeSimulatorEvent({ kind: 'mention', author })));
    let tickets = await Ticket.find({ channelId: channel._id }).sort({ number: 1 }).lean();
    expect(tickets.map((ticket) => [ticket.origin, ticket.messageCount])).toEqual([['private', 2], ['public', 1]]);

    await Ticket.updateOne({ _id: tickets[0]?._id }, { $set: { status: 'solved', solvedAt: new Date() } });
    await settled(await deliver(channel, makeSimulatorEvent({ kind: 'dm', author })));
    tickets = await Ticket.find({ channelId: channel._id, origin: 'private' }).lean();
    expect(tickets).toHaveLength(1);
    expect(tickets[0]).toMatchObject({ status: 'open', messageCount: 3 });

    await Ticket.updateOne({ _id: tickets[0]?._id }, { $set: { status: 'closed' } });
    await settled(await deliver(channel, makeSimulatorEvent({ kind: 'dm', author })));
    const privateTickets = await Ticket.find({ channelId: channel._id, origin: 'private' }).sort({ number: 1 }).lean();
    expect(privateTickets.map((ticket) => [ticket.status, ticket.messageCount])).toEqual([['closed', 3], ['new', 1]]);
  });

  it('treats one person on two channels as one contact only through their identity on each channel kind', async () => {
    const first = await makeSimulatorChannel();
    const second = await makeSimulatorChannel();
    const author = { id: `shared-${Date.now()}` };
    await settled(await deliver(first, makeSimulatorEvent({ kind: 'dm', author })));
    await settled(await deliver(second, makeSimulatorEvent({ kind: 'dm', author })));
    const contactIds = new Set((await Message.find({ channelId: { $in: [first._id, second._id] } }).lean()).map((message) => message.contactId?.toHexString()));
    expect(contactIds.size).toBe(1);
    // One ticket per channel: the reply goes out where the customer wrote.
    expect(await Ticket.countDocuments({ channelId: { $in: [first._id, second._id] } })).toBe(2);
    await Channel.deleteMany({ _id: { $in: [first._id, second._id] } });
  });
});
