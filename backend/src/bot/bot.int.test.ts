import type { Types } from 'mongoose';
import request from 'supertest';
import { botStatsSchema, botTryResponseSchema, messageListResponseSchema, ticketDetailSchema, type Message, type SimulatorEvent, type TicketDetail } from '@parley/common';
import { Channel } from '../channels/channel.model';
import { forgetChannel } from '../channels/channels.service';
import { SimulatorReply } from '../connectors/simulator/simulator.connector';
import { eventually } from '../test/eventually';
import { deliverToSimulator } from '../test/deliveries';
import { TEST_CREDENTIALS_KEY, makeSimulatorChannel, makeSimulatorEvent, makeTeam } from '../test/factories';
import { signedInAs } from '../test/sessions';
import { httpServer, useParley } from '../test/harness';
import { Message as MessageModel } from '../tickets/message.model';
import { analyzeText } from '../triage/analysis';
import { seedBotAnswers } from './answers.seed';
import type { BotJob } from './bot.worker';

/**
 * The bot through real ingest on FerretDB and Redis: signed simulator deliveries, the bot job
 * after ingest, its replies through the one way out, hand-offs on the ticket. The bot's clock is
 * simulated: a Tuesday night in London, then the next morning when the office opens.
 */
let clock = new Date('2026-12-01T23:30:00Z');
const parley = useParley(['api', 'worker'], { CREDENTIALS_KEY: TEST_CREDENTIALS_KEY }, { botClock: () => clock });
const http = () => request(httpServer(parley()));
type TestChannel = Awaited<ReturnType<typeof makeSimulatorChannel>>;

let channel: TestChannel;
let alwaysFirst: TestChannel;
let teamId: Types.ObjectId;
let agent: Record<string, string>;
let admin: Record<string, string>;
let officeHoursId: string;
/** A team on shift whatever the simulated clock says: for the tests about office hours, without moving the clock (a sweep may run meanwhile). */
let alwaysOpenId: string;
let dayChannel: TestChannel;
let sequence = 0;

const deliver = (target: TestChannel, ...events: SimulatorEvent[]) => deliverToSimulator(httpServer(parley()), target, events);
const dm = (author: string, text: string, fields: Partial<SimulatorEvent> = {}) =>
  // Written now by the real clock (the SLA's), a second apart; the bot's clock is the simulated one.
  makeSimulatorEvent({ kind: 'dm', text, author: { id: author, name: 'Lucía Pérez', followers: 80 }, at: new Date(Date.now() + (sequence += 1) * 1_000).toISOString(), ...fields });

async function ticketOf(externalId: string, target: TestChannel = channel): Promise<TicketDetail> {
  const message = await eventually(() => MessageModel.findOne({ channelId: target._id, externalId }).lean(), (found) => found?.ticketId != null, `message ${externalId}`);
  return ticketDetailSchema.parse((await http().get(`/api/tickets/${message!.ticketId!.toHexString()}`).set(agent).expect(200)).body);
}

const thread = async (ticketId: string): Promise<Message[]> => messageListResponseSchema.parse((await http().get(`/api/tickets/${ticketId}/messages`).set(agent).expect(200)).body).items;
const botMessages = async (ticketId: string) => (await thread(ticketId)).filter((message) => message.author.type === 'bot');
const botRepliesAtLeast = (ticketId: string, count: number) => eventually(() => botMessages(ticketId), (messages) => messages.length >= count, `${count} bot replies in ${ticketId}`);
const ticketWhen = (ticketId: string, done: (ticket: TicketDetail) => boolean, what: string) =>
  eventually(async () => ticketDetailSchema.parse((await http().get(`/api/tickets/${ticketId}`).set(agent).expect(200)).body), done, what);

/** Waits for the bot's job of a message to finish (answered or skipped), so silence can be asserted. */
async function botJobSettled(externalId: string, target: TestChannel = channel): Promise<void> {
  const message = await eventually(() => MessageModel.findOne({ channelId: target._id, externalId }).lean(), (found) => found !== null, `message ${externalId}`);
  const queue = parley().queues.queue<BotJob>('bot');
  await eventually(async () => queue.getJob(`bot:${message._id.toHexString()}`), (job) => job === null || job.finishedOn !== undefined, `the bot job of ${externalId}`);
}

async function setBot(target: TestChannel, bot: Record<string, unknown>): Promise<void> {
  await Channel.updateOne({ _id: target._id }, { $set: { 'settings.bot': bot } });
  forgetChannel(target._id);
}

beforeAll(async () => {
  teamId = (await makeTeam())._id;
  channel = await makeSimulatorChannel({ teamId });
  alwaysFirst = await makeSimulatorChannel({ teamId });
  agent = (await signedInAs(httpServer(parley()), { role: 'agent', teamIds: [teamId] })).headers;
  admin = (await signedInAs(httpServer(parley()), { role: 'admin', teamIds: [teamId] })).headers;
  await seedBotAnswers();
  const hours = await http()
    .post('/api/business-hours')
    .set(admin)
    .send({ name: 'Office (London)', timezone: 'Europe/London', intervals: [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '18:00' })) })
    .expect(201);
  officeHoursId = (hours.body as { id: string }).id;
  const open = await http()
    .post('/api/business-hours')
    .set(admin)
    .send({ name: 'Always open', timezone: 'Europe/London', intervals: [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, start: '00:00', end: '24:00' })) })
    .expect(201);
  alwaysOpenId = (open.body as { id: string }).id;
  dayChannel = await makeSimulatorChannel({ teamId });
  // Around the clock for the SLA (the real clock), the office's hours for the bot (the simulated one).
  const targets = { firstResponseMinutes: 60, nextResponseMinutes: 60, resolutionMinutes: 1_440 };
  await http()
    .post('/api/sla-policies')
    .set(admin)
    .send({ name: 'Bot channels', channelIds: [channel._id.toHexString(), alwaysFirst._id.toHexString()], targets: { low: targets, normal: targets, high: targets, urgent: targets } })
    .expect(201);
  await setBot(channel, { mode: 'after_hours', name: 'Acme Assistant', brandName: 'Acme', businessHoursId: officeHoursId });
  await setBot(alwaysFirst, { mode: 'always_first', brandName: 'Acme', businessHoursId: alwaysOpenId });
  await setBot(dayChannel, { mode: 'after_hours', brandName: 'Acme', businessHoursId: alwaysOpenId });
});

describe('after hours', () => {
  it('answers a Spanish DM at night in Spanish, as the bot, and the people\'s clock waits', async () => {
    await deliver(channel, dm('lucia', 'Hola, ¿cuánto equipaje puedo llevar en cabina?', { id: 'es-1' }));
    const ticket = await ticketOf('es-1');
    const [reply, ...more] = await botRepliesAtLeast(ticket.id, 1);
    expect(reply).toMatchObject({ visibility: 'private', direction: 'outbound', author: { type: 'bot', name: 'Acme Assistant', userId: null } });
    expect(analyzeText([reply!, ...more].map((message) => message.text).join(' ')).language).toBe('es');
    // The simulator shows buttons: "Talk to a person" is one of them.
    expect(reply!.quickReplies.map((button) => button.payload)).toContain('HANDOFF_HUMAN');
    // It reached the customer through the one way out.
    await eventually(() => SimulatorReply.find({ channelId: channel._id.toHexString() }).lean(), (sent) => sent.some((entry) => entry.text === reply!.text), 'the bot reply sent');

    const held = await ticketWhen(ticket.id, (current) => current.firstResponseAt !== null, 'the first response recorded');
    expect(held).toMatchObject({ botState: 'active', firstHumanResponseAt: null, handoff: null });
    // countBotReplies is off: the first-response clock waits for a person.
    expect(held.sla.firstResponse?.state).toBe('paused');
  });

  it('schedules its follow-up for the opening of the office and hands over then', async () => {
    await deliver(channel, dm('marc', 'Bonjour, je voudrais changer ma réservation', { id: 'fr-1', author: { id: 'marc', name: 'Marc Dubois' } }));
    const ticket = await ticketOf('fr-1');
    await botRepliesAtLeast(ticket.id, 1);
    const queue = parley().queues.queue<BotJob>('bot');
    const opening = await eventually(
      async () => (await queue.getDelayed()).find((job) => job.data.kind === 'opening' && job.data.ticketId === ticket.id),
      (job) => job !== undefined,
      'the opening timer',
    );
    // Wednesday 09:00 London (UTC in winter) is 9 h 30 after the simulated 23:30.
    expect(opening.opts.delay).toBe(9.5 * 60 * 60_000);

    const before = (await botMessages(ticket.id)).length;
    clock = new Date('2026-12-02T09:00:30Z');
    await opening.promote();
    const handedOff = await ticketWhen(ticket.id, (current) => current.botState === 'handed_off', 'the hand-off at opening');
    expect(handedOff.handoff).toMatchObject({ reason: 'business_hours' });
    expect((await botMessages(ticket.id)).length).toBeGreaterThan(before);
    // The people's first-response clock starts at the hand-off, with its whole hour.
    expect(handedOff.sla.firstResponse?.state).toBe('running');
    clock = new Date('2026-12-01T23:45:00Z');
  });
});

describe('hand-off', () => {
  it('hands over at once when the customer asks for a person, then stays silent until handed back', async () => {
    await deliver(channel, dm('ana', 'Hi, my flight was cancelled', { id: 'ask-1', author: { id: 'ana', name: 'Ana Silva' } }));
    const ticket = await ticketOf('ask-1');
    await botRepliesAtLeast(ticket.id, 1);
    await deliver(channel, dm('ana', 'I want to talk to a human please', { id: 'ask-2', author: { id: 'ana', name: 'Ana Silva' } }));
    const handedOff = await ticketWhen(ticket.id, (current) => current.botState === 'handed_off', 'the hand-off');
    expect(handedOff.handoff).toMatchObject({ reason: 'customer_asked' });
    expect(handedOff.handoff?.summary).toMatch(/asked for a person/i);
    expect(handedOff.sla.firstResponse?.state).toBe('running');

    const spoken = (await botMessages(ticket.id)).length;
    await deliver(channel, dm('ana', 'hello? anyone?', { id: 'ask-3', author: { id: 'ana', name: 'Ana Silva' } }));
    await botJobSettled('ask-3');
    expect((await botMessages(ticket.id)).length).toBe(spoken);

    // An agent hands it back: the bot answers the next message again.
    const resumed = ticketDetailSchema.parse((await http().post(`/api/tickets/${ticket.id}/bot`).set(agent).send({ action: 'resume' }).expect(200)).body);
    expect(resumed.botState).toBe('active');
    await http().post(`/api/tickets/${ticket.id}/bot`).set(agent).send({ action: 'resume' }).expect(409);
    await eventually(async () => (await parley().queues.queue<BotJob>('bot').getJobCounts()), (counts) => counts.waiting + counts.active === 0, 'the resume job');
    await deliver(channel, dm('ana', 'how many bags can I take?', { id: 'ask-4', author: { id: 'ana', name: 'Ana Silva' } }));
    await botRepliesAtLeast(ticket.id, spoken + 1);
  });

  it('takes the quick reply payload HANDOFF_HUMAN as a request for a person', async () => {
    await deliver(channel, dm('bo', 'hello', { id: 'tap-1', author: { id: 'bo', name: 'Bo Lind' } }));
    const ticket = await ticketOf('tap-1');
    await botRepliesAtLeast(ticket.id, 1);
    await deliver(channel, dm('bo', 'Talk to a person', { id: 'tap-2', value: 'HANDOFF_HUMAN', author: { id: 'bo', name: 'Bo Lind' } }));
    expect((await ticketWhen(ticket.id, (current) => current.botState === 'handed_off', 'the hand-off')).handoff?.reason).toBe('customer_asked');
  });

  it('hands a high-reach author to people on the first message', async () => {
    await deliver(channel, dm('star', 'hey, question about my booking', { id: 'star-1', author: { id: 'star', name: 'Rico Vega', followers: 2_400_000, verified: true } }));
    const ticket = await ticketOf('star-1');
    expect((await ticketWhen(ticket.id, (current) => current.botState === 'handed_off', 'the hand-off')).handoff?.reason).toBe('vip');
  });

  it('hands over when an agent answers a conversation the bot holds', async () => {
    await deliver(channel, dm('ivy', 'hello there', { id: 'ivy-1', author: { id: 'ivy', name: 'Ivy Chen' } }));
    const ticket = await ticketOf('ivy-1');
    await botRepliesAtLeast(ticket.id, 1);
    await http().post(`/api/tickets/${ticket.id}/messages`).set(agent).send({ text: 'Hi Ivy, Robin here, I can help.', visibility: 'private' }).expect(202);
    const handedOff = await ticketWhen(ticket.id, (current) => current.botState === 'handed_off', 'the hand-off');
    expect(handedOff).toMatchObject({ handoff: { reason: 'agent_replied' } });
    expect(handedOff.firstHumanResponseAt).not.toBeNull();
    expect(handedOff.sla.firstResponse?.state).toBe('met');
  });
});

describe('when the bot answers', () => {
  it('stays out of a conversation during office hours on an after-hours channel', async () => {
    await deliver(dayChannel, dm('day', 'hello, daytime question', { id: 'day-1', author: { id: 'day', name: 'Dee Day' } }));
    await botJobSettled('day-1', dayChannel);
    const ticket = await ticketOf('day-1', dayChannel);
    expect(ticket.botState).toBe('none');
    expect(await botMessages(ticket.id)).toHaveLength(0);
  });

  it('answers first at any hour where the channel says so (its team on shift), and never asks for personal data in public', async () => {
    await deliver(alwaysFirst, makeSimulatorEvent({ id: 'pub-1', text: '@acme I need to change my booking, can you help?', author: { id: 'pub', name: 'Pat Public', followers: 50 } }));
    const ticket = await ticketOf('pub-1', alwaysFirst);
    const replies = await eventually(() => thread(ticket.id), (messages) => messages.some((message) => message.direction === 'outbound'), 'the bot\'s answer');
    const publicReplies = replies.filter((message) => message.direction === 'outbound' && message.visibility === 'public');
    expect(publicReplies.length).toBeGreaterThan(0);
    for (const reply of publicReplies) expect(reply.text).not.toMatch(/\b(e-?mail|booking reference|order number)\b.*\?/i);
    // About the customer's own booking: the conversation moves to private, where the bot asks for the reference.
    const moved = await ticketWhen(ticket.id, (current) => current.moveToPrivate !== null, 'the move to private');
    expect(moved.moveToPrivate?.startedBy).toMatchObject({ kind: 'bot' });
    const privateMessage = (await thread(ticket.id)).find((message) => message.visibility === 'private' && message.direction === 'outbound');
    expect(privateMessage?.author.type).toBe('bot');
    expect(privateMessage?.text).toMatch(/booking reference or order number/);
  });

  it('counts the bot\'s reply as the first response where the policy says so', async () => {
    const counted = await makeSimulatorChannel({ teamId, secret: `counted-${'x'.repeat(16)}` });
    const targets = { firstResponseMinutes: 60, nextResponseMinutes: 60, resolutionMinutes: 1_440 };
    const policy = await http()
      .post('/api/sla-policies')
      .set(admin)
      .send({ name: 'Bot counts', channelIds: [counted._id.toHexString()], countBotReplies: true, targets: { low: targets, normal: targets, high: targets, urgent: targets } })
      .expect(201);
    expect(policy.body).toMatchObject({ countBotReplies: true });
    await setBot(counted, { mode: 'always_first' });
    await deliver(counted, dm('cnt', 'hello, how many bags can I take?', { id: 'cnt-1', author: { id: 'cnt', name: 'Cy Count' } }));
    const ticket = await ticketOf('cnt-1', counted);
    await botRepliesAtLeast(ticket.id, 1);
    const answered = await ticketWhen(ticket.id, (current) => current.sla.firstResponse?.state === 'met', 'the first response met by the bot');
    expect(answered).toMatchObject({ botState: 'active', firstHumanResponseAt: null, status: 'new' });
    expect(answered.firstResponseAt).not.toBeNull();
  });

  it('acknowledges a sticker without words', async () => {
    await deliver(channel, dm('pic', '', { id: 'pic-1', attachments: [{ type: 'sticker' }], author: { id: 'pic', name: 'Pia Kim' } }));
    const ticket = await ticketOf('pic-1');
    const [reply] = await botRepliesAtLeast(ticket.id, 1);
    expect(reply?.text.length).toBeGreaterThan(0);
  });
});

describe('for supervisors', () => {
  it('lets a supervisor try the bot without any platform, in Spanish, through to a hand-off', async () => {
    const supervisor = (await signedInAs(httpServer(parley()), { role: 'supervisor' })).headers;
    const first = botTryResponseSchema.parse((await http().post('/api/bot/try').set(supervisor).send({ text: 'Hola, ¿puedo llevar dos maletas en cabina?', afterHours: true }).expect(200)).body);
    expect(first.replies.length).toBeGreaterThan(0);
    expect(analyzeText(first.replies.map((reply) => reply.text).join(' ')).language).toBe('es');
    expect(first.learnt).toMatchObject({ intent: 'baggage-allowance', language: 'es' });
    const button = first.replies.flatMap((reply) => reply.quickReplies).find((quick) => quick.payload === 'HANDOFF_HUMAN');
    expect(button).toBeDefined();

    const tapped = botTryResponseSchema.parse((await http().post('/api/bot/try').set(supervisor).send({ conversationId: first.conversationId, text: button!.title, value: button!.payload }).expect(200)).body);
    expect(tapped.handoff).toMatchObject({ reason: 'customer_asked', learnt: { intent: 'baggage-allowance' } });
    // Handed over, the bot is silent; the panel still shows the hand-off.
    const after = botTryResponseSchema.parse((await http().post('/api/bot/try').set(supervisor).send({ conversationId: first.conversationId, text: 'hola?' }).expect(200)).body);
    expect(after).toMatchObject({ replies: [], handoff: { reason: 'customer_asked' } });

    await http().post('/api/bot/try').set(agent).send({ text: 'hi' }).expect(403);
    const refused = await http().post('/api/bot/try').set(supervisor).send({ text: 'hi', visibility: 'secret' }).expect(400);
    expect(refused.body).toMatchObject({ error: { field: 'visibility' } });
  });

  it('counts the bot\'s conversations, what it kept and why it handed over', async () => {
    const supervisor = (await signedInAs(httpServer(parley()), { role: 'supervisor' })).headers;
    const stats = botStatsSchema.parse((await http().get('/api/bot/stats').set(supervisor).expect(200)).body);
    expect(stats.conversations).toBeGreaterThanOrEqual(8);
    expect(stats.handoffsByReason).toMatchObject({ customer_asked: 2, vip: 1, agent_replied: 1 });
    // The promoted timer's, and that of the first conversation should the sweep have run in the minute the office was open.
    expect(stats.handoffsByReason.business_hours).toBeGreaterThanOrEqual(1);
    expect(stats.contained + stats.handedOff).toBe(stats.conversations);
    expect(stats.medianFirstResponseMinutes).not.toBeNull();
    await http().get('/api/bot/stats').set(agent).expect(403);
    await http().get('/api/bot/stats').query({ from: 'yesterday' }).set(supervisor).expect(400);
  });
});
