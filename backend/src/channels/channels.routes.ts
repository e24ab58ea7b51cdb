import { randomBytes } from 'node:crypto';
import { Router } from 'express';
import { Types } from 'mongoose';
import { z } from 'zod';
import { channelInputSchema, channelStatusSchema, noQuerySchema, type ChannelInput } from '@parley/common';
import type { Config } from '../config';
import { connectorFor } from '../connectors';
import { withConflict } from '../db/errors';
import type { DomainEventBus } from '../events/domain-events';
import { currentUser, requireRole, requireUser } from '../http/auth.middleware';
import { Invalid, NotFound } from '../http/errors';
import { parseInput, parseQuery } from '../http/validate';
import type { Logger } from '../logger';
import { schedulePolling, unschedulePolling } from '../poll/poll.processor';
import type { QueueFactory } from '../queue/queue.factory';
import { Message } from '../tickets/message.model';
import { Team } from '../users/team.model';
import { Channel, type ChannelDoc } from './channel.model';
import { presentChannel } from './channel.presenter';
import { channelContext, forgetChannel } from './channels.service';
import { encryptCredentials } from './credentials';

export interface ChannelRouteDeps {
  config: Config;
  queues: QueueFactory;
  events: DomainEventBus;
  log: Logger;
}

const channelUpdateSchema = z.strictObject({
  name: z.string().trim().min(1).max(120).optional(),
  status: channelStatusSchema.exclude(['needs_reauth']).optional(),
  settings: z.record(z.string(), z.unknown()).optional(),
  credentials: z.record(z.string(), z.unknown()).optional(),
  teamId: z.string().nullable().optional(),
});

async function findLiveChannel(id: string): Promise<ChannelDoc> {
  const channel = /^[a-f0-9]{24}$/.test(id) ? await Channel.findById(id).lean<ChannelDoc>() : null;
  if (!channel || channel.deletedAt) throw new NotFound('Channel');
  return channel;
}

async function checkTeam(teamId: string | null | undefined): Promise<Types.ObjectId | null> {
  if (!teamId) return null;
  if (!/^[a-f0-9]{24}$/.test(teamId) || !(await Team.exists({ _id: teamId }))) throw new Invalid('teamId is not a team', 'teamId');
  return new Types.ObjectId(teamId);
}

/** The body re-checked as a whole against its kind's schema (a PATCH must leave a valid channel). */
function validFor(kind: ChannelDoc['kind'], body: Record<string, unknown>): ChannelInput {
  return parseInput(channelInputSchema, { ...body, kind });
}

/**
 * Connected brand accounts. Everyone signed in may list them (the inbox shows channel
 * names and icons); only admins connect, change, test or remove them. Credentials go in
 * and are encrypted at rest; they never come out.
 */
export function channelRoutes({ config, queues, events, log }: ChannelRouteDeps): Router {
  const router = Router();
  router.use('/channels', requireUser);
  const admin = requireRole('admin');
  const present = (channel: ChannelDoc) => presentChannel(channel, config.PUBLIC_URL);

  router.get('/channels', async (req, res) => {
    parseQuery(noQuerySchema, req);
    const channels = await Channel.find({ deletedAt: null }).sort({ createdAt: 1 }).lean<ChannelDoc[]>();
    res.json({ items: channels.map(present) });
  });

  router.get('/channels/:id', async (req, res) => {
    parseQuery(noQuerySchema, req);
    res.json(present(await findLiveChannel(String(req.params.id))));
  });

  router.post('/channels', admin, async (req, res) => {
    const input = parseInput(channelInputSchema, req.body);
    const teamId = await checkTeam(input.teamId);
    const externalAccountId = input.externalAccountId ?? `${input.kind}-${randomBytes(6).toString('hex')}`;
    // Reconnecting an account removed earlier brings its channel (and conversations) back.
    const removed = await Channel.findOne({ kind: input.kind, externalAccountId, deletedAt: { $ne: null } }).lean<ChannelDoc>();
    if (removed) {
      await Channel.updateOne(
        { _id: removed._id },
        {
          $set: {
            name: input.name,
            status: 'active',
            statusReason: null,
            deletedAt: null,
            settings: input.settings,
            teamId,
            credentialsEncrypted: encryptCredentials(input.credentials, config.CREDENTIALS_KEY),
          },
        },
      );
      forgetChannel(removed._id);
      const revived = await findLiveChannel(removed._id.toHexString());
      await schedulePolling(queues, revived);
      events.emit('channel.updated', { channelId: revived._id });
      log.info({ channelId: revived._id.toHexString(), kind: revived.kind, by: currentUser(req)._id.toHexString() }, 'channel reconnected');
      res.status(201).json(present(revived));
      return;
    }
    const created = await withConflict(
      () =>
        new Channel({
          kind: input.kind,
          name: input.name,
          externalAccountId,
          status: 'active',
          settings: input.settings,
          ...(teamId ? { teamId } : {}),
          credentialsEncrypted: encryptCredentials(input.credentials, config.CREDENTIALS_KEY),
        }).save(),
      'A channel for this account is already connected',
      'externalAccountId',
    );
    const channel = created.toObject<ChannelDoc>();
    await schedulePolling(queues, channel);
    log.info({ channelId: channel._id.toHexString(), kind: channel.kind, by: currentUser(req)._id.toHexString() }, 'channel connected');
    res.status(201).json(present(channel));
  });

  router.patch('/channels/:id', admin, async (req, res) => {
    const patch = parseInput(channelUpdateSchema, req.body);
    const channel = await findLiveChannel(String(req.params.id));
    const set: Record<string, unknown> = {};
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.status !== undefined) {
      set.status = patch.status;
      set.statusReason = null;
    }
    if (patch.teamId !== undefined) set.teamId = await checkTeam(patch.teamId);
    if (patch.settings !== undefined || patch.credentials !== undefined) {
      // New credentials replace the old ones as a whole; either way the result must be valid for the kind.
      const current = channelContext(channel, config.CREDENTIALS_KEY);
      const checked = validFor(channel.kind, {
        name: patch.name ?? channel.name,
        externalAccountId: channel.externalAccountId,
        settings: patch.settings ?? channel.settings,
        credentials: patch.credentials ?? current.credentials,
      });
      set.settings = checked.settings;
      if (patch.credentials !== undefined) {
        set.credentialsEncrypted = encryptCredentials(checked.credentials, config.CREDENTIALS_KEY);
        // Reconnecting with new credentials ends "needs re-authorisation".
        if (channel.status === 'needs_reauth' && patch.status === undefined) {
          set.status = 'active';
          set.statusReason = null;
        }
      }
    }
    await Channel.updateOne({ _id: channel._id }, { $set: set });
    forgetChannel(channel._id);
    const updated = await findLiveChannel(channel._id.toHexString());
    if (updated.status === 'active') await schedulePolling(queues, updated);
    else await unschedulePolling(queues, updated._id);
    events.emit('channel.updated', { channelId: updated._id });
    res.json(present(updated));
  });

  router.delete('/channels/:id', admin, async (req, res) => {
    const channel = await findLiveChannel(String(req.params.id));
    await unschedulePolling(queues, channel._id);
    if (await Message.exists({ channelId: channel._id })) {
      // Its conversations stay readable: the channel is hidden and stops, never dropped.
      await Channel.updateOne({ _id: channel._id }, { $set: { status: 'disabled', deletedAt: new Date() } });
    } else {
      await Channel.deleteOne({ _id: channel._id });
    }
    forgetChannel(channel._id);
    log.info({ channelId: channel._id.toHexString(), by: currentUser(req)._id.toHexString() }, 'channel removed');
    res.status(204).end();
  });

  router.post('/channels/:id/test', admin, async (req, res) => {
    const channel = await findLiveChannel(String(req.params.id));
    let result;
    try {
      result = await connectorFor(channel.kind).testConnection(channelContext(channel, config.CREDENTIALS_KEY));
    } catch (error) {
      result = { ok: false, error: `The connection test could not run: ${error instanceof Error ? error.message : String(error)}` };
    }
    res.json(result);
  });

  return router;
}
