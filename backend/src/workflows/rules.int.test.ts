import { randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import request from 'supertest';
import {
  SIGNATURE_HEADER,
  errorBodySchema,
  ruleDryRunSchema,
  ruleListSchema,
  ruleSchema,
  type Rule as RuleShape,
  type RuleInput,
  type WebhookChannelDelivery,
} from '@parley/common';
import { Channel, type ChannelDoc } from '../channels/channel.model';
import { encryptCredentials } from '../channels/credentials';
import { hmacSha256 } from '../connectors/signature';
import { onlineAgents } from '../realtime/online';
import { BusinessHours } from '../sla/business-hours.model';
import { eventually } from '../test/eventually';
import { startWebhookReceiver, type WebhookReceiver } from '../test/fakes/webhook-receiver';
import { TEST_CREDENTIALS_KEY, TEST_PASSWORD, makeContact, makeSimulatorChannel, makeSimulatorEvent, makeTeam, makeTicket, makeUser } from '../test/factories';
import { httpServer, testLog, useParley } from '../test/harness';
import { AuditEvent, type AuditEventDoc } from '../tickets/audit-event.model';
import { Message, type MessageDoc } from '../tickets/message.model';
import { Ticket, type TicketDoc } from '../tickets/ticket.model';
import { Rule, RuleRun, ruleRunId } from './rule.model';
import { createRuleCache } from './rules.cache';
import { runRules, type RulesEngineDeps } from './rules.engine';
import { rulesJobId } from './rules.processor';

const parley = useParley(['api', 'worker'], { CREDENTIALS_KEY: TEST_CREDENTIALS_KEY });
const http = () => request(httpServer(parley()));
const unique = () => randomBytes(4).toString('hex');
const receivers: WebhookReceiver[] = [];
afterAll(async () => {
  await Promise.all(receivers.map((receiver) => receiver.close()));
});
// Rules apply to every message of the database: each test starts with none.
afterEach(async () => {
  await Rule.deleteMany({});
  await parley().redis.client.incr(`${parley().config.QUEUE_PREFIX}:rules:version`);
});

async function signedIn(role: 'agent' | 'supervisor' | 'admin') {
  const user = await makeUser({ role });
  const login = await http().post('/api/auth/login').send({ email: user.email, password: TEST_PASSWORD }).expect(200);
  return { user, auth: { authorization: `Bearer ${(login.body as { token: string }).token}` } };
}

/** A generic webhook channel whose replies reach a local receiver, as a customer's system would take them. */
async function webhookChannel(): Promise<ChannelDoc & { secret: string; receiver: WebhookReceiver }> {
  const secret = `secret-${unique()}-${unique()}`;
  const receiver = await startWebhookReceiver(secret);
  receivers.push(receiver);
  const channel = await Channel.create({
    kind: 'webhook',
    name: `Web chat ${unique()}`,
    externalAccountId: `webhook-${unique()}`,
    status: 'active',
    settings: { callbackUrl: receiver.url },
    credentialsEncrypted: encryptCredentials({ secret }, TEST_CREDENTIALS_KEY),
  });
  return { ...channel.toObject<ChannelDoc>(), secret, receiver };
}

type TestChannel = Awaited<ReturnType<typeof webhookChannel>>;
type WebhookEvent = WebhookChannelDelivery['events'][number];

const customerMessage = (fields: Partial<WebhookEvent> = {}): WebhookEvent => ({
  type: 'message',
  id: `m-${unique()}`,
  conversationId: `review-${unique()}`,
  visibility: 'public',
  author: { id: `author-${unique()}`, handle: 'kay', name: 'Kay Jay', followers: 12, verified: false },
  text: 'Where is my order?',
  sentAt: new Date().toISOString(),
  ...fields,
});

/** Posts a signed delivery to the channel's webhook, as the platform does. */
async function deliver(channel: TestChannel, ...events: WebhookEvent[]): Promise<string> {
  const body = JSON.stringify({ events });
  const response = await http()
    .post(`/webhooks/webhook/${channel._id.toHexString()}`)
    .set('content-type', 'application/json')
    .set(SIGNATURE_HEADER, `sha256=${hmacSha256(channel.secret, body, 'hex')}`)
    .send(body)
    .expect(200);
  return (response.body as { id: string }).id;
}

const stored = (channel: { _id: Types.ObjectId }, event: { id: string }) =>
  eventually(() => Message.findOne({ channelId: channel._id, externalId: event.id }).lean<MessageDoc>(), (message): message is MessageDoc => message !== null, `message ${event.id}`);

const ticketOf = async (message: MessageDoc) => (await Ticket.findById(message.ticketId).lean<TicketDoc>())!;

/** The rules job of a message has finished: whatever the rules were going to do is done. */
async function rulesSettled(messageId: Types.ObjectId): Promise<void> {
  await eventually(
    async () => {
      const job = await parley().queues.queue('rules').getJob(rulesJobId(messageId));
      return job ? await job.getState() : 'absent';
    },
    (state) => state === 'completed',
    `the rules job of ${messageId.toHexString()}`,
  );
}

async function createRule(auth: { authorization: string }, input: RuleInput): Promise<RuleShape> {
  const response = await http().post('/api/rules').set(auth).send(input).expect(201);
  return ruleSchema.parse(response.body);
}

const onChannel = (channel: { _id: Types.ObjectId }) => ({ field: 'channel' as const, op: 'in' as const, channelIds: [channel._id.toHexString()] });

const auditOf = (ticketId: Types.ObjectId) => AuditEvent.find({ ticketId }).sort({ at: 1, _id: 1 }).lean<AuditEventDoc[]>();

function engineDeps(fields: Partial<RulesEngineDeps> = {}): RulesEngineDeps {
  const { events, locks, queues, redis, config } = parley();
  const log = testLog();
  return { events, locks, queues, log, online: onlineAgents(redis.client, config.QUEUE_PREFIX), rules: createRuleCache(redis.client, config.QUEUE_PREFIX, log), ...fields };
}

describe('automation rules', () => {
  it('a keyword rule assigns and tags a ticket delivered through the webhook, as the rule in the audit trail; its dry run shows what it would do', async () => {
    const admin = await signedIn('admin');
    const billing = await makeTeam(`Billing ${unique()}`);
    const channel = await webhookChannel();

    // Written before the rule existed: the rule never runs on it, the dry run shows it.
    const earlier = customerMessage({ text: 'REFUND please, the parcel never came', language: 'en' });
    await deliver(channel, earlier);
    const earlierTicket = await ticketOf(await stored(channel, earlier));

    const rule = await createRule(admin.auth, {
      name: 'Refunds to billing',
      triggers: ['ticket.created'],
      conditions: { all: [onChannel(channel), { field: 'keywords', op: 'any', words: ['refund', 'remboursement', 'reembolso'] }] },
      actions: [
        { type: 'assign_team', teamId: billing._id.toHexString() },
        { type: 'add_tag', tag: 'refund' },
        // Above what triage gives a refund complaint (a keyword that raises a step: high).
        { type: 'set_priority', priority: 'urgent' },
      ],
    });
    expect(rule).toMatchObject({ order: 1, active: true, stopProcessing: false });

    const french = customerMessage({ text: 'Je veux un Rémboursement, la commande est arrivée cassée', language: 'fr' });
    const unrelated = customerMessage({ text: 'I was refunded already, thanks!' });
    await deliver(channel, french, unrelated);
    const frenchMessage = await stored(channel, french);
    const unrelatedMessage = await stored(channel, unrelated);

    await rulesSettled(frenchMessage._id);
    await rulesSettled(unrelatedMessage._id);
    const routed = await ticketOf(frenchMessage);
    expect(routed).toMatchObject({ teamId: billing._id, priority: 'urgent', prioritySource: 'rule', tags: ['refund'] });
    // "refunded" is not the word "refund".
    expect(await ticketOf(unrelatedMessage)).toMatchObject({ teamId: null, prioritySource: 'triage', tags: [] });

    const trail = await auditOf(routed._id);
    const byRule = trail.filter((entry) => entry.actorKind === 'rule');
    expect(byRule.every((entry) => entry.actorName === 'Refunds to billing' && entry.actorId?.toHexString() === rule.id)).toBe(true);
    expect(byRule.map((entry) => entry.action)).toEqual(['ticket.updated', 'ticket.updated', 'ticket.updated', 'rule.applied']);
    expect(byRule.map((entry) => entry.after)).toEqual([
      { teamId: billing._id.toHexString() },
      { tags: ['refund'] },
      { priority: 'urgent' },
      {
        ruleId: rule.id,
        trigger: 'ticket.created',
        messageId: frenchMessage._id.toHexString(),
        actions: [
          { type: 'assign_team', effect: 'change', detail: `to the team ${billing.name}` },
          { type: 'add_tag', effect: 'change', detail: 'tagged refund' },
          { type: 'set_priority', effect: 'change', detail: expect.stringMatching(/^priority \w+ → urgent$/) as string },
        ],
      },
    ]);

    const dryRun = ruleDryRunSchema.parse((await http().post(`/api/rules/${rule.id}/dry-run`).set(admin.auth).expect(200)).body);
    expect(dryRun.evaluated).toBeGreaterThanOrEqual(3);
    const matchedIds = dryRun.items.map((item) => item.ticket.id);
    expect(matchedIds).toContain(routed._id.toHexString());
    expect(matchedIds).toContain(earlierTicket._id.toHexString());
    expect(matchedIds).not.toContain((await ticketOf(unrelatedMessage))._id.toHexString());
    const wouldDo = (ticketId: Types.ObjectId) => dryRun.items.find((item) => item.ticket.id === ticketId.toHexString());
    expect(wouldDo(earlierTicket._id)).toMatchObject({
      trigger: 'ticket.created',
      message: { text: earlier.text, visibility: 'public', language: 'en' },
      actions: [
        { type: 'assign_team', effect: 'change', detail: `to the team ${billing.name}` },
        { type: 'add_tag', effect: 'change' },
        { type: 'set_priority', effect: 'change', detail: `priority ${earlierTicket.priority} → urgent` },
      ],
    });
    expect(wouldDo(routed._id)?.actions.map((action) => action.effect)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    // Nothing was done by the dry run.
    expect(await Ticket.findById(earlierTicket._id).lean()).toMatchObject({ teamId: null, tags: [], priority: earlierTicket.priority });
    expect(await AuditEvent.countDocuments({ ticketId: earlierTicket._id })).toBe(0);
  });

  it('runs rules in their order, stops after a rule that says so, and a moved rule runs in its new place', async () => {
    const admin = await signedIn('admin');
    const channel = await webhookChannel();
    const tagging = (name: string, tag: string, stopProcessing = false): RuleInput => ({
      name,
      triggers: ['message.created'],
      stopProcessing,
      conditions: { all: [onChannel(channel)] },
      actions: [{ type: 'add_tag', tag }],
    });
    const first = await createRule(admin.auth, tagging('First', 'a'));
    const second = await createRule(admin.auth, tagging('Second, then stop', 'b', true));
    const third = await createRule(admin.auth, tagging('Third', 'c'));
    expect([first.order, second.order, third.order]).toEqual([1, 2, 3]);

    const one = customerMessage();
    await deliver(channel, one);
    const oneMessage = await stored(channel, one);
    await rulesSettled(oneMessage._id);
    // Tags are added in the order the rules ran; the third never ran.
    expect((await ticketOf(oneMessage)).tags).toEqual(['a', 'b']);
    expect(await RuleRun.exists({ _id: ruleRunId(new Types.ObjectId(third.id), oneMessage._id) })).toBeNull();

    // The third rule moves to the top: the others close up behind it.
    const moved = await http().patch(`/api/rules/${third.id}`).set(admin.auth).send({ order: 1 }).expect(200);
    expect(moved.body).toMatchObject({ order: 1 });
    const listed = ruleListSchema.parse((await http().get('/api/rules').set(admin.auth).expect(200)).body);
    expect(listed.items.map((rule) => [rule.name, rule.order])).toEqual([
      ['Third', 1],
      ['First', 2],
      ['Second, then stop', 3],
    ]);

    const two = customerMessage();
    await deliver(channel, two);
    const twoMessage = await stored(channel, two);
    await rulesSettled(twoMessage._id);
    expect((await ticketOf(twoMessage)).tags).toEqual(['c', 'a', 'b']);

    // An inactive rule is skipped; a deleted one's place is taken by the next.
    await http().patch(`/api/rules/${first.id}`).set(admin.auth).send({ active: false }).expect(200);
    await http().delete(`/api/rules/${third.id}`).set(admin.auth).expect(204);
    const afterDelete = ruleListSchema.parse((await http().get('/api/rules').set(admin.auth).expect(200)).body);
    expect(afterDelete.items.map((rule) => [rule.name, rule.order, rule.active])).toEqual([
      ['First', 1, false],
      ['Second, then stop', 2, true],
    ]);
    const three = customerMessage();
    await deliver(channel, three);
    const threeMessage = await stored(channel, three);
    await rulesSettled(threeMessage._id);
    expect((await ticketOf(threeMessage)).tags).toEqual(['b']);
  });

  it('tells business hours open from closed by when the customer wrote', async () => {
    const admin = await signedIn('admin');
    const channel = await webhookChannel();
    const office = await BusinessHours.create({ name: `Office ${unique()}`, timezone: 'Europe/Paris', intervals: [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '17:00' })), holidays: [] });
    await createRule(admin.auth, {
      name: 'After hours',
      triggers: ['ticket.created'],
      conditions: { all: [onChannel(channel), { field: 'businessHours', op: 'closed', businessHoursId: office._id.toHexString() }] },
      actions: [{ type: 'add_tag', tag: 'after-hours' }],
    });
    await createRule(admin.auth, {
      name: 'In hours',
      triggers: ['ticket.created'],
      conditions: { all: [onChannel(channel), { field: 'businessHours', op: 'open', businessHoursId: office._id.toHexString() }] },
      actions: [{ type: 'add_tag', tag: 'in-hours' }],
    });

    const saturday = customerMessage({ sentAt: '2026-11-21T10:00:00.000Z', text: 'Anyone there on a Saturday?' });
    const wednesday = customerMessage({ sentAt: '2026-11-18T09:30:00.000Z', text: 'Wednesday morning question' });
    const evening = customerMessage({ sentAt: '2026-11-18T17:30:00.000Z', text: 'Wednesday, 18:30 in Paris' });
    await deliver(channel, saturday, wednesday, evening);
    const tagsOf = async (event: WebhookEvent) => {
      const message = await stored(channel, event);
      await rulesSettled(message._id);
      return (await ticketOf(message)).tags;
    };
    expect(await tagsOf(saturday)).toEqual(['after-hours']);
    expect(await tagsOf(wednesday)).toEqual(['in-hours']);
    expect(await tagsOf(evening)).toEqual(['after-hours']);
  });

  it('refuses, naming the field, a rule that could not be evaluated or names what does not exist', async () => {
    const admin = await signedIn('admin');
    const team = await makeTeam(`Care ${unique()}`);
    const base: RuleInput = { name: `Rule ${unique()}`, triggers: ['message.created'], actions: [{ type: 'add_tag', tag: 'x' }] };
    const fieldOf = async (input: object, status = 400) => {
      const response = await http().post('/api/rules').set(admin.auth).send(input).expect(status);
      return errorBodySchema.parse(response.body).error.field;
    };
    const missing = new Types.ObjectId().toHexString();
    expect(await fieldOf({ ...base, conditions: { all: [{ field: 'mood', op: 'is', value: 'negative' }] } })).toBe('conditions.all.0.field');
    expect(await fieldOf({ ...base, conditions: { all: [{ field: 'priority', op: 'gte', values: ['high'] }] } })).toBe('conditions.all.0.op');
    expect(await fieldOf({ ...base, conditions: { any: [{ field: 'text', op: 'matches', pattern: '[a-' }] } })).toBe('conditions.any.0.pattern');
    expect(await fieldOf({ ...base, conditions: { all: [{ field: 'keywords', op: 'any', words: ['refund', '?!'] }] } })).toBe('conditions.all.0.words.1');
    expect(await fieldOf({ ...base, conditions: { any: [{ field: 'channel', op: 'in', channelIds: [missing] }] } })).toBe('conditions.any.0.channelIds.0');
    expect(await fieldOf({ ...base, conditions: { all: [{ field: 'businessHours', op: 'open', businessHoursId: missing }] } })).toBe('conditions.all.0.businessHoursId');
    expect(await fieldOf({ ...base, actions: [{ type: 'assign_team', teamId: missing }] })).toBe('actions.0.teamId');
    expect(await fieldOf({ ...base, actions: [{ type: 'assign_team', teamId: team._id.toHexString() }, { type: 'assign_agent', agentId: missing }] })).toBe('actions.1.agentId');
    expect(await fieldOf({ ...base, actions: [{ type: 'public_reply', text: 'Hi {{agent_name}}' }] })).toBe('actions.0.text');
    expect(await fieldOf({ ...base, actions: [{ type: 'hand_to_bot' }] })).toBe('actions.0.type');
    expect(await fieldOf({ ...base, triggers: ['ticket.solved'] })).toBe('triggers.0');
    expect(await fieldOf({ ...base, priority: 1 })).toBe('priority');
    expect((await http().get('/api/rules').set(admin.auth).expect(200)).body).toEqual({ items: [] });

    const saved = await createRule(admin.auth, base);
    expect(await fieldOf({ ...base, actions: [{ type: 'add_tag', tag: 'y' }] }, 409)).toBe('name');
    const patched = await http().patch(`/api/rules/${saved.id}`).set(admin.auth).send({ actions: [{ type: 'assign_team', teamId: missing }] }).expect(400);
    expect(errorBodySchema.parse(patched.body).error.field).toBe('actions.0.teamId');
    await http().patch(`/api/rules/${missing}`).set(admin.auth).send({ active: false }).expect(404);
    await http().post(`/api/rules/${missing}/dry-run`).set(admin.auth).expect(404);

    // Supervisors read and dry-run; only admins write; agents see nothing.
    const supervisor = await signedIn('supervisor');
    const agent = await signedIn('agent');
    await http().get('/api/rules').set(supervisor.auth).expect(200);
    await http().get('/api/rules/options').set(supervisor.auth).expect(200);
    await http().post(`/api/rules/${saved.id}/dry-run`).set(supervisor.auth).expect(200);
    await http().post('/api/rules').set(supervisor.auth).send({ ...base, name: 'Not mine' }).expect(403);
    await http().delete(`/api/rules/${saved.id}`).set(supervisor.auth).expect(403);
    await http().get('/api/rules').set(agent.auth).expect(403);
  });

  it('runs a rule once per message whatever is redelivered or retried, and resumes a run cut short without repeating what it did', async () => {
    const admin = await signedIn('admin');
    const channel = await webhookChannel();
    const rule = await createRule(admin.auth, {
      name: 'Acknowledge in public',
      triggers: ['message.created'],
      conditions: { all: [onChannel(channel), { field: 'visibility', op: 'is', value: 'public' }] },
      actions: [
        { type: 'public_reply', text: 'Thanks {{first_name}}, we are looking into it.' },
        { type: 'add_tag', tag: 'acknowledged' },
      ],
    });

    const question = customerMessage({ author: { id: 'kay-1', name: 'Kay Jay' } });
    const delivery = JSON.stringify({ events: [question] });
    const post = () =>
      http()
        .post(`/webhooks/webhook/${channel._id.toHexString()}`)
        .set('content-type', 'application/json')
        .set(SIGNATURE_HEADER, `sha256=${hmacSha256(channel.secret, delivery, 'hex')}`)
        .send(delivery)
        .expect(200);
    await post();
    const message = await stored(channel, question);
    await rulesSettled(message._id);
    await eventually(() => Promise.resolve(channel.receiver.stored.size), (size) => size === 1, 'the acknowledgement delivered');
    const [sent] = [...channel.receiver.stored.values()];
    expect(sent?.body).toMatchObject({ type: 'reply', visibility: 'public', text: 'Thanks Kay, we are looking into it.', inReplyTo: question.id });

    // The platform delivers the same webhook again; the worker sees the same message again.
    await post();
    parley().events.emit('message.created', { ticketId: message.ticketId!, messageId: message._id, message });
    const again = await runRules(message._id, engineDeps());
    expect(again.applied.map((applied) => applied.name)).toEqual(['Acknowledge in public']);

    const replies = await Message.find({ ticketId: message.ticketId, direction: 'outbound' }).lean<MessageDoc[]>();
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({ authorUserId: null, authorName: 'Acknowledge in public', visibility: 'public' });
    expect((await ticketOf(message)).tags).toEqual(['acknowledged']);
    expect(await AuditEvent.countDocuments({ ticketId: message.ticketId, action: 'rule.applied' })).toBe(1);
    // The rule's own reply set off no rule: it is not a customer's message.
    await rulesSettled(replies[0]!._id);
    expect(await RuleRun.countDocuments({ ticketId: message.ticketId })).toBe(1);
    expect(channel.receiver.stored.size).toBe(1);

    // A run claimed and cut short by a crash before its reply: the next run posts it once, with the id it chose.
    const followUp = customerMessage({ conversationId: question.conversationId, parentId: question.id, text: 'Any news?' });
    const replyId = new Types.ObjectId();
    const cutShort = { ticketId: message.ticketId!, actions: rule.actions, replyIds: [replyId.toHexString(), ''] };
    // The claim is made before the webhook arrives, as if a worker had claimed it and died.
    const followUpId = new Types.ObjectId();
    await Message.create({
      _id: followUpId,
      ticketId: message.ticketId,
      channelId: channel._id,
      direction: 'inbound',
      visibility: 'public',
      text: followUp.text,
      contactId: message.contactId,
      externalId: followUp.id,
      deliveryState: 'received',
      sentAt: new Date(),
    });
    await RuleRun.create({
      _id: ruleRunId(new Types.ObjectId(rule.id), followUpId),
      ruleId: new Types.ObjectId(rule.id),
      ruleName: rule.name,
      messageId: followUpId,
      trigger: 'message.created',
      state: 'running',
      outcomes: [],
      auditId: new Types.ObjectId(),
      stopProcessing: false,
      startedAt: new Date(),
      ...cutShort,
    });
    const resumed = await runRules(followUpId, engineDeps());
    expect(resumed.applied[0]?.outcomes.map((outcome) => outcome.effect)).toEqual(['change', 'unchanged']);
    expect(await Message.findById(replyId).lean()).toMatchObject({ visibility: 'public', authorName: 'Acknowledge in public' });
    await runRules(followUpId, engineDeps());
    expect(await Message.countDocuments({ ticketId: message.ticketId, direction: 'outbound' })).toBe(2);
    await eventually(() => Promise.resolve(channel.receiver.stored.size), (size) => size === 2, 'the second acknowledgement delivered');
    expect(await RuleRun.findById(ruleRunId(new Types.ObjectId(rule.id), followUpId)).lean()).toMatchObject({ state: 'done' });
  });

  it('records why a reply was not sent: a public reply to a private message, one too long for the platform', async () => {
    const admin = await signedIn('admin');
    const channel = await makeSimulatorChannel();
    await Channel.updateOne({ _id: channel._id }, { $set: { 'settings.imitates': 'x' } });
    await createRule(admin.auth, {
      name: 'Long-winded',
      triggers: ['ticket.created'],
      conditions: { all: [onChannel(channel)] },
      actions: [
        { type: 'public_reply', text: `Thank you for writing to us. ${'We care a great deal about this. '.repeat(10)}` },
        { type: 'add_tag', tag: 'seen' },
      ],
    });
    const mention = makeSimulatorEvent({ kind: 'mention', text: '@acme my order?' });
    const dm = makeSimulatorEvent({ kind: 'dm', text: 'hello in private', author: { id: 'dm-author' } });
    const body = JSON.stringify({ events: [mention, dm] });
    await http()
      .post(`/webhooks/simulator/${channel._id.toHexString()}`)
      .set('content-type', 'application/json')
      .set(SIGNATURE_HEADER, `sha256=${hmacSha256(channel.secret, body, 'hex')}`)
      .send(body)
      .expect(200);

    const outcomeOf = async (event: { id: string }) => {
      const message = await stored(channel, event);
      await rulesSettled(message._id);
      const entry = await AuditEvent.findOne({ ticketId: message.ticketId, action: 'rule.applied' }).lean<AuditEventDoc>();
      expect(await Message.countDocuments({ ticketId: message.ticketId, direction: 'outbound' })).toBe(0);
      expect((await ticketOf(message)).tags).toEqual(['seen']);
      return (entry?.after as { actions: Array<{ effect: string; detail: string }> }).actions;
    };
    expect(await outcomeOf(mention)).toEqual([
      { type: 'public_reply', effect: 'fail', detail: expect.stringMatching(/^A public reply on X takes at most 280 characters; this one has \d+/) as unknown },
      { type: 'add_tag', effect: 'change', detail: 'tagged seen' },
    ]);
    expect(await outcomeOf(dm)).toEqual([
      { type: 'public_reply', effect: 'fail', detail: 'the customer wrote privately: a public reply would answer nothing they wrote in public' },
      { type: 'add_tag', effect: 'change', detail: 'tagged seen' },
    ]);
  });

  it('starts move-to-private as the rule: the move names the rule, and the dry run says what it would do', async () => {
    const admin = await signedIn('admin');
    const rule = await createRule(admin.auth, {
      name: 'Order questions go private',
      triggers: ['ticket.created'],
      conditions: { all: [{ field: 'keywords', op: 'any', words: ['order'] }] },
      actions: [{ type: 'move_to_private', publicText: 'Hi {{first_name}}, we have sent you a DM.', privateText: 'Could you give us your order number?' }],
    });
    // Stored directly (no ingest, so no worker runs the rule first): a ticket opened by a public question on a channel with a private path.
    const channel = await makeSimulatorChannel();
    const contact = await makeContact({ name: 'Sam Lee' });
    const ticket = await makeTicket({ contactId: contact._id, channelId: channel._id, status: 'new' });
    const message = (
      await Message.create({ ticketId: ticket._id, channelId: ticket.channelId, direction: 'inbound', visibility: 'public', text: 'Where is my order?', contactId: contact._id, externalId: `q-${unique()}`, deliveryState: 'received', sentAt: new Date() })
    ).toObject<MessageDoc>();
    await Ticket.updateOne({ _id: ticket._id }, { $set: { openingExternalId: message.externalId } });

    const dryRun = ruleDryRunSchema.parse((await http().post(`/api/rules/${rule.id}/dry-run`).set(admin.auth).expect(200)).body);
    expect(dryRun.items.find((item) => item.message.id === message._id.toHexString())?.actions).toEqual([
      { type: 'move_to_private', effect: 'change', detail: 'a public reply, then a private message', text: 'Hi Sam, we have sent you a DM.' },
    ]);

    const outcome = await runRules(message._id, engineDeps());
    expect(outcome.applied[0]?.outcomes).toEqual([{ type: 'move_to_private', effect: 'change', detail: 'a public reply, then a private message' }]);
    const moved = await Ticket.findById(ticket._id).lean<TicketDoc>();
    expect(moved?.moveToPrivate).toMatchObject({ startedBy: { kind: 'rule', name: 'Order questions go private' } });
    const texts = (await Message.find({ ticketId: ticket._id, direction: 'outbound' }).lean()).map((reply) => [reply.visibility, reply.text]);
    expect(texts.sort()).toEqual([
      ['private', 'Could you give us your order number?'],
      ['public', 'Hi Sam, we have sent you a DM.'],
    ]);
  });
});
