import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { io as connect, type Socket } from 'socket.io-client';
import {
  SIGNATURE_HEADER,
  errorBodySchema,
  messageListResponseSchema,
  messageSchema,
  pendingApprovalsResponseSchema,
  teamDetailSchema,
  teamListResponseSchema,
  ticketDetailSchema,
  type ApprovalEvent,
  type ClientToServerEvents,
  type MessageEvent,
  type ServerToClientEvents,
  type WebhookChannelDelivery,
} from '@parley/common';
import { hmacSha256 } from '../connectors/signature';
import { startWebhookReceiver, type WebhookReceiver } from '../test/fakes/webhook-receiver';
import { eventually } from '../test/eventually';
import { TEST_CREDENTIALS_KEY, TEST_PASSWORD, makeTeam, makeUser } from '../test/factories';
import { httpServer, useParley } from '../test/harness';
import { Team } from '../users/team.model';
import { AuditEvent } from './audit-event.model';
import { Message, type MessageDoc } from './message.model';
import { Ticket, type TicketDoc } from './ticket.model';

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
type Person = Awaited<ReturnType<typeof signedIn>>;

async function socketOf(person: Person): Promise<Client> {
  const client: Client = connect(`http://127.0.0.1:${parley().port}`, { auth: { token: person.token }, transports: ['websocket'], reconnection: false });
  clients.push(client);
  await new Promise<void>((resolve, reject) => {
    client.once('connect', resolve);
    client.once('connect_error', reject);
  });
  return client;
}

/**
 * A team whose agents need approval, its webhook channel (replies go to a fake receiver), an
 * SLA policy on it, a customer's public post and the ticket it opened; an agent, another
 * agent, a supervisor and an admin.
 */
async function setting() {
  const secret = `secret-${unique()}-${unique()}`;
  const receiver = await startWebhookReceiver(secret);
  receivers.push(receiver);
  const team = await makeTeam();
  const admin = await signedIn({ role: 'admin' });
  const supervisor = await signedIn({ role: 'supervisor' });
  const agent = await signedIn({ teamIds: [team._id] });
  const colleague = await signedIn({ teamIds: [team._id] });
  await http().patch(`/api/teams/${team._id.toHexString()}`).set(admin.auth).send({ publicReplyApproval: { required: true } }).expect(200);

  const created = await http()
    .post('/api/channels')
    .set(admin.auth)
    .send({ kind: 'webhook', name: `Reviews ${unique()}`, credentials: { secret }, settings: { callbackUrl: receiver.url }, teamId: team._id.toHexString() })
    .expect(201);
  const channelId = (created.body as { id: string }).id;
  const minutes = { firstResponseMinutes: 60, nextResponseMinutes: 30, resolutionMinutes: 480 };
  await http()
    .post('/api/sla-policies')
    .set(admin.auth)
    .send({ name: `Reviews ${unique()}`, channelIds: [channelId], targets: { urgent: minutes, high: minutes, normal: minutes, low: minutes } })
    .expect(201);

  const delivery: WebhookChannelDelivery = {
    events: [{ type: 'message', id: `review-${unique()}`, conversationId: `review-${unique()}`, visibility: 'public', author: { id: `visitor-${unique()}`, name: 'Kay Jay' }, text: 'Two stars, the cake was late', sentAt: new Date().toISOString() }],
  };
  const body = JSON.stringify(delivery);
  await http().post(`/webhooks/webhook/${channelId}`).set('content-type', 'application/json').set(SIGNATURE_HEADER, `sha256=${hmacSha256(secret, body, 'hex')}`).send(body).expect(200);
  const ticket = await eventually(() => Ticket.findOne({ channelId }).lean<TicketDoc>(), Boolean, 'the ticket');
  return { receiver, team, admin, supervisor, agent, colleague, ticket: ticket!, ticketPath: `/api/tickets/${ticket!._id.toHexString()}` };
}

const reply = (path: string, person: Person, text: string, visibility: 'public' | 'private' = 'public') =>
  http().post(`${path}/messages`).set(person.auth).send({ text, visibility }).expect(202).then((response) => messageSchema.parse(response.body));

const detail = async (path: string, person: Person) => ticketDetailSchema.parse((await http().get(path).set(person.auth).expect(200)).body);

const delivered = (messageId: string) =>
  eventually(() => Message.findById(messageId).lean<MessageDoc>(), (message) => message?.deliveryState === 'sent' || message?.deliveryState === 'failed', `reply ${messageId} to be delivered`, 45_000).then((message) => message!);

describe('supervisor approval of public replies', () => {
  it('keeps an agent\'s public reply pending, undelivered and not yet an answer, until a supervisor approves it; then delivers it once', async () => {
    const chat = await setting();
    const pending = await reply(chat.ticketPath, chat.agent, 'So sorry, Kay! A fresh cake is on its way.');
    expect(pending).toMatchObject({ deliveryState: 'pending_approval', approval: { state: 'pending', decidedAt: null, comment: null } });
    expect(await parley().queues.queue('outbound').getJob(pending.id)).toBeNull();
    expect((await detail(chat.ticketPath, chat.agent)).sla.firstResponse?.state).toBe('running');

    // The supervisor's own reply and the agent's private message go out at once; the pending one does not.
    const own = await reply(chat.ticketPath, chat.supervisor, 'Our supervisor here: we are on it.');
    expect(own.deliveryState).toBe('queued');
    const privately = await reply(chat.ticketPath, chat.agent, 'Could you send your order number?', 'private');
    expect(privately.deliveryState).toBe('queued');
    await delivered(own.id);
    await delivered(privately.id);
    expect(chat.receiver.requests.map((received) => received.body.id)).toEqual([own.id, privately.id]);
    expect((await Message.findById(pending.id).lean())?.deliveryState).toBe('pending_approval');

    const listed = pendingApprovalsResponseSchema.parse((await http().get('/api/approvals').set(chat.supervisor.auth).expect(200)).body);
    expect(listed.items.map((item) => [item.message.id, item.ticket.id])).toContainEqual([pending.id, chat.ticket._id.toHexString()]);
    expect(listed.count).toBeGreaterThanOrEqual(1);

    const approved = messageSchema.parse((await http().post(`${chat.ticketPath}/messages/${pending.id}/approve`).set(chat.supervisor.auth).send({}).expect(200)).body);
    expect(approved).toMatchObject({ deliveryState: 'queued', approval: { state: 'approved', decidedById: chat.supervisor.user._id.toHexString(), decidedByName: chat.supervisor.user.name } });
    expect((await delivered(pending.id)).deliveryState).toBe('sent');
    expect(chat.receiver.requests.filter((received) => received.body.id === pending.id)).toHaveLength(1);
    expect(chat.receiver.stored.get(pending.id)?.body).toMatchObject({ visibility: 'public', text: 'So sorry, Kay! A fresh cake is on its way.' });

    // Approving again, or rejecting now, is too late.
    const again = await http().post(`${chat.ticketPath}/messages/${pending.id}/approve`).set(chat.admin.auth).send({}).expect(409);
    expect(errorBodySchema.parse(again.body).error.message).toMatch(/approved already/);
    await http().post(`${chat.ticketPath}/messages/${pending.id}/reject`).set(chat.admin.auth).send({ comment: 'no' }).expect(409);
    expect(chat.receiver.requests.filter((received) => received.body.id === pending.id)).toHaveLength(1);

    const trail = await AuditEvent.find({ ticketId: chat.ticket._id, action: /^message\./ }).sort({ at: 1 }).lean();
    expect(trail.map((entry) => [entry.action, entry.actorKind, entry.actorName])).toEqual([
      ['message.approval_requested', 'user', chat.agent.user.name],
      ['message.approved', 'user', chat.supervisor.user.name],
    ]);
  });

  it('stops the first-response clock when the reply is approved, not when the agent wrote it', async () => {
    const chat = await setting();
    const pending = await reply(chat.ticketPath, chat.agent, 'We will make it right.');
    const written = new Date(pending.createdAt);
    expect((await detail(chat.ticketPath, chat.agent)).sla.firstResponse).toMatchObject({ state: 'running', completedAt: null });
    // Time passes while the supervisor looks; the answer counts from the approval.
    await eventually(() => Promise.resolve(Date.now()), (now) => now > written.getTime() + 20, 'a moment to pass');
    await http().post(`${chat.ticketPath}/messages/${pending.id}/approve`).set(chat.supervisor.auth).send({ comment: 'Good tone' }).expect(200);
    const clock = (await detail(chat.ticketPath, chat.agent)).sla.firstResponse;
    expect(clock?.state).toBe('met');
    const approvedAt = (await Message.findById(pending.id).lean())?.approval?.decidedAt;
    expect(clock?.completedAt).toBe(approvedAt?.toISOString());
    expect(new Date(clock?.completedAt ?? 0).getTime()).toBeGreaterThan(written.getTime());
  });

  it('rejects with the supervisor\'s comment, shown to the agent, and never sends it', async () => {
    const chat = await setting();
    const pending = await reply(chat.ticketPath, chat.agent, 'lol our bad');
    const missing = await http().post(`${chat.ticketPath}/messages/${pending.id}/reject`).set(chat.supervisor.auth).send({}).expect(400);
    expect(errorBodySchema.parse(missing.body).error.field).toBe('comment');

    const rejected = messageSchema.parse((await http().post(`${chat.ticketPath}/messages/${pending.id}/reject`).set(chat.supervisor.auth).send({ comment: 'Too flippant, apologise properly' }).expect(200)).body);
    expect(rejected).toMatchObject({ deliveryState: 'rejected', approval: { state: 'rejected', comment: 'Too flippant, apologise properly', decidedByName: chat.supervisor.user.name } });
    const thread = messageListResponseSchema.parse((await http().get(`${chat.ticketPath}/messages`).set(chat.agent.auth).expect(200)).body);
    expect(thread.items.find((message) => message.id === pending.id)).toMatchObject({ deliveryState: 'rejected', approval: { comment: 'Too flippant, apologise properly' } });

    await http().post(`${chat.ticketPath}/messages/${pending.id}/approve`).set(chat.supervisor.auth).send({}).expect(409);
    await http().post(`${chat.ticketPath}/messages/${pending.id}/reject`).set(chat.supervisor.auth).send({ comment: 'again' }).expect(409);
    // Still owed to the customer, and never delivered: a reply sent after it is the only one the receiver gets.
    expect((await detail(chat.ticketPath, chat.agent)).sla.firstResponse?.state).toBe('running');
    const next = await reply(chat.ticketPath, chat.supervisor, 'We are sorry, Kay.');
    await delivered(next.id);
    expect(chat.receiver.requests.map((received) => received.body.id)).toEqual([next.id]);
    const trail = await AuditEvent.findOne({ ticketId: chat.ticket._id, action: 'message.rejected' }).lean();
    expect(trail).toMatchObject({ actorName: chat.supervisor.user.name, after: { messageId: pending.id, deliveryState: 'rejected', comment: 'Too flippant, apologise properly' } });
  });

  it('takes one decision when two supervisors decide at once, and delivers at most once', async () => {
    const chat = await setting();
    const pending = await reply(chat.ticketPath, chat.agent, 'Decide me');
    const answers = await Promise.all([
      http().post(`${chat.ticketPath}/messages/${pending.id}/approve`).set(chat.supervisor.auth).send({}),
      http().post(`${chat.ticketPath}/messages/${pending.id}/reject`).set(chat.admin.auth).send({ comment: 'No' }),
      http().post(`${chat.ticketPath}/messages/${pending.id}/approve`).set(chat.admin.auth).send({}),
    ]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409, 409]);
    const winner = messageSchema.parse(answers.find((answer) => answer.status === 200)?.body);
    const decisions = await AuditEvent.countDocuments({ ticketId: chat.ticket._id, action: { $in: ['message.approved', 'message.rejected'] } });
    expect(decisions).toBe(1);
    if (winner.deliveryState === 'queued') {
      await delivered(pending.id);
      expect(chat.receiver.requests.filter((received) => received.body.id === pending.id)).toHaveLength(1);
    } else {
      expect(winner.deliveryState).toBe('rejected');
    }
  });

  it('lets only supervisors and admins decide, answers 404 for a message of another ticket', async () => {
    const chat = await setting();
    const pending = await reply(chat.ticketPath, chat.agent, 'Hello there');
    for (const person of [chat.agent, chat.colleague]) {
      await http().post(`${chat.ticketPath}/messages/${pending.id}/approve`).set(person.auth).send({}).expect(403);
      await http().post(`${chat.ticketPath}/messages/${pending.id}/reject`).set(person.auth).send({ comment: 'no' }).expect(403);
    }
    await http().get('/api/approvals').set(chat.agent.auth).expect(403);
    await http().post(`${chat.ticketPath}/messages/${pending.id}/approve`).send({}).expect(401);
    const other = await setting();
    await http().post(`${other.ticketPath}/messages/${pending.id}/approve`).set(chat.supervisor.auth).send({}).expect(404);
    await http().post(`${chat.ticketPath}/messages/not-an-id/approve`).set(chat.supervisor.auth).send({}).expect(404);
    expect((await Message.findById(pending.id).lean())?.deliveryState).toBe('pending_approval');
  });

  it('asks approval only of the agents a team lists, when it lists some', async () => {
    const chat = await setting();
    await http()
      .patch(`/api/teams/${chat.team._id.toHexString()}`)
      .set(chat.admin.auth)
      .send({ publicReplyApproval: { required: true, agentIds: [chat.colleague.user._id.toHexString()] } })
      .expect(200);
    expect((await reply(chat.ticketPath, chat.agent, 'Straight out')).deliveryState).toBe('queued');
    expect((await reply(chat.ticketPath, chat.colleague, 'Waits for a look')).deliveryState).toBe('pending_approval');
    await http().patch(`/api/teams/${chat.team._id.toHexString()}`).set(chat.admin.auth).send({ publicReplyApproval: { required: false } }).expect(200);
    expect((await reply(chat.ticketPath, chat.colleague, 'Straight out too')).deliveryState).toBe('queued');
  });

  it('tells the supervisors and the agent live: a reply waiting, then its fate', async () => {
    const chat = await setting();
    const supervisorSocket = await socketOf(chat.supervisor);
    const agentSocket = await socketOf(chat.agent);
    const seenBySupervisor: ApprovalEvent[] = [];
    const seenByAgent: ApprovalEvent[] = [];
    const updatesForAgent: MessageEvent[] = [];
    supervisorSocket.on('approval.updated', (event) => seenBySupervisor.push(event));
    agentSocket.on('approval.updated', (event) => seenByAgent.push(event));
    agentSocket.on('message.updated', (event) => updatesForAgent.push(event));

    const pending = await reply(chat.ticketPath, chat.agent, 'Sorry about that');
    const waiting = await eventually(() => Promise.resolve(seenBySupervisor.find((event) => event.message.id === pending.id)), Boolean, 'the supervisor to hear of the waiting reply');
    expect(waiting).toMatchObject({ ticketId: chat.ticket._id.toHexString(), message: { deliveryState: 'pending_approval' } });
    const countWhileWaiting = waiting!.pendingCount;
    expect(countWhileWaiting).toBeGreaterThanOrEqual(1);

    await http().post(`${chat.ticketPath}/messages/${pending.id}/reject`).set(chat.supervisor.auth).send({ comment: 'Say more' }).expect(200);
    const fate = await eventually(() => Promise.resolve(seenByAgent.find((event) => event.message.deliveryState === 'rejected')), Boolean, 'the agent to hear it was rejected');
    expect(fate?.message).toMatchObject({ id: pending.id, approval: { state: 'rejected', comment: 'Say more' } });
    const decided = await eventually(() => Promise.resolve(seenBySupervisor.find((event) => event.message.id === pending.id && event.message.deliveryState === 'rejected')), Boolean, 'the supervisors to see it leave the queue');
    expect(decided!.pendingCount).toBe(await Message.countDocuments({ deliveryState: 'pending_approval' }));
    await eventually(() => Promise.resolve(updatesForAgent.some((event) => event.message.id === pending.id && event.message.deliveryState === 'rejected')), Boolean, 'the thread to update');
  });
});

describe('teams API', () => {
  it('lists teams with members and approval settings for supervisors and admins; only admins change them, with valid agents', async () => {
    const team = await makeTeam();
    const admin = await signedIn({ role: 'admin' });
    const supervisor = await signedIn({ role: 'supervisor' });
    const agent = await signedIn({ teamIds: [team._id] });
    const outsider = await signedIn();
    const lead = await signedIn({ role: 'supervisor', teamIds: [team._id] });
    const path = `/api/teams/${team._id.toHexString()}`;

    const listed = teamListResponseSchema.parse((await http().get('/api/teams').set(supervisor.auth).expect(200)).body).items.find((item) => item.id === team._id.toHexString());
    expect(listed).toMatchObject({ name: team.name, publicReplyApproval: { required: false, agentIds: [] } });
    expect(listed?.members.map((member) => member.id).sort()).toEqual([agent.user._id.toHexString(), lead.user._id.toHexString()].sort());
    await http().get('/api/teams').set(agent.auth).expect(403);

    await http().patch(path).set(supervisor.auth).send({ publicReplyApproval: { required: true } }).expect(403);
    const changed = teamDetailSchema.parse((await http().patch(path).set(admin.auth).send({ publicReplyApproval: { required: true, agentIds: [agent.user._id.toHexString()] } }).expect(200)).body);
    expect(changed.publicReplyApproval).toEqual({ required: true, agentIds: [agent.user._id.toHexString()] });

    for (const wrong of [outsider.user._id.toHexString(), lead.user._id.toHexString(), '000000000000000000000000']) {
      const refused = await http().patch(path).set(admin.auth).send({ publicReplyApproval: { required: true, agentIds: [agent.user._id.toHexString(), wrong] } }).expect(400);
      expect(errorBodySchema.parse(refused.body).error.field).toBe('publicReplyApproval.agentIds.1');
    }
    const unknownKey = await http().patch(path).set(admin.auth).send({ publicReplyApproval: { required: false }, name: 'Renamed' }).expect(400);
    expect(errorBodySchema.parse(unknownKey.body).error.field).toBe('name');
    await http().patch('/api/teams/000000000000000000000000').set(admin.auth).send({ publicReplyApproval: { required: false } }).expect(404);
    expect((await Team.findById(team._id).lean())?.publicReplyApproval).toMatchObject({ required: true });
  });
});
