import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { SimulatorEvent } from '@parley/common';
import { Channel, type ChannelDoc } from '../channels/channel.model';
import { decryptCredentials } from '../channels/credentials';
import type { Config } from '../config';
import { SimulatorReply } from '../connectors/simulator/simulator.connector';
import { Contact, ContactIdentityKey } from '../contacts/contact.model';
import type { Logger } from '../logger';
import { Message } from '../tickets/message.model';
import { authorOf, personaById } from './personas';
import { createTraffic, type AnsweredReply, type GeneratedDelivery, type Traffic, type TrafficChannel } from './traffic';
import { postDelivery, type DeliveryTarget } from './webhook.client';

/**
 * Runs the traffic generator against a running Parley, as a platform would: signed
 * webhook deliveries over HTTP. Seeds a backlog into empty simulator channels, then
 * writes at a steady rate with jitter, and lets customers answer agents' replies.
 */

export interface SimulatorOptions {
  /** Where Parley's api listens, e.g. http://127.0.0.1:3000. */
  baseUrl: string;
  seed: string;
  ratePerMinute: number;
  backlog: number;
  credentialsKey: string | undefined;
  answerProbability?: number;
  /** How long a customer takes to answer an agent, at least and at most. */
  answerDelayMs?: readonly [number, number];
  replyPollMs?: number;
  log: Logger;
}

export interface Simulator {
  /** Loads the simulator channels, sends the backlog (in the background) and starts the stream. */
  start(): Promise<void>;
  /** Sends the next `count` events of the stream now, one after another. */
  deliver(count: number): Promise<GeneratedDelivery[]>;
  stop(): Promise<void>;
}

const imitatesSchema = z.enum(['x', 'facebook', 'instagram']).catch('x');

interface LoadedChannel extends TrafficChannel {
  secret: string;
}

async function loadChannels(credentialsKey: string | undefined, log: Logger): Promise<LoadedChannel[]> {
  const channels = await Channel.find({ kind: 'simulator', status: 'active' }).sort({ _id: 1 }).lean<ChannelDoc[]>();
  const loaded: LoadedChannel[] = [];
  for (const channel of channels) {
    try {
      const secret = decryptCredentials(channel.credentialsEncrypted, credentialsKey).secret;
      if (secret) loaded.push({ id: channel._id.toHexString(), imitates: imitatesSchema.parse(channel.settings.imitates), secret });
    } catch (error) {
      log.warn({ channelId: channel._id, err: error }, 'cannot read the secret of a simulator channel; it gets no traffic');
    }
  }
  return loaded;
}

/** The simulated author of a customer identity: the pool's persona, else what Parley stored. */
async function authorOfIdentity(externalId: string): Promise<SimulatorEvent['author'] | null> {
  const persona = personaById(externalId);
  if (persona) return authorOf(persona);
  const key = await ContactIdentityKey.findById(`simulator:${externalId}`).lean();
  const contact = key ? await Contact.findById(key.contactId).lean() : null;
  const identity = contact?.identities.find((candidate) => candidate.kind === 'simulator' && candidate.externalId === externalId);
  if (!identity) return null;
  return { id: externalId, ...(identity.handle ? { handle: identity.handle } : {}), ...(identity.displayName ? { name: identity.displayName } : {}) };
}

interface RecordedReply {
  _id: string;
  channelId: string;
  visibility: 'public' | 'private';
  inReplyTo?: string;
  recipient?: string;
}

/** Who an agent's reply reached, in which conversation: enough for them to answer. */
async function answeredReplyOf(reply: RecordedReply): Promise<AnsweredReply | null> {
  if (reply.visibility === 'private') {
    const author = reply.recipient ? await authorOfIdentity(reply.recipient) : null;
    if (!author) return null;
    return { replyId: reply._id, channelId: reply.channelId, visibility: 'private', author, lang: personaById(author.id)?.lang ?? 'en' };
  }
  if (!reply.inReplyTo) return null;
  const original = await Message.findOne({ channelId: reply.channelId, externalId: reply.inReplyTo }).lean();
  if (!original || original.direction !== 'inbound' || !original.contactId) return null;
  const contact = await Contact.findById(original.contactId).lean();
  const identity = contact?.identities.find((candidate) => candidate.kind === 'simulator');
  const author = identity ? await authorOfIdentity(identity.externalId) : null;
  if (!author) return null;
  return {
    replyId: reply._id,
    channelId: reply.channelId,
    visibility: 'public',
    author,
    lang: original.language ?? personaById(author.id)?.lang ?? 'en',
    thread: original.externalThreadId ?? original.externalId,
  };
}

export function createSimulator(options: SimulatorOptions): Simulator {
  const { log } = options;
  const [answerMinMs, answerMaxMs] = options.answerDelayMs ?? [15_000, 60_000];
  const abort = new AbortController();
  const timers = new Set<NodeJS.Timeout>();
  const inFlight = new Set<Promise<unknown>>();
  let channels: LoadedChannel[] = [];
  let traffic: Traffic | undefined;
  let stopped = false;

  const later = (ms: number, work: () => Promise<unknown>) => {
    if (stopped) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      track(work());
    }, ms);
    timers.add(timer);
  };

  function track(work: Promise<unknown>): void {
    const settled = work.catch((error: unknown) => {
      if (!stopped) log.warn({ err: error }, 'simulated delivery failed');
    });
    inFlight.add(settled);
    void settled.finally(() => inFlight.delete(settled));
  }

  async function send(delivery: GeneratedDelivery): Promise<void> {
    const channel = channels.find((candidate) => candidate.id === delivery.channelId);
    if (!channel || stopped) return;
    const target: DeliveryTarget = { baseUrl: options.baseUrl, channelId: channel.id, secret: channel.secret };
    await postDelivery(target, [delivery.event], abort.signal);
  }

  /** The live stream: exponential gaps around the mean rate, kept within a third and three times of it. */
  function scheduleNext(): void {
    if (options.ratePerMinute <= 0 || !traffic) return;
    const meanMs = 60_000 / options.ratePerMinute;
    const gapMs = Math.min(3 * meanMs, Math.max(meanMs / 3, -Math.log(1 - Math.random()) * meanMs));
    later(gapMs, async () => {
      try {
        if (traffic) await send(traffic.next(new Date()));
      } finally {
        scheduleNext();
      }
    });
  }

  let cursor = new Date();
  let seen = new Set<string>();

  /** Agents' replies recorded since the last look; some customers answer a little later. */
  async function watchReplies(): Promise<void> {
    try {
      const replies = await SimulatorReply.find({ sentAt: { $gte: cursor } }).sort({ sentAt: 1 }).limit(200).lean<Array<RecordedReply & { sentAt: Date }>>();
      for (const reply of replies) {
        if (seen.has(reply._id)) continue;
        seen.add(reply._id);
        if (reply.sentAt > cursor) cursor = reply.sentAt;
        if (!channels.some((channel) => channel.id === reply.channelId)) continue;
        const answered = await answeredReplyOf(reply);
        const answer = answered && traffic ? traffic.answer(answered, new Date()) : null;
        if (!answer) continue;
        const delayMs = answerMinMs + Math.random() * (answerMaxMs - answerMinMs);
        later(delayMs, () => send({ ...answer, event: { ...answer.event, at: new Date().toISOString() } }));
      }
      // Only replies recorded at the cursor's very instant can be read again.
      seen = new Set(replies.filter((reply) => reply.sentAt.getTime() === cursor.getTime()).map((reply) => reply._id));
    } finally {
      later(options.replyPollMs ?? 2_000, watchReplies);
    }
  }

  async function sendBacklog(): Promise<void> {
    if (!traffic || options.backlog <= 0) return;
    const ids = channels.map((channel) => channel.id);
    if (await Message.exists({ channelId: { $in: ids } })) return;
    const deliveries = traffic.backlog(options.backlog, new Date());
    for (const delivery of deliveries) {
      if (stopped) return;
      await send(delivery);
    }
    log.info({ events: deliveries.length, conversations: options.backlog }, 'simulator backlog sent');
  }

  return {
    async start() {
      channels = await loadChannels(options.credentialsKey, log);
      if (channels.length === 0) {
        log.warn('no active simulator channel with a readable secret: the simulator sends nothing');
        return;
      }
      traffic = createTraffic({ seed: options.seed, channels, ...(options.answerProbability !== undefined ? { answerProbability: options.answerProbability } : {}) });
      const backlog = sendBacklog();
      track(backlog);
      scheduleNext();
      later(0, watchReplies);
      log.info(
        { ratePerMinute: options.ratePerMinute, backlog: options.backlog, channels: channels.map((channel) => `${channel.imitates}:${channel.id}`), seed: options.seed },
        `simulator started: ${options.ratePerMinute} events a minute across ${channels.length} channels`,
      );
    },

    async deliver(count) {
      if (!traffic) throw new Error('the simulator has no channels (start it first)');
      const sent: GeneratedDelivery[] = [];
      for (let index = 0; index < count && !stopped; index++) {
        const delivery = traffic.next(new Date());
        await send(delivery);
        sent.push(delivery);
      }
      return sent;
    },

    async stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      abort.abort();
      await Promise.all([...inFlight]);
    },
  };
}

/** The simulator of the `simulator` role, set up from the configuration. */
export function simulatorFromConfig(config: Config, apiPort: number | undefined, log: Logger): Simulator {
  const host = ['0.0.0.0', '::', ''].includes(config.HOST) ? '127.0.0.1' : config.HOST;
  return createSimulator({
    baseUrl: config.SIMULATOR_TARGET_URL ?? `http://${host.includes(':') ? `[${host}]` : host}:${apiPort ?? config.PORT}`,
    seed: config.SIMULATOR_SEED ?? randomBytes(6).toString('hex'),
    ratePerMinute: config.SIMULATOR_RATE_PER_MINUTE,
    backlog: config.SIMULATOR_BACKLOG,
    credentialsKey: config.CREDENTIALS_KEY,
    log,
  });
}
