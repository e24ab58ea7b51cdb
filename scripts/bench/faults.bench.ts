/**
 * Exactly-once under faults, measured: customer messages through a generic webhook channel
 * from many concurrent senders (some deliveries repeated, as platforms do), while the worker
 * process is killed with SIGKILL and started again, Redis restarts empty and FerretDB is
 * killed (the provisioner starts it again). Senders retry until Parley answers 200, as a
 * platform does. Reports accepted, stored, lost, doubled, the drain time after the last
 * send, and what is left pending or failed at the end.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Bull from 'bull';
import Redis from 'ioredis';
import mongoose from 'mongoose';
import { SIGNATURE_HEADER, type WebhookChannelDelivery } from '@parley/common';
import { Channel } from '../../backend/src/channels/channel.model';
import { encryptCredentials } from '../../backend/src/channels/credentials';
import { hmacSha256 } from '../../backend/src/connectors/signature';
import { RawEvent } from '../../backend/src/ingest/raw-event.model';
import { Message } from '../../backend/src/tickets/message.model';
import { ferretUri, startFerret, type FerretBackend, type RunningServer } from '../provision/ferretdb';
import { freePort, stopProcess } from '../provision/process';
import { startRedis } from '../provision/redis';
import { repoRoot } from '../provision/paths';
import { sleep } from './stats';

const numberFrom = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const MESSAGES = numberFrom('BENCH_FAULT_MESSAGES', 3_000);
const SENDERS = numberFrom('BENCH_FAULT_SENDERS', 20);
const DUPLICATE_SHARE = numberFrom('BENCH_FAULT_DUPLICATES', 0.19);
const DRAIN_TIMEOUT_SECONDS = numberFrom('BENCH_FAULT_DRAIN_SECONDS', 1_800);
const CONVERSATIONS = Math.max(1, Math.round(MESSAGES / 5));

export interface FaultReport {
  database: string;
  messages: number;
  senders: number;
  /** Messages Parley answered 200 for at least once. */
  accepted: number;
  /** Deliveries sent again after a 200 (the platform's duplicates). */
  duplicatesSent: number;
  /** Distinct accepted messages stored. */
  stored: number;
  lost: number;
  /** Stored messages beyond one per platform id. */
  doubled: number;
  /** Answers by status ("network" when the connection failed). */
  answers: Record<string, number>;
  faults: Array<{ at: string; afterMessages: number; what: string }>;
  sendSeconds: number;
  /** From the last 200 to every accepted message stored and nothing pending. */
  drainSeconds: number;
  overallMessagesPerSecond: number;
  rawEventsPending: number;
  rawEventsFailed: number;
}

interface Role {
  name: 'api' | 'worker';
  child: ChildProcess;
}

/** Starts one Parley role as its own process, its log lines appended to bench-results/faults-<role>.log. */
function startRole(name: Role['name'], env: NodeJS.ProcessEnv): Role {
  const logDir = path.join(repoRoot, 'bench-results');
  mkdirSync(logDir, { recursive: true });
  const logFile = openSync(path.join(logDir, `faults-${name}.log`), 'a');
  try {
    const child = spawn(process.execPath, [path.join(repoRoot, 'backend', 'dist', 'main.js'), name], { cwd: repoRoot, env, stdio: ['ignore', logFile, logFile] });
    return { name, child };
  } finally {
    closeSync(logFile);
  }
}

async function waitForHealthy(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs / 1000}s`);
}

function killNow(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

export async function benchFaults(): Promise<FaultReport> {
  const backend = (process.env.PARLEY_FERRETDB_BACKEND ?? 'sqlite') as FerretBackend;
  const log = (line: string) => console.log(`[bench faults] ${line}`);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'parley-faults-'));
  const database = `parley_faults_${process.pid}`;
  const postgresUrl = `postgres://postgres@127.0.0.1:5432/${database}`;
  let ferret: RunningServer | undefined;
  let redis: RunningServer | undefined;
  const roles: Role[] = [];
  try {
    ferret = await startFerret({ backend, sqliteDir: dataDir, postgresUrl, log });
    redis = await startRedis();
    const mongoUri = ferretUri(ferret.port, 'faults');
    const port = await freePort();
    const credentialsKey = randomBytes(32).toString('base64');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      MONGODB_URI: mongoUri,
      REDIS_URL: redis.uri,
      PORT: String(port),
      HOST: '127.0.0.1',
      CREDENTIALS_KEY: credentialsKey,
      QUEUE_PREFIX: 'faults',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
      LOG_PRETTY: 'false',
      // The roles stop by themselves if the bench is interrupted.
      PARLEY_PARENT_PID: String(process.pid),
      ...(backend === 'postgresql' ? { FERRETDB_POSTGRESQL_URL: postgresUrl } : {}),
    };
    const base = `http://127.0.0.1:${port}`;
    roles.push(startRole('api', env));
    await waitForHealthy(`${base}/healthz`);
    let worker = startRole('worker', env);
    roles.push(worker);

    await mongoose.connect(mongoUri, { serverSelectionTimeoutMS: 30_000 });
    const secret = randomBytes(24).toString('hex');
    const channel = await Channel.create({
      kind: 'webhook',
      name: 'Fault bench web chat',
      externalAccountId: 'fault-bench',
      settings: { callbackUrl: 'http://127.0.0.1:9/unused' },
      credentialsEncrypted: encryptCredentials({ secret }, credentialsKey),
    });
    const url = `${base}/webhooks/webhook/${channel._id.toHexString()}`;

    const answers: Record<string, number> = {};
    const accepted = new Set<string>();
    let duplicatesSent = 0;
    let lastAcceptedAt = 0;

    /** Delivers one body until Parley answers 200, as a platform retries; answers whether it did. */
    const deliverUntilAccepted = async (body: string): Promise<boolean> => {
      let backoff = 250;
      const giveUpAt = Date.now() + 10 * 60_000;
      while (Date.now() < giveUpAt) {
        let status = 'network';
        try {
          const response = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: `sha256=${hmacSha256(secret, body, 'hex')}` },
            body,
            signal: AbortSignal.timeout(30_000),
          });
          status = String(response.status);
          await response.arrayBuffer();
        } catch {
          // connection refused or reset: the api or the database was away
        }
        answers[status] = (answers[status] ?? 0) + 1;
        if (status === '200') {
          lastAcceptedAt = performance.now();
          return true;
        }
        await sleep(backoff + Math.random() * backoff);
        backoff = Math.min(backoff * 2, 5_000);
      }
      return false;
    };

    const faults: FaultReport['faults'] = [];
    const fault = (afterMessages: number, what: string) => {
      faults.push({ at: new Date().toISOString(), afterMessages, what });
      log(`after ${afterMessages} messages: ${what}`);
    };
    let sent = 0;
    const plan: Array<{ atShare: number; run: () => Promise<void> }> = [
      {
        atShare: 0.2,
        run: async () => {
          await killNow(worker.child);
          fault(sent, 'worker process killed (SIGKILL)');
          await sleep(3_000);
          worker = startRole('worker', env);
          roles.push(worker);
          fault(sent, 'worker process started again');
        },
      },
      {
        atShare: 0.45,
        run: async () => {
          const redisPort = redis!.port;
          await redis!.stop();
          fault(sent, 'Redis stopped (it keeps nothing on disk)');
          await sleep(2_000);
          redis = await startRedis(redisPort);
          fault(sent, 'Redis started again, empty');
        },
      },
      {
        atShare: 0.7,
        run: async () => {
          await killNow(ferret!.child);
          fault(sent, 'FerretDB killed (SIGKILL); the provisioner starts it again');
        },
      },
    ];
    const faultsDone: Promise<void>[] = [];

    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: SENDERS }, async () => {
        while (next < MESSAGES) {
          const n = next++;
          const id = `fault-${n}`;
          const delivery: WebhookChannelDelivery = {
            events: [
              {
                type: 'message',
                id,
                conversationId: `conversation-${n % CONVERSATIONS}`,
                visibility: 'private',
                author: { id: `customer-${n % CONVERSATIONS}`, name: `Customer ${n % CONVERSATIONS}` },
                text: `Fault bench message ${n}: where is my order?`,
                sentAt: new Date().toISOString(),
              },
            ],
          };
          const body = JSON.stringify(delivery);
          if (await deliverUntilAccepted(body)) accepted.add(id);
          // The platform delivers some messages twice.
          if (Math.random() < DUPLICATE_SHARE) {
            duplicatesSent += 1;
            await deliverUntilAccepted(body);
          }
          sent += 1;
          while (plan[0] && sent >= plan[0].atShare * MESSAGES) faultsDone.push(plan.shift()!.run());
        }
      }),
    );
    await Promise.all(faultsDone);
    const sendSeconds = (performance.now() - started) / 1000;
    log(`all ${MESSAGES} messages sent in ${sendSeconds.toFixed(0)}s; ${accepted.size} accepted; draining …`);

    // Drained: every accepted message stored, nothing pending. Counting in the database is a
    // scan on FerretDB, which would slow the very drain it measures: it waits for an empty queue first.
    const deadline = performance.now() + DRAIN_TIMEOUT_SECONDS * 1000;
    const inbound = new Bull('inbound', { prefix: 'faults', createClient: () => new Redis(redis!.uri, { maxRetriesPerRequest: null, enableReadyCheck: false }) });
    inbound.on('error', () => undefined); // Redis is stopped under it at the end
    const queued = async () => {
      try {
        const counts = await inbound.getJobCounts();
        return counts.waiting + counts.active + counts.delayed;
      } catch {
        return Infinity;
      }
    };
    let storedIds: string[] = [];
    let pending = Infinity;
    let polls = 0;
    for (;;) {
      const inQueue = await queued();
      if (inQueue > 0 && performance.now() < deadline) {
        if (++polls % 15 === 0) log(`draining: ${inQueue} deliveries in the queue`);
        await sleep(1_000);
        continue;
      }
      try {
        storedIds = (await Message.find({ channelId: channel._id }, { externalId: 1 }).lean()).map((message) => message.externalId);
        pending = await RawEvent.countDocuments({ channelId: channel._id, status: 'pending' });
      } catch {
        // FerretDB may still be coming back
      }
      const storedAccepted = new Set(storedIds.filter((id) => accepted.has(id))).size;
      if (storedAccepted === accepted.size && pending === 0) break;
      log(`queue empty: ${storedAccepted}/${accepted.size} stored, ${pending} pending`);
      if (performance.now() > deadline) {
        log(`drain timed out: ${storedAccepted}/${accepted.size} stored, ${pending} pending`);
        break;
      }
      // Pending with an empty queue: jobs were lost, and the sweep queues them again.
      await sleep(5_000);
    }
    await inbound.close();
    const drainSeconds = (performance.now() - lastAcceptedAt) / 1000;
    const distinct = new Set(storedIds);
    const stored = [...accepted].filter((id) => distinct.has(id)).length;
    const totalSeconds = (performance.now() - started) / 1000;
    return {
      database: `FerretDB v1.24.2 (${backend})`,
      messages: MESSAGES,
      senders: SENDERS,
      accepted: accepted.size,
      duplicatesSent,
      stored,
      lost: accepted.size - stored,
      doubled: storedIds.length - distinct.size,
      answers,
      faults,
      sendSeconds,
      drainSeconds,
      overallMessagesPerSecond: stored / totalSeconds,
      rawEventsPending: pending,
      rawEventsFailed: await RawEvent.countDocuments({ channelId: channel._id, status: 'failed' }),
    };
  } finally {
    await mongoose.disconnect().catch(() => undefined);
    for (const role of roles.reverse()) await stopProcess(role.child);
    await redis?.stop();
    await ferret?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    if (backend === 'postgresql') spawnSync('psql', ['postgres://postgres@127.0.0.1:5432/postgres', '-c', `DROP DATABASE IF EXISTS "${database}"`]);
  }
}
