import type { Types } from 'mongoose';
import request from 'supertest';
import { io as connect, type Socket } from 'socket.io-client';
import {
  alertListResponseSchema,
  errorBodySchema,
  hashtagKnowledgeResponseSchema,
  messageListResponseSchema,
  ticketDetailSchema,
  ticketListResponseSchema,
  triageSettingsResponseSchema,
  type Alert,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type SimulatorEvent,
} from '@parley/common';
import { eventually } from '../test/eventually';
import { deliverToSimulator } from '../test/deliveries';
import { TEST_CREDENTIALS_KEY, makeSimulatorChannel, makeSimulatorEvent, makeTeam } from '../test/factories';
import { signedInAs } from '../test/sessions';
import { httpServer, testLog, useParley } from '../test/harness';
import { Message, type MessageDoc } from '../tickets/message.model';
import { Ticket, type TicketDoc } from '../tickets/ticket.model';
import { createStormDetector } from './storms';
import { realTriageSteps } from './triage.service';

const parley = useParley(['api', 'worker'], { CREDENTIALS_KEY: TEST_CREDENTIALS_KEY });
const http = () => request(httpServer(parley()));
type TestChannel = Awaited<ReturnType<typeof makeSimulatorChannel>>;
type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

let channel: TestChannel;
let agent: Record<string, string>;
let supervisor: Record<string, string>;
let supervisorToken: string;

let teamId: Types.ObjectId;

const signIn = (role: 'agent' | 'supervisor' | 'admin') => signedInAs(httpServer(parley()), { role, teamIds: [teamId] });

async function deliver(...events: SimulatorEvent[]): Promise<void> {
  await deliverToSimulator(httpServer(parley()), channel, events);
}

const stored = (externalId: string) =>
  eventually(
    () => Message.findOne({ channelId: channel._id, externalId }).lean(),
    (message) => message !== null,
    `message ${externalId} to be stored`,
  );

const celebrity = { id: 'celeb-1', handle: 'ricovega', name: 'Rico Vega', followers: 24_600_000, verified: true };

beforeAll(async () => {
  teamId = (await makeTeam())._id;
  channel = await makeSimulatorChannel({ teamId });
  agent = (await signIn('agent')).headers;
  const signedIn = await signIn('supervisor');
  supervisor = signedIn.headers;
  supervisorToken = signedIn.token;
});

describe('priority with a reason', () => {
  it('puts a high-reach negative public mention first in the queue, saying why', async () => {
    await deliver(
      makeSimulatorEvent({ id: 'calm-1', text: '@acme what time does the store on Main Street open on Sundays?', author: { id: 'calm-customer', followers: 120 } }),
      makeSimulatorEvent({ id: 'dm-1', kind: 'dm', text: 'hi, I need to change the address on my order', author: { id: 'dm-customer', followers: 40 } }),
      makeSimulatorEvent({ id: 'celeb-complaint', text: '@acme lost my bag AGAIN. 3rd time I ask and still waiting, not happy at all 😡', author: celebrity }),
    );
    const message = await stored('celeb-complaint');
    await stored('calm-1');
    await stored('dm-1');

    const list = ticketListResponseSchema.parse((await http().get('/api/tickets').query({ sort: 'priority', channelId: channel._id.toHexString() }).set(agent).expect(200)).body);
    const [first, ...rest] = list.items;
    expect(first).toMatchObject({ id: message.ticketId?.toHexString(), priority: 'urgent', prioritySource: 'triage', influenceTier: 'celebrity', reach: 24_600_000, language: 'en' });
    expect(first?.priorityReason).toMatch(/^celebrity reach · (very )?negative · public/);
    expect(first?.sentiment?.label).toBe('negative');
    expect(rest.map((ticket) => ticket.priority)).not.toContain('urgent');
    const calm = rest.find((ticket) => ticket.lastMessagePreview.includes('Sundays'));
    expect(calm).toMatchObject({ priority: 'normal', influenceTier: 'standard', priorityReason: 'standard reach · neutral · public' });

    const thread = messageListResponseSchema.parse((await http().get(`/api/tickets/${first!.id}/messages`).set(agent).expect(200)).body);
    expect(thread.items[0]).toMatchObject({ language: 'en', sentiment: { label: 'negative' } });
  });

  it('never overwrites an agent’s priority, and raises its own only within an episode', async () => {
    const ticket = await Ticket.findOne({ channelId: channel._id, influenceTier: 'celebrity' }).lean();
    await http().patch(`/api/tickets/${ticket!._id.toHexString()}`).set(agent).send({ priority: 'low' }).expect(200);
    await deliver(makeSimulatorEvent({ id: 'celeb-again', kind: 'reply', thread: 'celeb-complaint', parent: 'celeb-complaint', text: '@acme this is a disgrace, I want a refund now', author: celebrity }));
    await stored('celeb-again');
    const detail = ticketDetailSchema.parse((await http().get(`/api/tickets/${ticket!._id.toHexString()}`).set(agent).expect(200)).body);
    expect(detail).toMatchObject({ priority: 'low', prioritySource: 'user', messageCount: 2 });
    expect(detail.priorityReason).toMatch(/^set by /);
  });

  it('stores a message whose triage fails with priority by reach, and reads it again', async () => {
    const deps = parley().ingestDeps;
    deps.triageSteps = { ...realTriageSteps, analyze: () => { throw new Error('the analyser broke'); } };
    // What ingest stored and told the inbox, before the triage job (which may run at once) read it again.
    const atIngest = new Promise<{ message?: MessageDoc; ticket?: TicketDoc }>((resolve) => {
      const off = parley().events.on('message.created', ({ message, ticket }) => {
        if (message?.externalId !== 'while-broken') return;
        off();
        resolve({ message, ticket });
      });
    });
    try {
      await deliver(makeSimulatorEvent({ id: 'while-broken', text: '@acme the app keeps crashing and nobody answers, terrible', author: { id: 'big-account', handle: 'techunboxed', followers: 2_400_000, verified: true } }));
      const { message, ticket } = await atIngest;
      expect(message).toMatchObject({ triagePending: true, text: '@acme the app keeps crashing and nobody answers, terrible' });
      // 3 for celebrity reach, 1 for a public post by someone with reach: high, before anyone read the words.
      expect(ticket).toMatchObject({ priority: 'high', influenceTier: 'celebrity', priorityReason: 'celebrity reach · sentiment pending · public' });
    } finally {
      delete deps.triageSteps;
    }
    // The worker's triage job reads it again (its own steps work): sentiment known, the priority follows.
    const reread = await eventually(
      () => Message.findOne({ channelId: channel._id, externalId: 'while-broken' }).lean(),
      (message) => message !== null && message.triagePending === undefined && message.sentiment !== undefined,
      'the triage job to read the message again',
    );
    expect(reread?.sentiment?.label).toBe('negative');
    expect(await Message.countDocuments({ channelId: channel._id, externalId: 'while-broken' })).toBe(1);
    const ticket = await Ticket.findById(reread?.ticketId).lean();
    expect(ticket).toMatchObject({ priority: 'urgent', language: 'en', sentiment: { label: 'negative' } });
  });
});

describe('the brand’s lists', () => {
  it('lift a listed author to VIP, and a press list names itself in the reason', async () => {
    const vip = (await http().post('/api/vip-lists').set(supervisor).send({ name: 'Frequent flyers', kind: 'vip' }).expect(201)).body as { id: string };
    const press = (await http().post('/api/vip-lists').set(supervisor).send({ name: 'Travel press', kind: 'press' }).expect(201)).body as { id: string };
    await http().post(`/api/vip-lists/${vip.id}/entries`).set(supervisor).send({ platform: 'simulator', handle: '@Gold_Member' }).expect(201);
    await http().post(`/api/vip-lists/${press.id}/entries`).set(supervisor).send({ platform: 'simulator', externalId: 'reporter-1' }).expect(201);
    const words = '@acme my flight was cancelled and nobody helps, awful';
    await deliver(
      makeSimulatorEvent({ id: 'gold', text: words, author: { id: 'gold-1', handle: 'gold_member', followers: 90 } }),
      makeSimulatorEvent({ id: 'not-gold', text: words, author: { id: 'plain-1', handle: 'plain_member', followers: 90 } }),
      makeSimulatorEvent({ id: 'reporter', kind: 'dm', text: 'Hello, I am writing a story about the outage, could someone from the press office call me?', author: { id: 'reporter-1', handle: 'jo_writes', followers: 3_000 } }),
    );
    const gold = await Ticket.findById((await stored('gold')).ticketId).lean();
    const plain = await Ticket.findById((await stored('not-gold')).ticketId).lean();
    // The same words from someone on the list weigh two steps more (reach 2 points, and the public stage).
    expect(gold).toMatchObject({ influenceTier: 'vip' });
    expect(plain).toMatchObject({ influenceTier: 'standard' });
    expect(gold!.priorityRank).toBeGreaterThan(plain!.priorityRank);
    expect(gold?.priorityReason).toMatch(/^VIP list · (very )?negative · public/);
    const reporter = await Ticket.findById((await stored('reporter')).ticketId).lean();
    expect(reporter).toMatchObject({ influenceTier: 'vip' });
    expect(reporter?.priorityReason).toMatch(/^press list · /);
  });
});

describe('storms', () => {
  let socket: Client;
  const received: Array<{ name: 'alert.storm' | 'alert.storm_over'; alert: Alert }> = [];

  beforeAll(async () => {
    socket = connect(`http://127.0.0.1:${parley().port}`, { auth: { token: supervisorToken }, transports: ['websocket'], reconnection: false });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    socket.on('alert.storm', ({ alert }) => received.push({ name: 'alert.storm', alert }));
    socket.on('alert.storm_over', ({ alert }) => received.push({ name: 'alert.storm_over', alert }));
  });
  afterAll(() => socket.disconnect());

  const negative = (index: number, tag: string) =>
    makeSimulatorEvent({ id: `storm-${tag}-${index}`, text: `@acme the app is down again and nothing works, still waiting ${tag} 😡`, author: { id: `angry-${tag}-${index}`, followers: 100 + index } });

  const alerts = async (state: 'active' | 'over' | 'all' = 'all') => alertListResponseSchema.parse((await http().get('/api/alerts').query({ state }).set(supervisor).expect(200)).body).items;

  it('does not call three negative posts at night a storm', async () => {
    await deliver(negative(1, '#quietnight'), negative(2, '#quietnight'), negative(3, '#quietnight'));
    await stored('storm-#quietnight-3');
    await eventually(() => Message.countDocuments({ externalId: /^storm-#quietnight/ }), (count) => count === 3, 'the three posts');
    expect(await alerts()).toEqual([]);
  });

  it('raises exactly one alert for a storm, with its posts, reach and hashtags, feeds the hashtag guardrail, and says when it is over', async () => {
    await deliver(...Array.from({ length: 12 }, (_, index) => negative(index, '#AcmeDown')));
    // The brand's count may cross first; the alert then says what the storm is about once its hashtag's count crosses too.
    const [alert] = await eventually(() => alerts('active'), (items) => items[0]?.scope.type === 'hashtag', 'a storm alert about the hashtag');
    expect(alert).toMatchObject({ state: 'active', scope: { type: 'hashtag', value: '#acmedown' }, endedAt: null });
    expect(alert!.startCount).toBeGreaterThanOrEqual(10);
    expect(alert!.topHashtags[0]).toMatchObject({ tag: '#acmedown' });
    expect(alert!.posts.length).toBeGreaterThan(0);
    expect(alert!.posts[0]!.followers).toBeGreaterThanOrEqual(alert!.posts[alert!.posts.length - 1]!.followers);
    expect(alert!.totalReach).toBeGreaterThan(1_000);

    // More of the same storm: the same alert, no second one (the brand's own count is this storm too).
    await deliver(...Array.from({ length: 5 }, (_, index) => negative(100 + index, '#AcmeDown')));
    await stored('storm-#AcmeDown-104');
    await eventually(() => Message.countDocuments({ externalId: /^storm-#AcmeDown/ }), (count) => count === 17, 'all storm posts');
    // Counting for storms follows the message's storing: wait until all 17 are counted.
    const { redis, config, locks, events } = parley();
    await eventually(() => redis.client.get(`${config.QUEUE_PREFIX}:storm:hashtag:#acmedown:total`), (total) => Number(total) === 17, 'the storm count');
    expect(await alerts()).toHaveLength(1);
    await eventually(() => Promise.resolve(received), (events) => events.length === 1, 'the alert.storm event');
    expect(received).toEqual([{ name: 'alert.storm', alert: expect.objectContaining({ id: alert!.id, state: 'active' }) as Alert }]);

    // A public reply with the storm's hashtag gets a second look.
    const knowledge = hashtagKnowledgeResponseSchema.parse((await http().get(`/api/channels/${channel._id.toHexString()}/hashtags`).query({ tags: 'AcmeDown' }).set(agent).expect(200)).body);
    expect(knowledge.items[0]?.storm).toMatchObject({ alertId: alert!.id });

    // Eleven quiet minutes later the storm is over, once.
    const later = createStormDetector({ redis: redis.client, prefix: config.QUEUE_PREFIX, locks, events, log: testLog(), now: () => Date.now() + 11 * 60_000 });
    await later.evaluateAll();
    await later.evaluateAll();
    const [ended] = await alerts('all');
    expect(ended).toMatchObject({ id: alert!.id, state: 'over' });
    expect(ended!.mentions).toBeGreaterThanOrEqual(17);
    await eventually(() => Promise.resolve(received), (events) => events.length === 2, 'the alert.storm_over event');
    expect(received[1]).toMatchObject({ name: 'alert.storm_over', alert: { id: alert!.id, state: 'over' } });
    expect(await alerts('active')).toEqual([]);
  });

  it('lets supervisors and admins see alerts, not agents', async () => {
    const body = errorBodySchema.parse((await http().get('/api/alerts').set(agent).expect(403)).body);
    expect(body.error.code).toBe('forbidden');
    await http().get('/api/alerts').query({ state: 'stormy' }).set(supervisor).expect(400);
  });
});

describe('triage settings', () => {
  it('are read by supervisors, saved by admins, and checked field by field', async () => {
    const admin = (await signIn('admin')).headers;
    const current = triageSettingsResponseSchema.parse((await http().get('/api/triage-settings').set(supervisor).expect(200)).body);
    expect(current.settings.keywords).toEqual(expect.arrayContaining([{ term: 'lawsuit', level: 'urgent' }, { term: 'remboursement', level: 'raise' }, { term: 'abogado', level: 'urgent' }]));
    await http().put('/api/triage-settings').set(supervisor).send(current).expect(403);
    const invalid = errorBodySchema.parse((await http().put('/api/triage-settings').set(admin).send({ settings: { ...current.settings, keywords: [{ term: 'refund', level: 'extreme' }] } }).expect(400)).body);
    expect(invalid.error.field).toBe('settings.keywords.0.level');
    const saved = triageSettingsResponseSchema.parse(
      (await http().put('/api/triage-settings').set(admin).send({ settings: { keywords: [{ term: 'broken seat', level: 'high' }], storm: { ...current.settings.storm, minMentions: 20 } } }).expect(200)).body,
    );
    expect(saved).toMatchObject({ settings: { keywords: [{ term: 'broken seat', level: 'high' }], storm: { minMentions: 20 } }, updatedBy: expect.any(String) as string });

    // The new keyword weighs on the next message at once (in this process; others within seconds).
    await deliver(makeSimulatorEvent({ id: 'seat', text: '@acme there is a broken seat on my flight', author: { id: 'seat-customer', followers: 10 } }));
    const message = await stored('seat');
    const ticket = await Ticket.findById(message.ticketId).lean();
    expect(ticket?.priority).toBe('high');
    expect(ticket?.priorityReason).toContain('“broken seat”');
  });
});
