import { Router } from 'express';
import { responseTimeReportQuerySchema } from '@parley/common';
import { requireRole, requireUser } from '../http/auth.middleware';
import { parseQuery } from '../http/validate';
import { reportCsv } from './report.presenter';
import { responseTimeReport } from './reports.service';

/** Reports for supervisors and admins, read from the rollups the worker keeps. */
export function reportRoutes(): Router {
  const router = Router();
  router.get('/reports/response-times', requireUser, requireRole('supervisor', 'admin'), async (req, res) => {
    const query = parseQuery(responseTimeReportQuerySchema, req);
    const report = await responseTimeReport(query);
    if (query.format === 'csv') {
      res
        .type('text/csv; charset=utf-8')
        .attachment(`response-times-${query.groupBy}-${query.from}-${query.to}.csv`)
        .send(reportCsv(report));
      return;
    }
    res.json(report);
  });
  return router;
}
