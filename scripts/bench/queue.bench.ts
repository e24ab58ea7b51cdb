/**
 * The ticket queue on this machine: (a) ingest throughput through webhook → queue →
 * ticket next to plain inserts, (b) webhook-to-socket latency with many agent sockets
 * at a steady rate, (c) GET /api/tickets with many tickets in the database.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import mongoose, { Types } from 'mongoose';
import { io as connect, type Socket } from 'socket.io-client';
import { SIGNATURE_HEADER, type ClientToServerEvents, type ServerToClientEvents, type SimulatorEvent } from '@parley/common';
import { Channel } from '../../backend/src/channels/channel.model';
import { encryptCredentials } from '../../backend/src/channels/credentials';
import { benchConfig } from './config';
import { ensurePushdownIndexes } from '../../backend/src/db/ferretdb-postgres';
import { syncIndexes } from '../../backend/src/db/mongo';
import { hmacSha256 } from '../../backend/src/connectors/signature';
import { createLogger } from '../../backend/src/logger';
import { registry } from '../../backend/src/metrics';
import { startParley, type Parley } from '../../backend/src/server';
import { Ticket, assigneeFields, priorityRank } from '../../backend/src/tickets/ticket.model';
import { hashPassword } from '../../backend/src/users/auth.service';
import { Team } from '../../backend/src/users/team.model';
import { User } from '../../backend/src/users/user.model';
import { pool, sleep, summary } from './stats';

const numberFrom = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const INGEST_EVENTS = numberFrom('BENCH_INGEST_EVENTS', 2_000);
const SOCKETS = numberFrom('BENCH_SOCKETS', 200);
const RATE = numberFrom('BENCH_RATE', 200);
const LATENCY_SECONDS = numberFrom('BENCH_LATENCY_SECONDS', 10);
const TICKETS = numberFrom('BENCH_TICKETS', 100_000);
const LIST_SAMPLES = numberFrom('BENCH_LIST_SAMPLES', 30);
const PASSWORD = 'bench password 123';

interface Setup {
  parley: Parley;
  base: string;
  channelId: string;
  secret: string;
  teamId: Types.ObjectId;
  agentEmail: string;
}

async function setUp(mongoUri: string, redisUrl: string, ferretPostgresUrl: string | undefined): Promise<Setup> {
  const config = benchConfig('bench', mongoUri, redisUrl, ferretPostgresUrl);
  const parley = await startParley(config, ['api', 'worker'], createLogger(config));
  await mongoose.connection.dropDatabase();
  await syncIndexes();
  if (ferretPostgresUrl) await ensurePushdownIndexes(ferretPostgresUrl, createLogger(config));
  const team = await Team.create({ name: 'Bench care' });
  const agentEmail = 'bench-agent@example.test';
  await User.create({ email: agentEmail, name: 'Bench Agent', role: 'agent', teamIds: [team._id], passwordHash: await hashPassword(PASSWORD) });
  const secret = randomBytes(16).toString('hex');
  const channel = await Channel.create({
    kind: 'simulator',
    name: 'Bench simulator',
    externalAccountId: 'bench',
    settings: {},
    teamId: team._id,
    credentialsEncrypted: encryptCredentials({ secret }, config.CREDENTIALS_KEY),
  });
  return { parley, base: `http://127.0.0.1:${parley.port}`, channelId: channel._id.toHexString(), secret, teamId: team._id, agentEmail };
}

let sequence = 0;
function benchEvent(): SimulatorEvent {
  sequence += 1;
  const kind = sequence % 5 === 0 ? 'dm' : sequence % 5 === 1 ? 'reply' : 'mention';
  return {
    id: `bench-${sequence}-${randomBytes(3).toString('hex')}`,
    kind,
    ...(kind === 'reply' ? { thread: `bench-thread-${sequence % 50}` } : {}),
    author: { id: `author-${sequence % 300}`, handle: `author${sequence % 300}`, name: `Author ${sequence % 300}`, followers: (sequence * 37) % 100_000 },
    text: `Bench message ${sequence}: where is my order?`,
    at: new Date().toISOString(),
  };
}

async function post(setup: Setup, event: SimulatorEvent): Promise<void> {
  const body = JSON.stringify({ events: [event] });
  const response = await fetch(`${setup.base}/webhooks/simulator/${setup.channelId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: `sha256=${hmacSha256(setup.secret, body, 'hex')}` },
    body,
  });
  if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
}

async function ingestedCount(): Promise<number> {
  const metric = (await registry.getMetricsAsJSON()).find((entry) => entry.name === 'parley_messages_ingested_total');
  return (metric?.values ?? []).reduce((total, value) => total + value.value, 0);
}

async function benchIngest(setup: Setup) {
  const before = await ingestedCount();
  const events = Array.from({ length: INGEST_EVENTS }, benchEvent);
  // Every database command mongoose sends while the events go through (intake and ingest).
  let databaseCommands = 0;
  mongoose.set('debug', () => {
    databaseCommands += 1;
  });
  const started = performance.now();
  await pool(events, 16, (event) => post(setup, event));
  while ((await ingestedCount()) - before < INGEST_EVENTS) await sleep(20);
  const ingestPerSecond = INGEST_EVENTS / ((performance.now() - started) / 1000);
  mongoose.set('debug', false);

  const raw = mongoose.connection.collection('benchRawInserts');
  const docs = Array.from({ length: INGEST_EVENTS }, (_, index) => ({ channelId: new Types.ObjectId(), externalId: `raw-${index}`, text: `Bench message ${index}`, at: new Date() }));
  const rawStarted = performance.now();
  await pool(docs, 16, async (doc) => {
    await raw.insertOne(doc);
  });
  const rawPerSecond = INGEST_EVENTS / ((performance.now() - rawStarted) / 1000);
  await raw.drop();
  return {
    events: INGEST_EVENTS,
    ingestPerSecond,
    rawInsertPerSecond: rawPerSecond,
    ratio: ingestPerSecond / rawPerSecond,
    databaseCommandsPerEvent: databaseCommands / INGEST_EVENTS,
  };
}

async function login(setup: Setup): Promise<string> {
  const response = await fetch(`${setup.base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: setup.agentEmail, password: PASSWORD }),
  });
  return ((await response.json()) as { token: string }).token;
}

async function benchLatency(setup: Setup) {
  const token = await login(setup);
  const sentAt = new Map<string, number>();
  const samples: number[] = [];
  const sockets: Array<Socket<ServerToClientEvents, ClientToServerEvents>> = [];
  for (let index = 0; index < SOCKETS; index++) {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = connect(setup.base, { auth: { token }, transports: ['websocket'], reconnection: false });
    socket.on('message.created', ({ message }) => {
      const sent = message.externalId ? sentAt.get(message.externalId) : undefined;
      if (sent !== undefined) samples.push(performance.now() - sent);
    });
    sockets.push(socket);
  }
  await Promise.all(sockets.map((socket) => new Promise<void>((resolve) => (socket.connected ? resolve() : socket.once('connect', () => resolve())))));

  const total = RATE * LATENCY_SECONDS;
  let refused = 0;
  const started = performance.now();
  const inFlight: Array<Promise<void>> = [];
  for (let index = 0; index < total; index++) {
    const due = started + (index * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const event = benchEvent();
    sentAt.set(event.id, performance.now());
    // A webhook the overloaded api could not take is counted, not fatal: the figure says so.
    inFlight.push(
      post(setup, event).catch(() => {
        refused += 1;
        sentAt.delete(event.id);
      }),
    );
  }
  await Promise.all(inFlight);
  const expected = (total - refused) * SOCKETS;
  // Every event reaches every socket unless ingest cannot keep up with the rate; then the
  // backlog is waited out (up to BENCH_DRAIN_SECONDS), so what follows measures alone.
  const deadline = performance.now() + numberFrom('BENCH_DRAIN_SECONDS', 300) * 1000;
  while (samples.length < expected && performance.now() < deadline) await sleep(50);
  for (const socket of sockets) socket.disconnect();
  return { sockets: SOCKETS, ratePerSecond: RATE, events: total, webhooksRefused: refused, deliveries: samples.length, expectedDeliveries: expected, latencyMs: summary(samples) };
}

async function seedTickets(setup: Setup) {
  const agent = await User.findOne({ email: setup.agentEmail }).lean();
  if (!agent) throw new Error('bench agent missing');
  const teams = [setup.teamId, ...Array.from({ length: 4 }, () => new Types.ObjectId())];
  const agents = [agent._id, ...Array.from({ length: 19 }, () => new Types.ObjectId())];
  const channels = [new Types.ObjectId(setup.channelId), new Types.ObjectId(), new Types.ObjectId()];
  // A care desk's database: most tickets are history (solved or closed, assigned to whoever
  // answered); about 6% are the live backlog, a quarter of it new and not yet assigned.
  const active = ['new', 'open', 'new', 'open', 'pending', 'on_hold', 'open', 'pending'] as const;
  const statusOf = (n: number) => (n % 50 < 3 ? active[Math.floor(n / 50) % active.length] ?? 'open' : n % 2 === 0 ? 'closed' : 'solved');
  const priorities = ['low', 'normal', 'normal', 'high', 'urgent'] as const;
  const contacts = Array.from({ length: 1000 }, () => new Types.ObjectId());
  const now = Date.now();
  for (let offset = 0; offset < TICKETS; offset += 1000) {
    const batch = Array.from({ length: Math.min(1000, TICKETS - offset) }, (_, i) => {
      const n = offset + i;
      const priority = priorities[n % priorities.length] ?? 'normal';
      return {
        number: 1_000_000 + n,
        subject: `Seeded ticket ${n}`,
        status: statusOf(n),
        priority,
        priorityRank: priorityRank(priority),
        channelId: channels[n % channels.length],
        channelKind: 'simulator',
        origin: n % 3 === 0 ? 'private' : 'public',
        contactId: contacts[n % contacts.length],
        teamId: teams[Math.floor(n / 7) % teams.length],
        ...assigneeFields(statusOf(n) === 'new' ? null : (agents[Math.floor(n / 3) % agents.length] ?? null)),
        tags: [],
        unreadCount: n % 3,
        messageCount: 1 + (n % 5),
        lastMessageAt: new Date(now - n * 1000),
        lastMessagePreview: `Seeded ticket ${n}`,
        createdAt: new Date(now - n * 1000),
        updatedAt: new Date(now - n * 1000),
      };
    });
    await Ticket.collection.insertMany(batch, { ordered: false });
  }
  return { agentId: agent._id, channelId: channels[0] as Types.ObjectId };
}

async function timed(run: () => Promise<unknown>, times: number): Promise<number[]> {
  await run();
  const samples: number[] = [];
  for (let index = 0; index < times; index++) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  return samples;
}

async function benchList(setup: Setup) {
  // Only the seeded tickets: the earlier parts' tickets would swell the bench team's views.
  await Ticket.deleteMany({});
  const seedStarted = performance.now();
  const { agentId, channelId } = await seedTickets(setup);
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  const token = await login(setup);
  // "database" is the best equivalent query sent straight to FerretDB: the views' own
  // filters, plus the agent-visibility condition where the view does not imply it.
  const visibility = { $and: [{ $or: [{ teamId: { $in: [setup.teamId] } }, { assigneeId: agentId }] }] };
  const views: Array<{ name: string; query: Record<string, string>; filter: Record<string, unknown> }> = [
    { name: 'my open', query: { assignee: 'me', status: 'open' }, filter: { assigneeKey: agentId.toHexString(), status: 'open' } },
    { name: "my team's unassigned", query: { teamId: setup.teamId.toHexString(), assignee: 'none' }, filter: { teamId: setup.teamId, assigneeKey: 'none' } },
    { name: "a channel's new", query: { channelId: channelId.toHexString(), status: 'new' }, filter: { channelId, status: 'new', ...visibility } },
  ];
  const results = [];
  for (const view of views) {
    const get = async (cursor?: string) => {
      const params = new URLSearchParams({ ...view.query, limit: '25', ...(cursor ? { cursor } : {}) });
      const response = await fetch(`${setup.base}/api/tickets?${params.toString()}`, { headers: { authorization: `Bearer ${token}` } });
      if (response.status !== 200) throw new Error(`GET /api/tickets answered ${response.status}`);
      return (await response.json()) as { items: unknown[]; nextCursor: string | null };
    };
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) cursor = (await get(cursor)).nextCursor ?? undefined;
    const firstPage = await timed(() => get(), LIST_SAMPLES);
    const deepPage = cursor ? await timed(() => get(cursor), LIST_SAMPLES) : [];
    const direct = await timed(() => Ticket.find(view.filter).sort({ lastMessageAt: -1, _id: -1 }).limit(26).lean(), LIST_SAMPLES);
    const first = summary(firstPage);
    const straight = summary(direct);
    console.log(`[bench] ${view.name}: first page p95 ${summary(firstPage).p95.toFixed(0)} ms, database p95 ${summary(direct).p95.toFixed(0)} ms`);
    results.push({ view: view.name, firstPageMs: first, deepPageMs: summary(deepPage), databaseMs: straight, apiOverDatabaseP95: first.p95 / straight.p95 });
  }
  return { tickets: TICKETS, seedSeconds, views: results };
}

export async function benchQueue(mongoUri: string, redisUrl: string, ferretPostgresUrl?: string) {
  const setup = await setUp(mongoUri, redisUrl, ferretPostgresUrl);
  try {
    console.log(`[bench] ingest: ${INGEST_EVENTS} events …`);
    const ingest = await benchIngest(setup);
    console.log(`[bench] ingest: ${JSON.stringify(ingest)}`);
    console.log(`[bench] latency: ${SOCKETS} sockets, ${RATE} events/s for ${LATENCY_SECONDS}s …`);
    const latency = await benchLatency(setup);
    console.log(`[bench] latency: ${JSON.stringify(latency)}`);
    console.log(`[bench] GET /api/tickets with ${TICKETS} tickets …`);
    const list = await benchList(setup);
    return { ingest, latency, list };
  } finally {
    await mongoose.connection.dropDatabase().catch(() => undefined);
    await setup.parley.stop();
  }
}
