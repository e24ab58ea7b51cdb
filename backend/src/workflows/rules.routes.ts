import { Router } from 'express';
import { noQuerySchema, ruleInputSchema, ruleUpdateSchema, type RuleDryRun, type RuleList, type RuleOptions } from '@parley/common';
import { currentUser, requireRole, requireUser } from '../http/auth.middleware';
import { parseInput, parseQuery } from '../http/validate';
import type { Logger } from '../logger';
import { presentRule } from './rule.presenter';
import { dryRunRule } from './rules.dry-run';
import { createRule, deleteRule, getRule, listRules, ruleOptions, updateRule, type RulesDeps } from './rules.service';

export interface RulesRoutesDeps extends RulesDeps {
  log: Logger;
}

/**
 * Automation rules: admins keep them; supervisors read them and may dry-run them (a dry run
 * changes nothing). Rules run in the worker (rules.processor.ts), never in a request.
 */
export function ruleRoutes(deps: RulesRoutesDeps): Router {
  const router = Router();
  router.use('/rules', requireUser);
  const readers = requireRole('supervisor', 'admin');
  const admins = requireRole('admin');

  router.get('/rules', readers, async (req, res) => {
    parseQuery(noQuerySchema, req);
    const body: RuleList = { items: (await listRules()).map(presentRule) };
    res.json(body);
  });
  router.get('/rules/options', readers, async (req, res) => {
    parseQuery(noQuerySchema, req);
    const body: RuleOptions = await ruleOptions();
    res.json(body);
  });
  router.get('/rules/:id', readers, async (req, res) => {
    parseQuery(noQuerySchema, req);
    res.json(presentRule(await getRule(String(req.params.id))));
  });
  router.post('/rules', admins, async (req, res) => {
    res.status(201).json(presentRule(await createRule(parseInput(ruleInputSchema, req.body), currentUser(req), deps)));
  });
  router.patch('/rules/:id', admins, async (req, res) => {
    res.json(presentRule(await updateRule(String(req.params.id), parseInput(ruleUpdateSchema, req.body), currentUser(req), deps)));
  });
  router.delete('/rules/:id', admins, async (req, res) => {
    await deleteRule(String(req.params.id), deps);
    res.status(204).end();
  });
  router.post('/rules/:id/dry-run', readers, async (req, res) => {
    parseInput(noQuerySchema, req.body ?? {});
    const body: RuleDryRun = await dryRunRule(await getRule(String(req.params.id)), deps.log);
    res.json(body);
  });
  return router;
}
