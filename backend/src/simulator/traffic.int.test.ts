import request from 'supertest';
import { ticketListResponseSchema } from '@parley/common';
import { BotAnswer } from '../bot/bot-answer.model';
import { Channel } from '../channels/channel.model';
import { forgetChannel } from '../channels/channels.service';
import { decryptCredentials } from '../channels/credentials';
import { Contact } from '../contacts/contact.model';
import { RawEvent } from '../ingest/raw-event.model';
import { demoChannels, seedDemo } from '../seed/demo.seed';
import { TEST_CREDENTIALS_KEY } from '../test/factories';
import { httpServer, testLog, useParley } from '../test/harness';
import { Message, type MessageDoc } from '../tickets/message.model';
import { Ticket } from '../tickets/ticket.model';
import { Team } from '../users/team.model';
import { createSimulator, type Simulator } from './simulator.runner';
import type { GeneratedDelivery } from './traffic';
import { postDelivery } from './webhook.client';
import { eventually } from '../test/eventually';

const parley = useParley(['api', 'worker'], { CREDENTIALS_KEY: TEST_CREDENTIALS_KEY });
const DEMO_PASSWORD = 'demo password for the simulator test';
const EVENTS = 60;

const allProcessed = (expected: number) =>
  eventually(
    async () => ({ total: await RawEvent.countDocuments({}), pending: await RawEvent.countDocuments({ status: 'pending' }) }),
    ({ total, pending }) => total >= expected && pending === 0,
    `${expected} raw events to be processed`,
  );

async function agentAuth(): Promise<Record<string, string>> {
  const response = await request(httpServer(parley())).post('/api/auth/login').send({ email: 'agent@demo.parley', password: DEMO_PASSWORD }).expect(200);
  return { authorization: `Bearer ${(response.body as { token: string }).token}` };
}

describe('the demo seed', () => {
  it('makes three simulator channels imitating X, Facebook and Instagram for the demo team, once', async () => {
    expect(await seedDemo(DEMO_PASSWORD, TEST_CREDENTIALS_KEY, testLog())).toBe(true);
    expect(await seedDemo(DEMO_PASSWORD, TEST_CREDENTIALS_KEY, testLog())).toBe(false);
    const team = await Team.findOne({ name: 'Customer Care' }).lean();
    const channels = await Channel.find({ kind: 'simulator' }).sort({ _id: 1 }).lean();
    expect(channels.map((channel) => [channel.name, channel.settings.imitates, channel.status])).toEqual([
      ['Acme on X (simulated)', 'x', 'active'],
      ['Acme on Facebook (simulated)', 'facebook', 'active'],
      ['Acme on Instagram (simulated)', 'instagram', 'active'],
    ]);
    for (const channel of channels) {
      expect(channel.teamId?.equals(team?._id)).toBe(true);
      expect(decryptCredentials(channel.credentialsEncrypted, TEST_CREDENTIALS_KEY).secret?.length).toBeGreaterThanOrEqual(16);
    }
    expect(demoChannels).toHaveLength(3);
    // A newcomer sees the bot answer on one of them when the office is closed, from a knowledge base seeded with it.
    expect(channels.map((channel) => (channel.settings.bot as { mode?: string } | undefined)?.mode ?? 'off')).toEqual(['off', 'after_hours', 'off']);
    expect(await BotAnswer.countDocuments({})).toBeGreaterThanOrEqual(4);
  });
});

describe('the simulator against a running Parley', () => {
  let simulator: Simulator;
  let sent: GeneratedDelivery[] = [];

  beforeAll(async () => {
    // The demo's after-hours bot would answer at night, and the simulated customers answer it: this test is about deliveries.
    await Channel.updateMany({ kind: 'simulator' }, { $unset: { 'settings.bot': 1 } });
    for (const channel of await Channel.find({ kind: 'simulator' }, { _id: 1 }).lean()) forgetChannel(channel._id);
    simulator = createSimulator({
      baseUrl: `http://127.0.0.1:${parley().port}`,
      seed: 'traffic-int-test',
      ratePerMinute: 0,
      backlog: 0,
      credentialsKey: TEST_CREDENTIALS_KEY,
      answerProbability: 1,
      answerDelayMs: [0, 0],
      replyPollMs: 100,
      log: testLog(),
    });
    await simulator.start();
  });
  afterAll(() => simulator.stop());

  it('turns its deliveries into threaded tickets and messages, each stored once', async () => {
    sent = await simulator.deliver(EVENTS);
    await allProcessed(EVENTS);

    const messages = await Message.find({ direction: 'inbound' }).lean<MessageDoc[]>();
    expect(messages.map((message) => message.externalId).sort()).toEqual(sent.map((delivery) => delivery.event.id).sort());
    const messageOf = new Map(messages.map((message) => [message.externalId, message]));
    const ticketOf = (id: string) => messageOf.get(id)?.ticketId?.toHexString();
    for (const { event, channelId } of sent) {
      expect(messageOf.get(event.id)).toMatchObject({ text: event.text, language: event.lang, visibility: event.kind === 'dm' ? 'private' : 'public' });
      expect(messageOf.get(event.id)?.channelId.toHexString()).toBe(channelId);
    }

    // A reply joins its thread's ticket.
    const replies = sent.filter((delivery) => delivery.event.kind === 'reply');
    expect(replies.length).toBeGreaterThan(5);
    for (const { event } of replies) expect(ticketOf(event.id)).toBe(ticketOf(event.thread ?? ''));

    // Every DM of one customer on one channel is one conversation: the contact's open ticket.
    const dmTickets = new Map<string, Set<string | undefined>>();
    for (const { event, channelId } of sent.filter((delivery) => delivery.event.kind === 'dm')) {
      const key = `${channelId}:${event.author.id}`;
      dmTickets.set(key, (dmTickets.get(key) ?? new Set()).add(ticketOf(event.id)));
    }
    expect([...dmTickets.values()].every((tickets) => tickets.size === 1)).toBe(true);
    expect(sent.filter((delivery) => delivery.event.kind === 'dm').length).toBeGreaterThan(dmTickets.size);

    // One ticket per public thread and one per private conversation; one contact per person.
    const publicThreads = new Set(sent.filter((delivery) => delivery.event.kind !== 'dm').map((delivery) => delivery.event.thread));
    expect(await Ticket.countDocuments({})).toBe(publicThreads.size + dmTickets.size);
    expect(await Contact.countDocuments({})).toBe(new Set(sent.map((delivery) => delivery.event.author.id)).size);
    const tickets = await Ticket.find({}).lean();
    expect(tickets.reduce((sum, ticket) => sum + ticket.messageCount, 0)).toBe(EVENTS);

    // The agent of the demo team sees them.
    const list = ticketListResponseSchema.parse((await request(httpServer(parley())).get('/api/tickets').query({ limit: '100' }).set(await agentAuth()).expect(200)).body);
    expect(list.items).toHaveLength(tickets.length);

    // The platform delivers everything again: nothing is stored twice.
    const secrets = new Map((await Channel.find({ kind: 'simulator' }).lean()).map((channel) => [channel._id.toHexString(), decryptCredentials(channel.credentialsEncrypted, TEST_CREDENTIALS_KEY).secret ?? '']));
    for (const delivery of sent) {
      await postDelivery({ baseUrl: `http://127.0.0.1:${parley().port}`, channelId: delivery.channelId, secret: secrets.get(delivery.channelId) ?? '' }, [delivery.event]);
    }
    await allProcessed(2 * EVENTS);
    expect(await Message.countDocuments({ direction: 'inbound' })).toBe(EVENTS);
    expect(await Ticket.countDocuments({})).toBe(publicThreads.size + dmTickets.size);
    expect((await Ticket.find({}).lean()).reduce((sum, ticket) => sum + ticket.messageCount, 0)).toBe(EVENTS);
  }, 90_000);

  it('lets the customer answer an agent in the same conversation', async () => {
    const auth = await agentAuth();
    // A thread only its author wrote in (fans answer for the brand in others' threads, and the last to write answers).
    const mentions = sent.filter((delivery) => delivery.event.kind === 'mention' && !delivery.event.author.verified);
    const threadsWithOthers = new Set(sent.filter((delivery) => delivery.event.kind === 'reply').map((delivery) => delivery.event.thread));
    const mention = mentions.find((delivery) => !threadsWithOthers.has(delivery.event.thread));
    const dm = sent.find((delivery) => delivery.event.kind === 'dm');
    if (!mention || !dm) throw new Error('the stream has no mention or no DM');

    for (const [delivery, visibility] of [[mention, 'public'], [dm, 'private']] as const) {
      const original = await Message.findOne({ externalId: delivery.event.id }).lean<MessageDoc>();
      const ticketId = original?.ticketId?.toHexString() ?? '';
      const reply = await request(httpServer(parley()))
        .post(`/api/tickets/${ticketId}/messages`)
        .set(auth)
        .send({ text: 'Sorry about that! We are looking into it right now.', visibility })
        .expect(202);
      const replyId = `sim-out-${(reply.body as { id: string }).id}`;

      const answer = await eventually(
        () => Message.findOne({ externalId: `${replyId}-answer` }).lean<MessageDoc>(),
        (found) => found !== null && found.ticketId !== null,
        `the customer's answer to a ${visibility} reply`,
      );
      expect(answer?.ticketId?.toHexString()).toBe(ticketId);
      expect(answer).toMatchObject({ direction: 'inbound', visibility, language: delivery.event.lang, contactId: original?.contactId });
      if (visibility === 'public') expect(answer).toMatchObject({ externalParentId: replyId, externalThreadId: delivery.event.thread });
      expect(answer?.text.length).toBeGreaterThan(0);
    }
  });
});
