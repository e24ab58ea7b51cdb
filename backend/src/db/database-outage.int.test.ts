import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import request from 'supertest';
import { SIGNATURE_HEADER, type SimulatorEvent } from '@parley/common';
import { ferretUri, startFerret, type RunningServer } from '../../../scripts/provision/ferretdb';
import { hmacSha256 } from '../connectors/signature';
import { RawEvent } from '../ingest/raw-event.model';
import { startParley, type Parley } from '../server';
import { TEST_CREDENTIALS_KEY, TEST_PASSWORD, makeSimulatorChannel, makeSimulatorEvent, makeUser } from '../test/factories';
import { clearRedisPrefix, httpServer, testConfig, testLog } from '../test/harness';
import { Message } from '../tickets/message.model';
import { eventually } from '../test/eventually';

/**
 * FerretDB of the test's own, killed while deliveries are waiting: Parley answers 503 with
 * Retry-After at once (API and webhooks), the provisioner starts FerretDB again, Parley
 * reconnects by itself, and every accepted delivery is stored exactly once.
 */
let dataDir: string;
let ferret: RunningServer;
let parley: Parley;
const provisionerLines: string[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'parley-outage-'));
  // Down for 6 s once killed: longer than the driver takes to notice (a 2 s heartbeat), so the outage is seen.
  ferret = await startFerret({ backend: 'sqlite', sqliteDir: dataDir, postgresUrl: '', log: (line) => provisionerLines.push(line), restartAfterMs: 6_000 });
  parley = await startParley(testConfig({ MONGODB_URI: ferretUri(ferret.port, 'outage'), CREDENTIALS_KEY: TEST_CREDENTIALS_KEY, SWEEP_INTERVAL_SECONDS: '1' }), ['api', 'worker'], testLog());
}, 120_000);

afterAll(async () => {
  await mongoose.connection.dropDatabase().catch(() => undefined);
  await parley.stop();
  await clearRedisPrefix(parley.config.REDIS_URL, parley.config.QUEUE_PREFIX);
  await ferret.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

it('answers 503 with Retry-After while the database is down, recovers by itself and loses nothing', async () => {
  const http = () => request(httpServer(parley));
  const channel = await makeSimulatorChannel();
  const agent = await makeUser({ role: 'supervisor' });
  const token = ((await http().post('/api/auth/login').send({ email: agent.email, password: TEST_PASSWORD }).expect(200)).body as { token: string }).token;
  const tickets = () => http().get('/api/tickets').set('authorization', `Bearer ${token}`);
  const deliver = (event: SimulatorEvent) => {
    const body = JSON.stringify({ events: [event] });
    return http().post(`/webhooks/simulator/${channel._id.toHexString()}`).set('content-type', 'application/json').set(SIGNATURE_HEADER, `sha256=${hmacSha256(channel.secret, body, 'hex')}`).send(body);
  };

  const accepted = Array.from({ length: 10 }, () => makeSimulatorEvent());
  // The worker holds back, so deliveries are waiting when the database goes.
  const inbound = parley.queues.queue('inbound');
  await inbound.pause(true, true);
  for (const event of accepted) await deliver(event).expect(200);

  const exited = new Promise((resolve) => ferret.child.once('exit', resolve));
  ferret.child.kill('SIGKILL');
  await exited;
  await inbound.resume(true);

  // A request in the first moments may wait for the server (and be answered 503 when it gives up); then at once.
  const down = await eventually(() => tickets(), (response) => response.status === 503, 'the API to answer 503');
  expect(down.status).toBe(503);
  expect(down.headers['retry-after']).toBe('5');
  expect(down.body).toMatchObject({ error: { code: 'unavailable' } });
  // A platform told 503 delivers again later.
  const refused = makeSimulatorEvent();
  const whileDown = await deliver(refused);
  expect(whileDown.status).toBe(503);
  expect(whileDown.headers['retry-after']).toBe('5');

  // The provisioner starts FerretDB again and Parley reconnects without a restart.
  await eventually(async () => (await tickets()).status, (status) => status === 200);
  expect(provisionerLines.join('\n')).toMatch(/exited \(SIGKILL\); starting it again/);
  await eventually(() => deliver(refused).then((response) => response.status), (status) => status === 200);

  await eventually(() => RawEvent.countDocuments({ channelId: channel._id, status: { $ne: 'processed' } }), (open) => open === 0);
  const stored = await Message.find({ channelId: channel._id }).lean();
  expect(stored.map((message) => message.externalId).sort()).toEqual([...accepted, refused].map((event) => event.id).sort());
}, 120_000);
