import { Router } from 'express';
import { noQuerySchema, teamUpdateSchema, type TeamListResponse } from '@parley/common';
import { requireRole, requireUser } from '../http/auth.middleware';
import { parseInput, parseQuery } from '../http/validate';
import type { Logger } from '../logger';
import { presentTeamDetail } from './team.presenter';
import { listTeams, updateTeam } from './teams.service';

/**
 * Teams with their members and settings. Supervisors read them; admins change them. For now
 * a PATCH changes only whose public replies need approval (the admins issue adds the rest).
 */
export function teamRoutes(log: Logger): Router {
  const router = Router();
  router.use('/teams', requireUser);

  router.get('/teams', requireRole('supervisor', 'admin'), async (req, res) => {
    parseQuery(noQuerySchema, req);
    const body: TeamListResponse = { items: (await listTeams()).map(presentTeamDetail) };
    res.json(body);
  });

  router.patch('/teams/:id', requireRole('admin'), async (req, res) => {
    const patch = parseInput(teamUpdateSchema, req.body);
    res.json(presentTeamDetail(await updateTeam(String(req.params.id), patch, log)));
  });
  return router;
}
