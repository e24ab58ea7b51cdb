import { Router } from 'express';
import { cannedResponseInputSchema, noQuerySchema, type CannedResponseList } from '@parley/common';
import { withConflict } from '../db/errors';
import { requireRole, requireUser } from '../http/auth.middleware';
import { NotFound } from '../http/errors';
import { parseInput, parseQuery } from '../http/validate';
import { CannedResponse, type CannedResponseDoc } from './canned.model';
import { presentCannedResponse } from './canned.presenter';

const objectId = /^[a-f0-9]{24}$/;

/** Saved replies: every user reads them (the composer's `/` list); supervisors and admins keep them. */
export function cannedRoutes(): Router {
  const router = Router();
  router.use('/canned-responses', requireUser);
  const keepers = requireRole('supervisor', 'admin');

  router.get('/canned-responses', async (req, res) => {
    parseQuery(noQuerySchema, req);
    const items = await CannedResponse.find().sort({ shortcut: 1 }).limit(500).lean<CannedResponseDoc[]>();
    const body: CannedResponseList = { items: items.map(presentCannedResponse) };
    res.json(body);
  });

  router.post('/canned-responses', keepers, async (req, res) => {
    const input = parseInput(cannedResponseInputSchema, req.body);
    const created = await withConflict(() => CannedResponse.create(input), 'A canned response with this shortcut exists', 'shortcut');
    res.status(201).json(presentCannedResponse(created.toObject<CannedResponseDoc>()));
  });

  router.delete('/canned-responses/:id', keepers, async (req, res) => {
    const id = String(req.params.id);
    const deleted = objectId.test(id) ? await CannedResponse.findByIdAndDelete(id).lean<CannedResponseDoc>() : null;
    if (!deleted) throw new NotFound('Canned response');
    res.status(204).end();
  });

  return router;
}
