import type { RequestHandler } from 'express';
import { httpRequestDuration } from '../metrics';

/** Times every request, labelled by its route pattern (not the raw path, which would explode the label set). */
export const requestMetrics: RequestHandler = (req, res, next) => {
  const stopTimer = httpRequestDuration.startTimer();
  res.once('finish', () => {
    const routePath = (req.route as { path?: unknown } | undefined)?.path;
    const route = typeof routePath === 'string' ? `${req.baseUrl}${routePath}` : 'unmatched';
    stopTimer({ method: req.method, route, status: String(res.statusCode) });
  });
  next();
};
