import { Router } from 'express';
import { businessHoursInputSchema, noQuerySchema, slaPolicyInputSchema, slaPolicyUpdateSchema } from '@parley/common';
import { requireRole, requireUser } from '../http/auth.middleware';
import { parseInput, parseQuery } from '../http/validate';
import { presentBusinessHours, presentSlaPolicy } from './sla.presenter';
import {
  createBusinessHours,
  createPolicy,
  deleteBusinessHours,
  deletePolicy,
  listBusinessHours,
  listPolicies,
  updateBusinessHours,
  updatePolicy,
} from './sla-config.service';

/**
 * SLA policies and the business hours they count in. Supervisors read them (they are
 * measured against them); admins set them. A change applies to tickets opened after it.
 */
export function slaRoutes(): Router {
  const router = Router();
  router.use(['/sla-policies', '/business-hours'], requireUser);
  const readers = requireRole('supervisor', 'admin');
  const admins = requireRole('admin');

  router.get('/sla-policies', readers, async (req, res) => {
    parseQuery(noQuerySchema, req);
    res.json({ items: (await listPolicies()).map(presentSlaPolicy) });
  });
  router.post('/sla-policies', admins, async (req, res) => {
    res.status(201).json(presentSlaPolicy(await createPolicy(parseInput(slaPolicyInputSchema, req.body))));
  });
  router.patch('/sla-policies/:id', admins, async (req, res) => {
    res.json(presentSlaPolicy(await updatePolicy(String(req.params.id), parseInput(slaPolicyUpdateSchema, req.body))));
  });
  router.delete('/sla-policies/:id', admins, async (req, res) => {
    await deletePolicy(String(req.params.id));
    res.status(204).end();
  });

  router.get('/business-hours', readers, async (req, res) => {
    parseQuery(noQuerySchema, req);
    res.json({ items: (await listBusinessHours()).map(presentBusinessHours) });
  });
  router.post('/business-hours', admins, async (req, res) => {
    res.status(201).json(presentBusinessHours(await createBusinessHours(parseInput(businessHoursInputSchema, req.body))));
  });
  router.put('/business-hours/:id', admins, async (req, res) => {
    res.json(presentBusinessHours(await updateBusinessHours(String(req.params.id), parseInput(businessHoursInputSchema, req.body))));
  });
  router.delete('/business-hours/:id', admins, async (req, res) => {
    await deleteBusinessHours(String(req.params.id));
    res.status(204).end();
  });
  return router;
}
