import { Router } from 'express';
import type { Health } from '@parley/common';
import { registry } from '../metrics';

export interface HealthProbes {
  mongo: () => Promise<boolean>;
  redis: () => Promise<boolean>;
}

export function healthRoutes(probes: HealthProbes): Router {
  const router = Router();

  router.get('/healthz', async (_req, res) => {
    const [mongo, redis] = await Promise.all([probes.mongo(), probes.redis()]);
    const body: Health = { status: mongo && redis ? 'ok' : 'degraded', mongo: mongo ? 'ok' : 'down', redis: redis ? 'ok' : 'down' };
    res.status(mongo && redis ? 200 : 503).json(body);
  });

  router.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });

  return router;
}
