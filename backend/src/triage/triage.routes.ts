import { Router } from 'express';
import { Types } from 'mongoose';
import { alertListQuerySchema, ambassadorListQuerySchema, noQuerySchema, triageSettingsInputSchema, type AlertListResponse, type AmbassadorListResponse } from '@parley/common';
import { findContact } from '../contacts/contacts.service';
import { currentUser, requireRole, requireUser } from '../http/auth.middleware';
import { toPage } from '../http/paging';
import { parseInput, parseQuery } from '../http/validate';
import type { Logger } from '../logger';
import { Alert, type AlertDoc } from './alert.model';
import { presentAlert } from './alert.presenter';
import { rankAmbassadors, tagAmbassador } from './ambassadors.service';
import { readBrandTriage, saveBrandTriage } from './triage-settings.service';

/**
 * Triage's screens: storm alerts and ambassadors (supervisors and admins), the settings
 * (admins change them; supervisors read them, to know why a ticket got its priority).
 */
export function triageRoutes(log: Logger): Router {
  const router = Router();
  const supervisors = [requireUser, requireRole('supervisor', 'admin')];

  router.get('/alerts', ...supervisors, async (req, res) => {
    const query = parseQuery(alertListQuerySchema, req);
    const filter: Record<string, unknown> = query.state === 'all' ? {} : { state: query.state };
    if (query.cursor) filter._id = { $lt: new Types.ObjectId(query.cursor) };
    const page = toPage(await Alert.find(filter).sort({ _id: -1 }).limit(query.limit + 1).lean<AlertDoc[]>(), query.limit, (alert) => alert._id.toHexString());
    const body: AlertListResponse = { items: page.items.map(presentAlert), nextCursor: page.nextCursor };
    res.json(body);
  });

  router.get('/ambassadors', ...supervisors, async (req, res) => {
    const query = parseQuery(ambassadorListQuerySchema, req);
    const { items, since } = await rankAmbassadors(query);
    const body: AmbassadorListResponse = { items, since: since.toISOString() };
    res.json(body);
  });

  // Tagging (or untagging) someone as an ambassador: a supervisor's judgement, kept on the contact.
  for (const [method, tagged] of [['put', true], ['delete', false]] as const) {
    router[method]('/ambassadors/:contactId', ...supervisors, async (req, res) => {
      parseQuery(noQuerySchema, req);
      const contact = await findContact(String(req.params.contactId));
      await tagAmbassador(contact._id, tagged);
      log.info({ by: currentUser(req)._id.toHexString(), contactId: contact._id.toHexString(), tagged }, 'ambassador tag changed');
      res.status(204).end();
    });
  }

  router.get('/triage-settings', ...supervisors, async (req, res) => {
    parseQuery(noQuerySchema, req);
    res.json(await readBrandTriage());
  });

  router.put('/triage-settings', requireUser, requireRole('admin'), async (req, res) => {
    const { settings } = parseInput(triageSettingsInputSchema, req.body);
    res.json(await saveBrandTriage(settings, currentUser(req), log));
  });

  return router;
}
