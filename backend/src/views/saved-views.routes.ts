import { Router } from 'express';
import { noQuerySchema, savedViewInputSchema, savedViewUpdateSchema, type SavedViewList } from '@parley/common';
import { currentUser, requireUser } from '../http/auth.middleware';
import { parseInput, parseQuery } from '../http/validate';
import { presentSavedView } from './saved-view.presenter';
import { createSavedView, deleteSavedView, listSavedViews, updateSavedView } from './saved-views.service';

/** Saved filters of the inbox: everyone keeps personal ones; supervisors and admins keep the shared ones. */
export function savedViewRoutes(): Router {
  const router = Router();
  router.use('/saved-views', requireUser);

  router.get('/saved-views', async (req, res) => {
    parseQuery(noQuerySchema, req);
    const views = await listSavedViews(currentUser(req));
    const body: SavedViewList = { items: views.map(({ view, ownerName }) => presentSavedView(view, ownerName)) };
    res.json(body);
  });

  router.post('/saved-views', async (req, res) => {
    const input = parseInput(savedViewInputSchema, req.body);
    const { view, ownerName } = await createSavedView(currentUser(req), input);
    res.status(201).json(presentSavedView(view, ownerName));
  });

  router.patch('/saved-views/:id', async (req, res) => {
    const patch = parseInput(savedViewUpdateSchema, req.body);
    const { view, ownerName } = await updateSavedView(currentUser(req), String(req.params.id), patch);
    res.json(presentSavedView(view, ownerName));
  });

  router.delete('/saved-views/:id', async (req, res) => {
    await deleteSavedView(currentUser(req), String(req.params.id));
    res.status(204).end();
  });

  return router;
}
