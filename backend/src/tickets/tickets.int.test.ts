import request from 'supertest';
import {
  errorBodySchema,
  messageListResponseSchema,
  messageSchema,
  ticketDetailSchema,
  ticketListQuerySchema,
  ticketListResponseSchema,
  ticketSchema,
  type Ticket as TicketShape,
} from '@parley/common';
import { TEST_CREDENTIALS_KEY, TEST_PASSWORD, makeSimulatorChannel, makeTeam, makeTicket, makeUser } from '../test/factories';
import { httpServer, useParley } from '../test/harness';
import { SimulatorReply } from '../connectors/simulator/simulator.connector';
import { ingest } from '../ingest/ingest.service';
import { Channel } from '../channels/channel.model';
import { AuditEvent } from './audit-event.model';
import { Message } from './message.model';
import { listTickets } from './ticket-list.service';
import { Ticket } from './ticket.model';
import { eventually } from '../test/eventually';

const parley = useParley(['api', 'worker'], { CREDENTIALS_KEY: TEST_CREDENTIALS_KEY });
const http = () => request(httpServer(parley()));

async function tokenOf(email: string): Promise<string> {
  const response = await http().post('/api/auth/login').send({ email, password: TEST_PASSWORD }).expect(200);
  return (response.body as { token: string }).token;
}

async function signedIn(fields: Parameters<typeof makeUser>[0] = {}) {
  const user = await makeUser(fields);
  const token = await tokenOf(user.email);
  return { user, auth: { authorization: `Bearer ${token}` } };
}

async function list(auth: Record<string, string>, query: Record<string, string> = {}) {
  const response = await http().get('/api/tickets').query(query).set(auth).expect(200);
  return ticketListResponseSchema.parse(response.body);
}

describe('GET /api/tickets', () => {
  it('shows an agent only their teams\' tickets and their own, and a supervisor everything', async () => {
    const care = await makeTeam();
    const billing = await makeTeam();
    const agent = await signedIn({ teamIds: [care._id] });
    const supervisor = await signedIn({ role: 'supervisor' });
    const ours = await makeTicket({ teamId: care._id, tags: ['roles-test'] });
    const theirs = await makeTicket({ teamId: billing._id, tags: ['roles-test'] });
    const mineElsewhere = await makeTicket({ teamId: billing._id, assigneeId: agent.user._id, tags: ['roles-test'] });

    const seenByAgent = (await list(agent.auth, { tag: 'roles-test' })).items.map((ticket) => ticket.id).sort();
    expect(seenByAgent).toEqual([ours._id.toHexString(), mineElsewhere._id.toHexString()].sort());
    expect((await list(supervisor.auth, { tag: 'roles-test' })).items).toHaveLength(3);

    await http().get(`/api/tickets/${theirs._id.toHexString()}`).set(agent.auth).expect(403);
    await http().get('/api/tickets/000000000000000000000000').set(agent.auth).expect(404);
    await http().get('/api/tickets').expect(401);
  });

  it('filters by status, priority, assignee, team and text, and sorts by priority', async () => {
    const team = await makeTeam();
    const supervisor = await signedIn({ role: 'supervisor' });
    const tag = `filters-${Date.now()}`;
    const urgent = await makeTicket({ teamId: team._id, tags: [tag], priority: 'urgent', subject: 'Lost luggage in Paris' });
    const low = await makeTicket({ teamId: team._id, tags: [tag], priority: 'low', status: 'pending' });
    const mine = await makeTicket({ teamId: team._id, tags: [tag], assigneeId: supervisor.user._id });

    const ids = (items: TicketShape[]) => items.map((ticket) => ticket.id);
    expect(ids((await list(supervisor.auth, { tag, status: 'pending' })).items)).toEqual([low._id.toHexString()]);
    expect(ids((await list(supervisor.auth, { tag, status: 'open,pending' })).items)).toHaveLength(3);
    expect(ids((await list(supervisor.auth, { tag, priority: 'urgent' })).items)).toEqual([urgent._id.toHexString()]);
    expect(ids((await list(supervisor.auth, { tag, assignee: 'me' })).items)).toEqual([mine._id.toHexString()]);
    expect(ids((await list(supervisor.auth, { tag, assignee: 'none' })).items)).toHaveLength(2);
    expect(ids((await list(supervisor.auth, { tag, q: 'luggage IN paris' })).items)).toEqual([urgent._id.toHexString()]);
    expect(ids((await list(supervisor.auth, { tag, sort: 'priority' })).items)[0]).toBe(urgent._id.toHexString());
    expect(ids((await list(supervisor.auth, { tag, sort: 'priority' })).items)[2]).toBe(low._id.toHexString());
  });

  it('pages with a cursor that neither repeats nor skips a ticket when new ones arrive meanwhile', async () => {
    const supervisor = await signedIn({ role: 'supervisor' });
    const tag = `paging-${Date.now()}`;
    const base = Date.now() - 3_600_000;
    for (let index = 0; index < 7; index++) await makeTicket({ tags: [tag], lastMessageAt: new Date(base + index * 1000) });

    const first = await list(supervisor.auth, { tag, limit: '3' });
    // Newer tickets arrive between two pages.
    await makeTicket({ tags: [tag], lastMessageAt: new Date() });
    await makeTicket({ tags: [tag], lastMessageAt: new Date() });
    const second = await list(supervisor.auth, { tag, limit: '3', cursor: first.nextCursor ?? '' });
    const third = await list(supervisor.auth, { tag, limit: '3', cursor: second.nextCursor ?? '' });

    const seen = [...first.items, ...second.items, ...third.items].map((ticket) => ticket.lastMessageAt);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    expect([...seen].sort().reverse()).toEqual(seen);
    expect(third.nextCursor).toBeNull();
  });

  it('pages through several statuses at once in the order of each sort, every ticket once', async () => {
    const supervisor = await signedIn({ role: 'supervisor' });
    const tag = `statuses-${Date.now()}`;
    const base = Date.now() - 3_600_000;
    const statuses = ['new', 'open', 'pending', 'open', 'new', 'solved', 'pending', 'open'] as const;
    const priorities = ['low', 'urgent', 'normal', 'high', 'urgent', 'urgent', 'low', 'normal'] as const;
    for (const [index, status] of statuses.entries()) {
      await makeTicket({ tags: [tag], status, priority: priorities[index], lastMessageAt: new Date(base + index * 1000) });
    }
    const all = async (sort: string) => {
      const seen: TicketShape[] = [];
      let cursor = '';
      do {
        const page = await list(supervisor.auth, { tag, status: 'new,open,pending', sort, limit: '3', ...(cursor ? { cursor } : {}) });
        seen.push(...page.items);
        cursor = page.nextCursor ?? '';
      } while (cursor);
      return seen;
    };
    const newest = await all('lastMessageAt');
    expect(newest.map((ticket) => ticket.status)).toEqual(['open', 'pending', 'new', 'open', 'pending', 'open', 'new']);
    const byPriority = await all('priority');
    expect(byPriority.map((ticket) => ticket.priority)).toEqual(['urgent', 'urgent', 'high', 'normal', 'normal', 'low', 'low']);
    expect(new Set(byPriority.map((ticket) => ticket.id)).size).toBe(7);

    // The same pages when each status is read on its own and merged (as on FerretDB-PostgreSQL).
    for (const [sort, expected] of [['lastMessageAt', newest], ['priority', byPriority]] as const) {
      const merged: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await listTickets(supervisor.user, ticketListQuerySchema.parse({ tag, status: 'new,open,pending', sort, limit: '3', ...(cursor ? { cursor } : {}) }), { statusesOneByOne: true });
        merged.push(...page.items.map((ticket) => ticket._id.toHexString()));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(merged).toEqual(expected.map((ticket) => ticket.id));
    }
  });

  it('answers 400 naming the field for bad filters and never passes operators on', async () => {
    const supervisor = await signedIn({ role: 'supervisor' });
    const badStatus = await http().get('/api/tickets').query({ status: 'sleeping' }).set(supervisor.auth).expect(400);
    expect(errorBodySchema.parse(badStatus.body).error).toMatchObject({ code: 'invalid', field: 'status.0' });
    const badCursor = await http().get('/api/tickets').query({ cursor: 'nope' }).set(supervisor.auth).expect(400);
    expect(errorBodySchema.parse(badCursor.body).error.field).toBe('cursor');
    const operator = await http().get('/api/tickets?teamId[$ne]=x').set(supervisor.auth).expect(400);
    expect(errorBodySchema.parse(operator.body).error.field).toBe('teamId[$ne]');
  });
});

describe('changing a ticket', () => {
  it('updates status, priority, assignee and tags, and records who changed what', async () => {
    const team = await makeTeam();
    const agent = await signedIn({ teamIds: [team._id] });
    const ticket = await makeTicket({ teamId: team._id });
    const response = await http()
      .patch(`/api/tickets/${ticket._id.toHexString()}`)
      .set(agent.auth)
      .send({ status: 'solved', priority: 'high', assigneeId: agent.user._id.toHexString(), tags: ['refund', 'refund', 'vip'] })
      .expect(200);
    expect(ticketSchema.parse(response.body)).toMatchObject({ status: 'solved', priority: 'high', assigneeId: agent.user._id.toHexString(), tags: ['refund', 'vip'] });

    const audit = await AuditEvent.find({ ticketId: ticket._id }).lean();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: agent.user._id, before: { status: 'open', priority: 'normal', assigneeId: null, tags: [] }, after: { status: 'solved', priority: 'high' } });
    expect((await Ticket.findById(ticket._id).lean())?.solvedAt).toBeInstanceOf(Date);
  });

  it('refuses unknown fields, bad values and users that do not exist, naming the field', async () => {
    const supervisor = await signedIn({ role: 'supervisor' });
    const ticket = await makeTicket();
    const path = `/api/tickets/${ticket._id.toHexString()}`;
    expect(errorBodySchema.parse((await http().patch(path).set(supervisor.auth).send({ status: 'done' }).expect(400)).body).error.field).toBe('status');
    expect(errorBodySchema.parse((await http().patch(path).set(supervisor.auth).send({ number: 1 }).expect(400)).body).error.code).toBe('invalid');
    const ghost = await http().patch(path).set(supervisor.auth).send({ assigneeId: '000000000000000000000000' }).expect(400);
    expect(errorBodySchema.parse(ghost.body).error.field).toBe('assigneeId');
    expect((await Ticket.findById(ticket._id).lean())?.status).toBe('open');
  });
});

describe('answering', () => {
  it('queues a public reply and delivers it through the channel; a note never leaves', async () => {
    const team = await makeTeam();
    const channel = await makeSimulatorChannel({ teamId: team._id });
    const agent = await signedIn({ teamIds: [team._id] });
      const stored = await ingest(
      channel,
      { action: 'create', channelKind: 'simulator', externalId: `m-${Date.now()}`, visibility: 'public', author: { externalId: 'kay' }, text: 'help', attachments: [], sentAt: new Date().toISOString(), tags: [] },
      null,
      parley().ingestDeps,
    );
    if (stored.outcome !== 'stored') throw new Error('setup failed');
    const path = `/api/tickets/${stored.ticketId.toHexString()}/messages`;

    const reply = messageSchema.parse((await http().post(path).set(agent.auth).send({ text: 'We are on it!', visibility: 'public' }).expect(202)).body);
    expect(reply).toMatchObject({ deliveryState: 'queued', direction: 'outbound', externalId: null, authorName: agent.user.name });
    const note = messageSchema.parse((await http().post(path).set(agent.auth).send({ text: 'VIP, be nice', visibility: 'note' }).expect(202)).body);
    expect(note.deliveryState).toBe('internal');

    const sent = await eventually(() => Message.findById(reply.id).lean(), (message) => message?.deliveryState === 'sent');
    expect(sent?.externalId).toBe(`sim-out-${reply.id}`);
    const replies = await SimulatorReply.find({ channelId: channel._id.toHexString() }).lean();
    expect(replies.map((entry) => entry.text)).toEqual(['We are on it!']);
    expect(replies[0]?.inReplyTo).toMatch(/^m-/);

    const thread = messageListResponseSchema.parse((await http().get(path).set(agent.auth).expect(200)).body);
    expect(thread.items.map((message) => [message.direction, message.visibility])).toEqual([['inbound', 'public'], ['outbound', 'public'], ['outbound', 'note']]);
    const detail = ticketDetailSchema.parse((await http().get(`/api/tickets/${stored.ticketId.toHexString()}`).set(agent.auth).expect(200)).body);
    expect(detail).toMatchObject({ status: 'open', unreadCount: 0, messageCount: 3, contact: { identities: [{ externalId: 'kay' }] } });
  });

  it('pages a long thread oldest first', async () => {
    const supervisor = await signedIn({ role: 'supervisor' });
    const ticket = await makeTicket();
    const path = `/api/tickets/${ticket._id.toHexString()}/messages`;
    for (let index = 0; index < 5; index++) await http().post(path).set(supervisor.auth).send({ text: `note ${index}`, visibility: 'note' }).expect(202);
    const first = messageListResponseSchema.parse((await http().get(path).query({ limit: 3 }).set(supervisor.auth).expect(200)).body);
    const second = messageListResponseSchema.parse((await http().get(path).query({ limit: 3, cursor: first.nextCursor }).set(supervisor.auth).expect(200)).body);
    expect([...first.items, ...second.items].map((message) => message.text)).toEqual(['note 0', 'note 1', 'note 2', 'note 3', 'note 4']);
    expect(second.nextCursor).toBeNull();
  });

  it('refuses an empty reply and an unknown visibility, naming the field', async () => {
    const supervisor = await signedIn({ role: 'supervisor' });
    const ticket = await makeTicket();
    const path = `/api/tickets/${ticket._id.toHexString()}/messages`;
    expect(errorBodySchema.parse((await http().post(path).set(supervisor.auth).send({ text: '  ', visibility: 'public' }).expect(400)).body).error.field).toBe('text');
    expect(errorBodySchema.parse((await http().post(path).set(supervisor.auth).send({ text: 'hi', visibility: 'shout' }).expect(400)).body).error.field).toBe('visibility');
    expect(await Message.countDocuments({ ticketId: ticket._id })).toBe(0);
  });

  it('refuses a reply longer than the platform takes, counted as the platform counts it, and stores nothing', async () => {
    const supervisor = await signedIn({ role: 'supervisor' });
    const channel = await makeSimulatorChannel();
    await Channel.updateOne({ _id: channel._id }, { $set: { 'settings.imitates': 'x' } });
    const ticket = await makeTicket({ channelId: channel._id });
    const path = `/api/tickets/${ticket._id.toHexString()}/messages`;

    const tooLong = errorBodySchema.parse((await http().post(path).set(supervisor.auth).send({ text: 'a'.repeat(281), visibility: 'public' }).expect(400)).body);
    expect(tooLong.error).toMatchObject({ field: 'text', message: 'A public reply on X takes at most 280 characters; this one has 281 (links count as 23, most emoji and CJK characters as 2)' });
    // A link counts 23 however long it is: 250 + 1 + 23 = 274 of 280.
    const withLink = `${'a'.repeat(250)} https://example.com/${'long-path/'.repeat(10)}`;
    expect(withLink.length).toBeGreaterThan(280);
    await http().post(path).set(supervisor.auth).send({ text: withLink, visibility: 'public' }).expect(202);
    // Emoji weigh 2 in a post: 141 of them are 282.
    await http().post(path).set(supervisor.auth).send({ text: '🙂'.repeat(141), visibility: 'public' }).expect(400);
    expect(await Message.countDocuments({ ticketId: ticket._id })).toBe(1);
    // A direct message on X takes 10,000.
    const dm = await makeTicket({ channelId: channel._id });
    await Ticket.updateOne({ _id: dm._id }, { $set: { origin: 'private' } });
    await http().post(`/api/tickets/${dm._id.toHexString()}/messages`).set(supervisor.auth).send({ text: 'a'.repeat(281), visibility: 'private' }).expect(202);
  });
});

describe('POST /api/tickets/:id/read', () => {
  it('clears the unread count for whoever may see the ticket, and only for them', async () => {
    const team = await makeTeam();
    const ticket = await makeTicket({ teamId: team._id });
    await Ticket.updateOne({ _id: ticket._id }, { $set: { unreadCount: 3 } });
    const outsider = await signedIn({ role: 'agent', teamIds: [] });
    await http().post(`/api/tickets/${ticket._id.toHexString()}/read`).set(outsider.auth).expect(403);
    expect((await Ticket.findById(ticket._id).lean())?.unreadCount).toBe(3);

    const agent = await signedIn({ role: 'agent', teamIds: [team._id] });
    const read = await http().post(`/api/tickets/${ticket._id.toHexString()}/read`).set(agent.auth).expect(200);
    expect(ticketSchema.parse(read.body).unreadCount).toBe(0);
    expect((await Ticket.findById(ticket._id).lean())?.unreadCount).toBe(0);
  });
});
