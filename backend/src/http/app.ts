import compression from 'compression';
import cookieParser from 'cookie-parser';
import express, { type Express, Router } from 'express';
import helmet from 'helmet';
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { QueueFactory } from '../queue/queue.factory';
import type { RedisHandle } from '../redis';
import { webhookRoutes } from '../webhooks/webhooks.routes';
import type { DomainEventBus } from '../events/domain-events';
import type { Locks } from '../lib/locks';
import { cannedRoutes } from '../canned/canned.routes';
import { savedViewRoutes } from '../views/saved-views.routes';
import { channelRoutes } from '../channels/channels.routes';
import { contactRoutes } from '../contacts/contacts.routes';
import { triageRoutes } from '../triage/triage.routes';
import { guardrailRoutes } from '../guardrails/guardrails.routes';
import { rawEventRoutes } from '../ingest/raw-events.routes';
import { slaRoutes } from '../sla/sla.routes';
import { reportRoutes } from '../reports/reports.routes';
import { mediaRoutes } from '../media/media.routes';
import { ticketRoutes } from '../tickets/tickets.routes';
import { botRoutes } from '../bot/bot.routes';
import { approvalRoutes } from '../tickets/approval.routes';
import { hashtagRoutes } from '../hashtags/hashtags.routes';
import { teamRoutes } from '../users/teams.routes';
import { authRoutes } from '../users/auth.routes';
import { ruleRoutes } from '../workflows/rules.routes';
import { vipListRoutes } from '../triage/vip-lists.routes';
import { botAnswerRoutes } from '../bot/bot-answers.routes';
import { errorHandler, notFoundHandler, requireDatabase } from './error.middleware';
import { healthRoutes, type HealthProbes } from './health.routes';
import { requestMetrics } from './metrics.middleware';
import { webRoutes } from './web.routes';

export interface AppDeps {
  config: Config;
  log: Logger;
  redis: RedisHandle;
  queues: QueueFactory;
  events: DomainEventBus;
  locks: Locks;
  probes: HealthProbes;
  /** Whether the database is reachable now: while it is not, API calls and deliveries answer 503 at once. */
  databaseConnected: () => boolean;
  /** Mount the REST API (role api) and/or the built frontend (role web). */
  serveApi: boolean;
  serveWeb: boolean;
}

export function createApp({ config, log, redis, queues, events, locks, probes, databaseConnected, serveApi, serveWeb }: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.TRUST_PROXY ? 1 : false);

  app.use(requestMetrics);
  const production = config.NODE_ENV === 'production';
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          // Avatars and attachments come through our media proxy: nothing loads from a platform.
          'img-src': ["'self'", 'data:', 'blob:'],
          'media-src': ["'self'"],
          'connect-src': ["'self'", 'ws:', 'wss:'],
          // The embedded default serves plain http on localhost.
          'upgrade-insecure-requests': production ? [] : null,
        },
      },
      strictTransportSecurity: production,
    }),
  );
  app.use(compression());
  app.use(healthRoutes(probes));

  if (serveApi) {
    const database = requireDatabase(databaseConnected);
    const api = Router();
    api.use(database);
    api.use(express.json({ limit: config.BODY_LIMIT }));
    api.use(cookieParser());
    api.use(authRoutes(config, redis));
    // Before the ticket and contact routers: these paths authenticate once, here.
    api.use(mediaRoutes(config, log.child({ module: 'media' })));
    api.use(ticketRoutes({ events, locks, queues, log: log.child({ module: 'tickets' }) }, { statusesOneByOne: config.FERRETDB_POSTGRESQL_URL !== undefined }));
    api.use(approvalRoutes({ events, locks, queues, log: log.child({ module: 'approvals' }) }));
    api.use(hashtagRoutes());
    api.use(teamRoutes(log.child({ module: 'teams' })));
    api.use(contactRoutes(locks));
    api.use(cannedRoutes());
    api.use(savedViewRoutes());
    api.use(slaRoutes());
    api.use(reportRoutes());
    api.use(rawEventRoutes(queues));
    api.use(ruleRoutes({ locks, redis: redis.client, prefix: config.QUEUE_PREFIX, log: log.child({ module: 'rules' }) }));
    api.use(vipListRoutes({ locks, redis: redis.client, prefix: config.QUEUE_PREFIX, log: log.child({ module: 'vip-lists' }) }));
    api.use(channelRoutes({ config, queues, events, log: log.child({ module: 'channels' }) }));
    api.use(guardrailRoutes(log.child({ module: 'guardrails' })));
    api.use(triageRoutes(log.child({ module: 'triage' })));
    api.use(botRoutes({ events, locks, queues, log: log.child({ module: 'bot' }) }));
    api.use(botAnswerRoutes(log.child({ module: 'bot-answers' })));
    api.use(notFoundHandler);
    app.use('/api', api);
    // A platform answered 503 delivers again later: nothing it sends is lost while the database is away.
    app.use('/webhooks', database);
    app.use(webhookRoutes(config, queues, log.child({ module: 'webhooks' })));
  }

  if (serveWeb) app.use(webRoutes(config.WEB_DIST_DIR, log));

  app.use(notFoundHandler);
  app.use(errorHandler(log));
  return app;
}
