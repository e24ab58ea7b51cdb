import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';
import type { Logger } from '../logger';

/** Serves the built React app; any other path that is not an API path gets index.html (client routing). */
export function webRoutes(distDir: string, log: Logger): Router {
  const router = Router();
  const indexFile = path.join(distDir, 'index.html');
  if (!existsSync(indexFile)) {
    log.warn({ distDir }, 'the frontend is not built; run npm run build');
    router.get(/^\/(?!api\/|webhooks\/|socket\.io\/).*/, (_req, res) => {
      res.status(503).type('text/plain').send('The Parley web app is not built yet. Run `npm run build`, or `npm start`, which builds it.');
    });
    return router;
  }
  router.use('/assets', express.static(path.join(distDir, 'assets'), { immutable: true, maxAge: '1y', fallthrough: false }));
  router.use(express.static(distDir, { index: false, maxAge: '1h' }));
  router.get(/^\/(?!api\/|webhooks\/|socket\.io\/).*/, (_req, res) => {
    res.set('Cache-Control', 'no-cache').sendFile(indexFile);
  });
  return router;
}
