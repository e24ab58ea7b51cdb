import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from './config';
import { ensurePushdownIndexes } from './db/ferretdb-postgres';
import { runMigrations } from './db/migrations';
import { connectMongo, syncIndexes, type MongoHandle } from './db/mongo';
import { createApp } from './http/app';
import type { Logger } from './logger';
import { removeLegacySchedules, startHousekeeping } from './queue/housekeeping';
import { createQueueFactory, type QueueFactory } from './queue/queue.factory';
import { onlineAgents } from './realtime/online';
import { startRealtimeListener } from './realtime/realtime.listener';
import { startHashtagListener } from './hashtags/hashtags.listener';
import { startAutoAssignment } from './tickets/assignment.service';
import { createRealtimeServer, type RealtimeServer } from './realtime/socket.server';
import { connectRedis, type RedisHandle } from './redis';
import { seedDemo } from './seed/demo.seed';
import { DomainEventBus } from './events/domain-events';
import { createLocks, type Locks } from './lib/locks';
import { startInboundProcessor } from './ingest/inbound.processor';
import type { IngestDeps } from './ingest/ingest.service';
import { startOutboundProcessor } from './outbound/outbound.processor';
import { startPolling } from './poll/poll.processor';
import { startSlaProcessor, startSlaTimers } from './sla/sla.processor';
import { simulatorFromConfig } from './simulator/simulator.runner';
import { startTriageWorker } from './triage/triage.worker';
import { createRuleCache } from './workflows/rules.cache';
import { startRulesProcessor } from './workflows/rules.processor';
import { shareVipListChanges } from './triage/vip';
import { createAnswerMatcher } from './bot/answers.matcher';
import { createParleyBot } from './bot/bot.factory';
import { startBotWorker, type BotLogic } from './bot/bot.worker';
import { startRollupListener, startRollupProcessor } from './reports/rollups.worker';
import './models';

export const roleNames = ['api', 'worker', 'web', 'simulator'] as const;
export type RoleName = (typeof roleNames)[number];

export interface Parley {
  config: Config;
  mongo: MongoHandle;
  redis: RedisHandle;
  queues: QueueFactory;
  events: DomainEventBus;
  locks: Locks;
  /** What ingest needs: the event bus, locks and the Redis for sequences. */
  ingestDeps: IngestDeps;
  http?: HttpServer;
  io?: RealtimeServer;
  /** The port the HTTP server listens on (when api or web runs). */
  port?: number;
  /** Stops accepting, finishes in-flight requests and jobs, closes every connection. */
  stop(): Promise<void>;
}

/** What a test may put in place of the real thing: the bot's clock (after hours on demand), or the bot itself. */
export interface ParleyOptions {
  botClock?: () => Date;
  bot?: BotLogic;
}

export class PortInUseError extends Error {}

function listen(server: HttpServer, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(`Port ${port} is already in use: set PORT to a free port`) : error);
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeHttp(server: HttpServer, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), timeoutMs);
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    // Keep-alive sockets with no request in flight would hold close() open.
    server.closeIdleConnections();
  });
}

export async function startParley(config: Config, roles: readonly RoleName[], log: Logger, options: ParleyOptions = {}): Promise<Parley> {
  const mongo = await connectMongo(config.MONGODB_URI, log.child({ module: 'mongo' }));
  const redis = connectRedis(config.REDIS_URL, log.child({ module: 'redis' }));
  const queues = createQueueFactory(redis, config.QUEUE_PREFIX, log.child({ module: 'queue' }));
  const events = new DomainEventBus();
  const locks = createLocks(redis.client, config.QUEUE_PREFIX);
  const cleanups: Array<() => Promise<void>> = [];
  const parley: Parley = {
    config,
    mongo,
    redis,
    queues,
    events,
    locks,
    ingestDeps: { events, locks, redis: redis.client, prefix: config.QUEUE_PREFIX, log: log.child({ module: 'ingest' }) },
    stop: async () => {
      for (const cleanup of cleanups.reverse()) await cleanup();
    },
  };
  cleanups.push(() => mongo.close(), () => redis.close(), () => queues.close());

  try {
    await syncIndexes();
    await runMigrations(log.child({ module: 'db' }));
    if (config.FERRETDB_POSTGRESQL_URL) await ensurePushdownIndexes(config.FERRETDB_POSTGRESQL_URL, log.child({ module: 'db' }));
    if (config.PARLEY_SEED_DEMO && config.PARLEY_DEMO_PASSWORD) await seedDemo(config.PARLEY_DEMO_PASSWORD, config.CREDENTIALS_KEY, log);

    // Every process that changes tickets tells the agents' screens (api: replies and
    // updates; worker: ingest and delivery).
    const stopListening = startRealtimeListener(parley.events, redis, config.QUEUE_PREFIX, log.child({ module: 'realtime' }), config.PUBLIC_URL);
    cleanups.push(() => Promise.resolve(stopListening()));
    const stopSlaTimers = startSlaTimers(parley.events, queues, log.child({ module: 'sla' }));
    cleanups.push(() => Promise.resolve(stopSlaTimers()));
    // Triage in any process matches contacts against the VIP lists that any process changes.
    const stopSharingVipLists = shareVipListChanges(redis.client, config.QUEUE_PREFIX, log.child({ module: 'vip-lists' }));
    cleanups.push(() => Promise.resolve(stopSharingVipLists()));
    // Ingest and delivery (worker) and echoes tell what the channels' hashtags are.
    const stopHashtags = startHashtagListener(parley.events, locks, log.child({ module: 'hashtags' }));
    cleanups.push(() => Promise.resolve(stopHashtags()));
    // Every ticket change, wherever it is written, updates the report rollups (in the worker).
    const stopRollups = startRollupListener(parley.events, queues, log.child({ module: 'rollups' }));
    cleanups.push(() => Promise.resolve(stopRollups()));

    if (roles.includes('worker')) {
      startInboundProcessor(queues, config, parley.ingestDeps, log.child({ module: 'inbound' }));
      startOutboundProcessor(queues, { config, events: parley.events, locks, queues, log: log.child({ module: 'outbound' }) });
      const online = onlineAgents(redis.client, config.QUEUE_PREFIX);
      const stopAssigning = startAutoAssignment({ events: parley.events, locks: parley.locks, online }, log.child({ module: 'assignment' }));
      cleanups.push(() => Promise.resolve(stopAssigning()));
      // Automation rules on every customer message.
      const rulesLog = log.child({ module: 'rules' });
      const rules = createRuleCache(redis.client, config.QUEUE_PREFIX, rulesLog);
      const stopRules = startRulesProcessor({ events: parley.events, locks, queues, log: rulesLog, online, rules }, rulesLog);
      cleanups.push(() => Promise.resolve(stopRules()));
      startSlaProcessor({ events: parley.events, locks, queues, online, log: log.child({ module: 'sla' }) });
      startRollupProcessor(queues, locks);
      // Storms from the negative public mentions ingest stored; messages whose triage failed, read again.
      const triage = startTriageWorker({ events: parley.events, locks, queues, redis, prefix: config.QUEUE_PREFIX, log: log.child({ module: 'triage' }) });
      cleanups.push(triage.stop);
      // The chatbot's turns after ingest, its hand-offs and its follow-ups when the team comes on shift.
      const botLog = log.child({ module: 'bot' });
      const bot = startBotWorker({
        events: parley.events,
        locks,
        queues,
        log: botLog,
        redis,
        prefix: config.QUEUE_PREFIX,
        bot: options.bot ?? createParleyBot(locks, createAnswerMatcher()),
        turnTimeoutMs: config.BOT_TURN_TIMEOUT_MS,
        ...(options.botClock ? { now: options.botClock } : {}),
      });
      cleanups.push(() => bot.stop());
      await removeLegacySchedules(queues);
      const stopHousekeeping = startHousekeeping({ config, redis, queues, events: parley.events, locks }, log.child({ module: 'housekeeping' }));
      cleanups.push(stopHousekeeping);
      await startPolling({ queues, locks, redis: redis.client, prefix: config.QUEUE_PREFIX, credentialsKey: config.CREDENTIALS_KEY, events: parley.events }, log.child({ module: 'poll' }));
    }

    const serveApi = roles.includes('api');
    const serveWeb = roles.includes('web');
    if (serveApi || serveWeb) {
      // Bind the port first, so a taken port fails before anything else is set up.
      const http = createServer();
      parley.port = await listen(http, config.PORT, config.HOST);
      parley.http = http;
      const app = createApp({ config, log, redis, queues, events: parley.events, locks: parley.locks, probes: { mongo: () => mongo.ping(), redis: () => redis.ping() }, databaseConnected: () => mongo.isConnected(), serveApi, serveWeb });
      http.on('request', app);
      if (serveApi) parley.io = createRealtimeServer(http, redis, config.QUEUE_PREFIX, log.child({ module: 'realtime' }));
      cleanups.push(async () => {
        const io = parley.io;
        io?.disconnectSockets(true);
        await closeHttp(http, config.SHUTDOWN_TIMEOUT_MS);
        // Engine timers and the adapter; the HTTP server is closed already.
        if (io) await new Promise<void>((resolve) => void io.close(() => resolve()));
      });
    }

    // Simulated customers post webhooks like a platform, so they start once the api listens.
    if (roles.includes('simulator')) {
      const simulator = simulatorFromConfig(config, serveApi ? parley.port : undefined, log.child({ module: 'simulator' }));
      cleanups.push(() => simulator.stop());
      await simulator.start();
    }
    return parley;
  } catch (error) {
    await parley.stop();
    throw error;
  }
}
