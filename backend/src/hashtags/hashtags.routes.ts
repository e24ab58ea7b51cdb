import { Router } from 'express';
import { hashtagQuerySchema, type HashtagKnowledgeResponse } from '@parley/common';
import { findChannel } from '../channels/channels.service';
import { requireUser } from '../http/auth.middleware';
import { NotFound } from '../http/errors';
import { parseQuery } from '../http/validate';
import { hashtagKnowledge } from './hashtags.service';

/**
 * What a channel knows of some hashtags, for the composer's live second look as the agent
 * types (the server checks the same again when the reply is posted).
 */
export function hashtagRoutes(): Router {
  const router = Router();
  router.get('/channels/:id/hashtags', requireUser, async (req, res) => {
    const { tags } = parseQuery(hashtagQuerySchema, req);
    const channel = await findChannel(String(req.params.id));
    if (!channel || channel.deletedAt) throw new NotFound('Channel');
    const body: HashtagKnowledgeResponse = { items: await hashtagKnowledge(channel._id, tags) };
    res.json(body);
  });
  return router;
}
