import request from 'supertest';
import { io as connect, type Socket } from 'socket.io-client';
import { rooms, type AgentPresence, type ClientToServerEvents, type ServerToClientEvents } from '@parley/common';
import { startParley, type Parley } from '../server';
import { TEST_PASSWORD, makeTeam, makeUser } from '../test/factories';
import { httpServer, testConfig, testLog, useParley } from '../test/harness';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

// Two api nodes on two ports, sharing Redis, as two api processes would.
const nodeA = useParley(['api']);
let nodeB: Parley;
const clients: Client[] = [];

beforeAll(async () => {
  nodeB = await startParley(testConfig(), ['api'], testLog());
});
afterAll(async () => {
  for (const client of clients) client.disconnect();
  await nodeB.stop();
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
