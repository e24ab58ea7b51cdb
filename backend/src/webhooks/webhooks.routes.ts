import express, { Router, type Request } from 'express';
import { connectorKindSchema } from '@parley/common';
import { channelContext, findChannel } from '../channels/channels.service';
import type { Config } from '../config';
import { connectorFor } from '../connectors';
import { Gone, NotFound, Unauthenticated } from '../http/errors';
import type { Logger } from '../logger';
import { webhookDeliveries } from '../metrics';
import type { QueueFactory } from '../queue/queue.factory';
import { storeDelivery } from './webhook.intake';

function headersOf(req: Request): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(req.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : value]));
}

async function channelFor(req: Request) {
  const kind = connectorKindSchema.safeParse(req.params.kind);
  const channel = kind.success ? await findChannel(String(req.params.channelId)) : null;
  if (!kind.success || !channel || channel.kind !== kind.data) throw new NotFound('Channel');
  if (channel.status === 'disabled') throw new Gone('This channel is disabled');
  return channel;
}

/**
 * Platform deliveries: verify the signature on the raw body, store the raw event,
 * queue its processing, answer 200. Nothing else happens before the answer.
 */
export function webhookRoutes(config: Config, queues: QueueFactory, log: Logger): Router {
  const router = Router();

  router.get('/webhooks/:kind/:channelId', async (req, res) => {
    const channel = await channelFor(req);
    const query = Object.fromEntries(Object.entries(req.query).map(([name, value]) => [name, typeof value === 'string' ? value : undefined]));
    const answer = connectorFor(channel.kind).handshake(channelContext(channel, config.CREDENTIALS_KEY), query);
    res.status(answer.status).type(answer.contentType).send(answer.body);
  });

  router.post('/webhooks/:kind/:channelId', express.raw({ type: () => true, limit: config.BODY_LIMIT }), async (req, res) => {
    const channel = await channelFor(req);
    const delivery = { rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0), headers: headersOf(req) };
    if (!connectorFor(channel.kind).verify(channelContext(channel, config.CREDENTIALS_KEY), delivery)) {
      webhookDeliveries.inc({ kind: channel.kind, outcome: 'bad_signature' });
      throw new Unauthenticated('The signature does not match this channel');
    }
    // Stored (split per account where the platform batches several), queued, answered.
    const rawEventId = await storeDelivery(channel, delivery, config, queues, log);
    webhookDeliveries.inc({ kind: channel.kind, outcome: 'accepted' });
    res.status(200).json({ received: true, id: rawEventId.toHexString() });
  });

  return router;
}
