import { Router } from 'express';
import { Types } from 'mongoose';
import { rawEventListQuerySchema, type RawEvent as RawEventShape, type RawEventListResponse } from '@parley/common';
import { requireRole, requireUser } from '../http/auth.middleware';
import { NotFound } from '../http/errors';
import { toPage } from '../http/paging';
import { parseQuery } from '../http/validate';
import type { QueueFactory } from '../queue/queue.factory';
import { enqueueInbound } from './inbound.queue';
import { RawEvent, type RawEventDoc } from './raw-event.model';

function presentRawEvent(raw: RawEventDoc): RawEventShape {
  return {
    id: raw._id.toHexString(),
    channelId: raw.channelId.toHexString(),
    kind: raw.kind,
    status: raw.status,
    attempts: raw.attempts,
    error: raw.error ?? null,
    receivedAt: raw.receivedAt.toISOString(),
    processedAt: raw.processedAt?.toISOString() ?? null,
    bodyPreview: raw.body.slice(0, 2_000),
  };
}

/** Supervisors see deliveries that could not be processed, and send them through again. */
export function rawEventRoutes(queues: QueueFactory): Router {
  const router = Router();
  router.use('/raw-events', requireUser, requireRole('supervisor', 'admin'));

  router.get('/raw-events', async (req, res) => {
    const query = parseQuery(rawEventListQuerySchema, req);
    const page = await RawEvent.find({
      status: query.status,
      ...(query.channelId ? { channelId: new Types.ObjectId(query.channelId) } : {}),
      ...(query.cursor ? { _id: { $lt: new Types.ObjectId(query.cursor) } } : {}),
    })
      .sort({ _id: -1 })
      .limit(query.limit + 1)
      .lean<RawEventDoc[]>();
    const { items, nextCursor } = toPage(page, query.limit, (raw) => raw._id.toHexString());
    const body: RawEventListResponse = { items: items.map(presentRawEvent), nextCursor };
    res.json(body);
  });

  router.post('/raw-events/:id/retry', async (req, res) => {
    const id = String(req.params.id);
    const raw = /^[a-f0-9]{24}$/.test(id) ? await RawEvent.findById(id).lean<RawEventDoc>() : null;
    if (!raw) throw new NotFound('Raw event');
    if (raw.status === 'failed') {
      // Its last job has finished: the retry is the next generation, with a job id of its own.
      const generation = (raw.jobGeneration ?? 0) + 1;
      await RawEvent.updateOne({ _id: raw._id }, { $set: { status: 'pending', enqueuedAt: new Date(), jobGeneration: generation }, $unset: { error: 1, processedAt: 1 } });
      await enqueueInbound(queues, raw._id, generation);
    }
    const current = await RawEvent.findById(raw._id).lean<RawEventDoc>();
    res.status(202).json(presentRawEvent(current ?? raw));
  });

  return router;
}
