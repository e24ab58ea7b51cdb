import { Router } from 'express';
import { botAnswerInputSchema, botAnswerMatchInputSchema, noQuerySchema, type BotAnswerList, type BotAnswerMatchResponse } from '@parley/common';
import { currentUser, requireRole, requireUser } from '../http/auth.middleware';
import { parseInput, parseQuery } from '../http/validate';
import type { Logger } from '../logger';
import { presentBotAnswer } from './bot-answer.presenter';
import { createBotAnswer, deleteBotAnswer, listBotAnswers, replaceBotAnswer, tryBotAnswer } from './bot-answers.service';

/** The bot's knowledge base: supervisors and admins read it and try questions on it; admins keep it. */
export function botAnswerRoutes(log: Logger): Router {
  const router = Router();
  router.use('/bot/answers', requireUser, requireRole('supervisor', 'admin'));
  const admins = requireRole('admin');

  router.get('/bot/answers', async (req, res) => {
    parseQuery(noQuerySchema, req);
    const body: BotAnswerList = { items: (await listBotAnswers()).map(presentBotAnswer) };
    res.json(body);
  });
  router.post('/bot/answers/match', async (req, res) => {
    const body: BotAnswerMatchResponse = await tryBotAnswer(parseInput(botAnswerMatchInputSchema, req.body));
    res.json(body);
  });
  router.post('/bot/answers', admins, async (req, res) => {
    res.status(201).json(presentBotAnswer(await createBotAnswer(parseInput(botAnswerInputSchema, req.body), currentUser(req), log)));
  });
  router.put('/bot/answers/:id', admins, async (req, res) => {
    res.json(presentBotAnswer(await replaceBotAnswer(String(req.params.id), parseInput(botAnswerInputSchema, req.body), currentUser(req), log)));
  });
  router.delete('/bot/answers/:id', admins, async (req, res) => {
    await deleteBotAnswer(String(req.params.id), currentUser(req), log);
    res.status(204).end();
  });
  return router;
}
