import request from 'supertest';
import { io as connect, type Socket } from 'socket.io-client';
import { rooms, type AgentPresence, type ClientToServerEvents, type ServerToClientEvents, type TicketPresence } from '@parley/common';
import { startParley, type Parley } from '../server';
import { TEST_PASSWORD, makeTeam, makeTicket, makeUser } from '../test/factories';
import { httpServer, testConfig, testLog, useParley } from '../test/harness';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

// Two api nodes on two ports, sharing Redis, as two api processes would.
let nodeB: Parley;
const clients: Client[] = [];
// Declared before node A's, so it runs first (jest runs afterAll hooks in order): the
// clients are gone and node B is stopped before node A stops.
afterAll(async () => {
  for (const client of clients) client.disconnect();
  await nodeB.stop();
});
const nodeA = useParley(['api']);
beforeAll(async () => {
  nodeB = await startParley(testConfig(), ['api'], testLog());
});

async function tokenFor(email: string): Promise<string> {
  const response = await request(httpServer(nodeA())).post('/api/auth/login').send({ email, password: TEST_PASSWORD }).expect(200);
  return (response.body as { token: string }).token;
}

async function connectTo(node: Parley, token: string | undefined): Promise<Client> {
  const client: Client = connect(`http://127.0.0.1:${node.port}`, { auth: token ? { token } : {}, transports: ['websocket'], reconnection: false });
  clients.push(client);
  await new Promise<void>((resolve, reject) => {
    client.once('connect', resolve);
    client.once('connect_error', (error) => reject(Object.assign(error, { detail: (error as { description?: { message?: string } }).description?.message })));
  });
  return client;
}

function nextPresence(client: Client, timeoutMs = 3_000): Promise<AgentPresence | 'nothing'> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('nothing'), timeoutMs);
    client.once('agent.presence', (payload) => {
      clearTimeout(timer);
      resolve(payload);
    });
  });
}

describe('socket.io across two api nodes', () => {
  it('refuses a socket without a valid token', async () => {
    await connectTo(nodeA(), await tokenFor((await makeUser()).email)).catch((e: unknown) => { throw new Error(JSON.stringify(e, Object.getOwnPropertyNames(e))); });
    await expect(connectTo(nodeB, undefined)).rejects.toThrow('unauthenticated');
    await expect(connectTo(nodeB, 'made-up')).rejects.toThrow('unauthenticated');
  });

  it('delivers a room emit from one node to a client connected to the other', async () => {
    const team = await makeTeam();
    const otherTeam = await makeTeam();
    const member = await makeUser({ teamIds: [team._id] });
    const outsider = await makeUser({ teamIds: [otherTeam._id] });
    const memberSocket = await connectTo(nodeB, await tokenFor(member.email));
    const outsiderSocket = await connectTo(nodeB, await tokenFor(outsider.email));

    const payload: AgentPresence = { userId: member._id.toHexString(), online: true, at: new Date().toISOString() };
    const received = nextPresence(memberSocket);
    const leaked = nextPresence(outsiderSocket, 1_000);
    nodeA().io?.to(rooms.team(team._id.toHexString())).emit('agent.presence', payload);

    expect(await received).toEqual(payload);
    expect(await leaked).toBe('nothing');
  });

  it('tells supervisors on any node when an agent comes online and goes offline', async () => {
    const supervisor = await makeUser({ role: 'supervisor' });
    const agent = await makeUser();
    const supervisorSocket = await connectTo(nodeA(), await tokenFor(supervisor.email));
    const agentToken = await tokenFor(agent.email);

    const online = nextPresence(supervisorSocket);
    const agentSocket = await connectTo(nodeB, agentToken);
    expect(await online).toMatchObject({ userId: agent._id.toHexString(), online: true });

    const offline = nextPresence(supervisorSocket);
    agentSocket.disconnect();
    expect(await offline).toMatchObject({ userId: agent._id.toHexString(), online: false });
  });

  it('accepts the session cookie in place of auth.token', async () => {
    const user = await makeUser();
    const token = await tokenFor(user.email);
    const client: Client = connect(`http://127.0.0.1:${nodeB.port}`, {
      transports: ['websocket'],
      reconnection: false,
      extraHeaders: { cookie: `parley_session=${token}` },
    });
    clients.push(client);
    await new Promise((resolve) => client.once('connect', () => resolve(undefined)));
    expect(client.connected).toBe(true);
  });
});

describe('who is viewing and typing', () => {
  function presenceUpdates(client: Client): TicketPresence[] {
    const updates: TicketPresence[] = [];
    client.on('ticket.presence', (payload) => updates.push(payload));
    return updates;
  }

  async function until(check: () => boolean): Promise<void> {
    const deadline = Date.now() + 5_000;
    while (!check()) {
      if (Date.now() > deadline) throw new Error('presence did not arrive');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  const latest = (updates: TicketPresence[]) => updates[updates.length - 1]?.viewers.map((viewer) => [viewer.name, viewer.typing]).sort();

  it('shows agents on two nodes each other viewing and typing, and forgets one who leaves', async () => {
    const team = await makeTeam();
    const ticket = await makeTicket({ teamId: team._id });
    const ticketId = ticket._id.toHexString();
    const ana = await makeUser({ name: 'Ana', teamIds: [team._id] });
    const ben = await makeUser({ name: 'Ben', teamIds: [team._id] });
    const anaSocket = await connectTo(nodeA(), await tokenFor(ana.email));
    const benSocket = await connectTo(nodeB, await tokenFor(ben.email));
    const seenByAna = presenceUpdates(anaSocket);

    expect(await anaSocket.emitWithAck('ticket.view', { ticketId })).toEqual({ ok: true });
    expect(await benSocket.emitWithAck('ticket.view', { ticketId })).toEqual({ ok: true });
    await until(() => JSON.stringify(latest(seenByAna)) === JSON.stringify([['Ana', false], ['Ben', false]]));

    await benSocket.emitWithAck('ticket.typing', { ticketId, typing: true });
    await until(() => JSON.stringify(latest(seenByAna)) === JSON.stringify([['Ana', false], ['Ben', true]]));

    benSocket.disconnect();
    await until(() => JSON.stringify(latest(seenByAna)) === JSON.stringify([['Ana', false]]));
  });

  it('refuses to show an agent on a ticket of another team', async () => {
    const ticket = await makeTicket({ teamId: (await makeTeam())._id });
    const outsider = await makeUser({ teamIds: [(await makeTeam())._id] });
    const socket = await connectTo(nodeB, await tokenFor(outsider.email));
    expect(await socket.emitWithAck('ticket.view', { ticketId: ticket._id.toHexString() })).toEqual({ ok: false, error: 'This ticket belongs to another team' });
    expect(await socket.emitWithAck('ticket.typing', { ticketId: ticket._id.toHexString(), typing: true })).toEqual({ ok: false, error: 'view the ticket first' });
    expect(await socket.emitWithAck('ticket.view', { ticketId: 'nonsense' })).toEqual({ ok: false, error: 'invalid payload' });
  });
});
