import request from 'supertest';
import { ActivityHandler } from 'botbuilder-core';
import { messageListResponseSchema, ticketDetailSchema, type SimulatorEvent, type TicketDetail } from '@parley/common';
import { Channel } from '../channels/channel.model';
import { eventually } from '../test/eventually';
import { deliverToSimulator } from '../test/deliveries';
import { TEST_CREDENTIALS_KEY, makeSimulatorChannel, makeSimulatorEvent, makeTeam } from '../test/factories';
import { signedInAs } from '../test/sessions';
import { httpServer, useParley } from '../test/harness';
import { Message } from '../tickets/message.model';

/**
 * A broken bot never leaves a customer unanswered and unqueued: a bot whose turn throws, one
 * that never answers, and one whose words a guardrail refuses all hand the conversation to
 * people, and the ticket waits in the human queue with its clock running. The bot here is a
 * stand-in (the real one does not break on demand); everything around it is real.
 */
class BrokenBot extends ActivityHandler {
  turns = 0;

  constructor() {
    super();
    this.onMessage(async (context, next) => {
      this.turns += 1;
      const text = context.activity.text ?? '';
      if (text.includes('throw')) throw new Error('the bot broke');
      // Longer than both attempts with the backoff between them (1 s, 2 s, 1 s), short enough to end with the test file.
      if (text.includes('hang')) await new Promise((resolve) => setTimeout(resolve, 4_500));
      if (text.includes('leak')) await context.sendActivity('Sure! Is this your card: 4111 1111 1111 1111?');
      else await context.sendActivity('Hello from the bot');
      await next();
    });
  }
}

const bot = new BrokenBot();
const parley = useParley(['api', 'worker'], { CREDENTIALS_KEY: TEST_CREDENTIALS_KEY, BOT_TURN_TIMEOUT_MS: '1000' }, { bot });
const http = () => request(httpServer(parley()));

let channel: Awaited<ReturnType<typeof makeSimulatorChannel>>;
let agent: Record<string, string>;

beforeAll(async () => {
  const teamId = (await makeTeam())._id;
  channel = await makeSimulatorChannel({ teamId });
  await Channel.updateOne({ _id: channel._id }, { $set: { 'settings.bot': { mode: 'always_first' } } });
  agent = (await signedInAs(httpServer(parley()), { role: 'agent', teamIds: [teamId] })).headers;
  const admin = (await signedInAs(httpServer(parley()), { role: 'admin' })).headers;
  const targets = { firstResponseMinutes: 30, nextResponseMinutes: 30, resolutionMinutes: 600 };
  await http().post('/api/sla-policies').set(admin).send({ name: 'Broken bot', channelIds: [channel._id.toHexString()], targets: { low: targets, normal: targets, high: targets, urgent: targets } }).expect(201);
});

async function handedOverAfter(text: string, kind: SimulatorEvent['kind'] = 'dm'): Promise<TicketDetail> {
  const id = `broken-${text.replace(/\W+/g, '-')}`;
  await deliverToSimulator(httpServer(parley()), channel, [makeSimulatorEvent({ id, kind, text, at: new Date().toISOString(), author: { id: `author-${id}`, name: 'Kim Lee' } })]);
  const message = await eventually(() => Message.findOne({ channelId: channel._id, externalId: id }).lean(), (found) => found?.ticketId != null, `message ${id}`);
  const ticketId = message!.ticketId!.toHexString();
  return eventually(
    async () => ticketDetailSchema.parse((await http().get(`/api/tickets/${ticketId}`).set(agent).expect(200)).body),
    (ticket) => ticket.botState === 'handed_off',
    `the hand-off of ${id}`,
  );
}

const botMessagesOf = async (ticketId: string) =>
  messageListResponseSchema.parse((await http().get(`/api/tickets/${ticketId}/messages`).set(agent).expect(200)).body).items.filter((message) => message.author.type === 'bot');

describe('a broken bot', () => {
  it('hands over when its turn throws, after its one retry, and the ticket waits for people', async () => {
    const before = bot.turns;
    const ticket = await handedOverAfter('please throw');
    expect(bot.turns - before).toBe(2);
    expect(ticket).toMatchObject({ status: 'new', handoff: { reason: 'bot_failed' }, firstHumanResponseAt: null });
    expect(ticket.sla.firstResponse?.state).toBe('running');
    expect(await botMessagesOf(ticket.id)).toHaveLength(0);
    // The people's queue has it.
    const queue = (await http().get('/api/tickets').query({ channelId: channel._id.toHexString(), status: 'new' }).set(agent).expect(200)).body as { items: { id: string }[] };
    expect(queue.items.map((item) => item.id)).toContain(ticket.id);
  });

  it('hands over when its turn outlasts the timeout, and what it says late is never sent', async () => {
    const ticket = await handedOverAfter('hang on');
    expect(ticket.handoff?.reason).toBe('bot_failed');
    // The slow turns finish after they were given up on: what they say is dropped, not posted over people.
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    expect(await botMessagesOf(ticket.id)).toHaveLength(0);
  });

  it('hands over at once, without a retry, when a guardrail refuses what it would say in public', async () => {
    const before = bot.turns;
    const ticket = await handedOverAfter('leak please', 'mention');
    expect(bot.turns - before).toBe(1);
    expect(ticket.handoff?.reason).toBe('bot_failed');
    expect(await botMessagesOf(ticket.id)).toHaveLength(0);
  });
});
