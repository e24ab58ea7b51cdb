import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { healthSchema } from '@parley/common';
import { ferretUri, startFerret, type RunningServer } from '../../../scripts/provision/ferretdb';
import { startRedis } from '../../../scripts/provision/redis';
import { startParley, type Parley } from '../server';
import { httpServer, testConfig, testLog } from '../test/harness';
import { eventually } from '../test/eventually';

/**
 * Parley on servers of its own, which the test stops and starts again: /healthz must
 * say what is down, and Parley must reconnect by itself when the server returns.
 */
let dataDir: string;
let ferret: RunningServer;
let redis: RunningServer;
let parley: Parley;

const startOwnFerret = (port?: number) =>
  startFerret({ backend: 'sqlite', sqliteDir: dataDir, postgresUrl: '', log: () => undefined, ...(port ? { port } : {}) });

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'parley-health-'));
  ferret = await startOwnFerret();
  redis = await startRedis();
  parley = await startParley(testConfig({ MONGODB_URI: ferretUri(ferret.port, 'health'), REDIS_URL: redis.uri }), ['api'], testLog());
}, 120_000);

afterAll(async () => {
  await parley.stop();
  await ferret.stop();
  await redis.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function health() {
  const response = await request(httpServer(parley)).get('/healthz');
  return { status: response.status, body: healthSchema.parse(response.body) };
}

describe('GET /healthz', () => {
  it('answers 200 when MongoDB and Redis answer', async () => {
    expect(await health()).toEqual({ status: 200, body: { status: 'ok', mongo: 'ok', redis: 'ok' } });
  });

  it('goes 503 naming MongoDB while it is down, and recovers without a restart', async () => {
    await ferret.stop();
    expect(await health()).toEqual({ status: 503, body: { status: 'degraded', mongo: 'down', redis: 'ok' } });

    ferret = await startOwnFerret(ferret.port);
    await eventually(health, (answer) => answer.status === 200, 'GET /healthz to answer 200');
    expect((await health()).body.mongo).toBe('ok');
  }, 60_000);

  it('goes 503 naming Redis while it is down, and recovers without a restart', async () => {
    const port = redis.port;
    await redis.stop();
    await eventually(health, (answer) => answer.body.redis === 'down', 'GET /healthz to name Redis down', 5_000);
    expect(await health()).toEqual({ status: 503, body: { status: 'degraded', mongo: 'ok', redis: 'down' } });

    redis = await startRedis(port);
    await eventually(health, (answer) => answer.status === 200, 'GET /healthz to answer 200');
  }, 60_000);
});
