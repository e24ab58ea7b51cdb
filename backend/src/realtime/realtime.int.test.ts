import request from 'supertest';
import { io as connect, type Socket } from 'socket.io-client';
import { SIGNATURE_HEADER, messageEventSchema, ticketEventSchema, type ClientToServerEvents, type ServerToClientEvents } from '@parley/common';
import { hmacSha256 } from '../connectors/signature';
import { startParley, type Parley } from '../server';
import { TEST_CREDENTIALS_KEY, TEST_PASSWORD, makeSimulatorChannel, makeSimulatorEvent, makeTeam, makeUser } from '../test/factories';
import { httpServer, testConfig, testLog, useParley } from '../test/harness';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
type EventName = 'ticket.created' | 'ticket.updated' | 'message.created' | 'message.updated';

// An api process with the agents' sockets, and a separate worker process doing the ingest.
const api = useParley(['api'], { CREDENTIALS_KEY: TEST_CREDENTIALS_KEY });
let worker: Parley;
const clients: Client[] = [];

beforeAll(async () => {
  worker = await startParley(testConfig({ CREDENTIALS_KEY: TEST_CREDENTIALS_KEY }), ['worker'], testLog());
});
afterAll(async () => {
  for (const client of clients) client.disconnect();
  await worker.stop();
});

async function socketFor(fields: Parameters<typeof makeUser>[0]) {
  const user = await makeUser(fields);
  const login = await request(httpServer(api())).post('/api/auth/login').send({ email: user.email, password: TEST_PASSWORD }).expect(200);
  const token = (login.body as { token: string }).token;
  const client: Client = connect(`http://127.0.0.1:${api().port}`, { auth: { token }, transports: ['websocket'], reconnection: false });
  clients.push(client);
  await new Promise<void>((resolve, reject) => {
    client.once('connect', resolve);
    client.once('connect_error', reject);
  });
  const received: Array<{ name: EventName; payload: unknown }> = [];
  for (const name of ['ticket.created', 'ticket.updated', 'message.created', 'message.updated'] as const) {
    client.on(name, (payload: unknown) => received.push({ name, payload }));
  }
  return { user, token, received };
}

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('expected events did not arrive');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('live events', () => {
  it('tells the ticket\'s team and the supervisors, not other teams, about a new ticket ingested by another process', async () => {
    const care = await makeTeam();
    const billing = await makeTeam();
    const channel = await makeSimulatorChannel({ teamId: care._id });
    const member = await socketFor({ teamIds: [care._id] });
    const outsider = await socketFor({ teamIds: [billing._id] });
    const supervisor = await socketFor({ role: 'supervisor' });

    const event = makeSimulatorEvent({ text: 'my bag is lost' });
    const body = JSON.stringify({ events: [event] });
    await request(httpServer(api()))
      .post(`/webhooks/simulator/${channel._id.toHexString()}`)
      .set('content-type', 'application/json')
      .set(SIGNATURE_HEADER, `sha256=${hmacSha256(channel.secret, body, 'hex')}`)
      .send(body)
      .expect(200);

    await until(() => member.received.length >= 2 && supervisor.received.length >= 2);
    expect(member.received.map((entry) => entry.name).sort()).toEqual(['message.created', 'ticket.created']);
    const created = ticketEventSchema.parse(member.received.find((entry) => entry.name === 'ticket.created')?.payload);
    expect(created.ticket.subject).toBe('my bag is lost');
    const message = messageEventSchema.parse(member.received.find((entry) => entry.name === 'message.created')?.payload);
    expect(message.message.text).toBe('my bag is lost');

    // A change made through the api reaches the same screens.
    const ticketId = created.ticket.id;
    await request(httpServer(api())).patch(`/api/tickets/${ticketId}`).set('authorization', `Bearer ${supervisor.token}`).send({ priority: 'urgent' }).expect(200);
    await until(() => member.received.some((entry) => entry.name === 'ticket.updated'));

    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(outsider.received).toEqual([]);
  });
});
