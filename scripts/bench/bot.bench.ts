/**
 * The chatbot's speed on this machine: from a customer's message stored by ingest to the
 * bot's reply queued for delivery (both documents' createdAt, written by the same database
 * clock), for new conversations arriving at a steady rate on a channel whose bot answers
 * first. The bot runs for real: Bot Framework turn, state in MongoDB, knowledge-base match.
 */
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import request from 'supertest';
import { SIGNATURE_HEADER, type SimulatorEvent } from '@parley/common';
import { seedBotAnswers } from '../../backend/src/bot/answers.seed';
import { Channel } from '../../backend/src/channels/channel.model';
import { encryptCredentials } from '../../backend/src/channels/credentials';
import { benchConfig } from './config';
import { hmacSha256 } from '../../backend/src/connectors/signature';
import { syncIndexes } from '../../backend/src/db/mongo';
import { createLogger } from '../../backend/src/logger';
import { startParley } from '../../backend/src/server';
import { RawEvent, type RawEventDoc } from '../../backend/src/ingest/raw-event.model';
import { Message, type MessageDoc } from '../../backend/src/tickets/message.model';
import { sleep, summary } from './stats';

const numberFrom = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const CONVERSATIONS = numberFrom('BENCH_BOT_CONVERSATIONS', 120);
const RATE = numberFrom('BENCH_BOT_RATE', 2);

const questions = [
  'Hi, how many bags can I take in the cabin?',
  'Hola, ¿cómo pido un reembolso de mi billete?',
  'Bonjour, je voudrais changer la date de mon vol',
  'what are your opening hours?',
  'my suitcase did not arrive, what do I do',
  'hello',
];

export interface BotBench {
  conversations: number;
  ratePerSecond: number;
  answered: number;
  /** Customer message stored → the bot's first reply queued, in ms. */
  replyQueuedMs: ReturnType<typeof summary>;
  /** The same for the whole turn's last reply (a greeting and an answer may be two messages). */
  lastReplyQueuedMs: ReturnType<typeof summary>;
  /** For comparison: webhook accepted → customer message stored (ingest's own lag at this rate). */
  ingestMs: ReturnType<typeof summary>;
}

export async function benchBot(mongoUri: string, redisUrl: string): Promise<BotBench> {
  const config = benchConfig('benchbot', mongoUri, redisUrl);
  const parley = await startParley(config, ['api', 'worker'], createLogger(config));
  try {
    await mongoose.connection.dropDatabase();
    await syncIndexes();
    await seedBotAnswers();
    const secret = randomBytes(24).toString('base64url');
    const channel = await Channel.create({
      kind: 'simulator',
      name: 'Bench bot channel',
      externalAccountId: `bench-bot-${Date.now()}`,
      status: 'active',
      settings: { bot: { mode: 'always_first', brandName: 'Acme' } },
      credentialsEncrypted: encryptCredentials({ secret }, config.CREDENTIALS_KEY),
    });
    const server = parley.http!;
    const started = Date.now();
    for (let index = 0; index < CONVERSATIONS; index++) {
      const event: SimulatorEvent = {
        id: `bench-bot-${index}`,
        kind: 'dm',
        author: { id: `bench-customer-${index}`, name: `Customer ${index}`, followers: 10 },
        text: questions[index % questions.length]!,
        at: new Date().toISOString(),
      };
      const body = JSON.stringify({ events: [event] });
      await request(server).post(`/webhooks/simulator/${channel._id.toHexString()}`).set('content-type', 'application/json').set(SIGNATURE_HEADER, `sha256=${hmacSha256(secret, body, 'hex')}`).send(body).expect(200);
      const due = started + ((index + 1) * 1_000) / RATE;
      if (due > Date.now()) await sleep(due - Date.now());
    }
    // Every conversation's bot turn done (or a generous minute after the last message).
    const deadline = Date.now() + 60_000;
    let replies: MessageDoc[] = [];
    while (Date.now() < deadline) {
      replies = await Message.find({ channelId: channel._id, authorType: 'bot' }, { ticketId: 1, createdAt: 1 }).lean<MessageDoc[]>();
      if (new Set(replies.map((reply) => reply.ticketId?.toHexString())).size >= CONVERSATIONS) break;
      await sleep(500);
    }
    const inbound = await Message.find({ channelId: channel._id, direction: 'inbound' }, { ticketId: 1, createdAt: 1, rawEventId: 1 }).lean<MessageDoc[]>();
    const raws = await RawEvent.find({ channelId: channel._id }, { receivedAt: 1 }).lean<RawEventDoc[]>();
    const receivedAt = new Map(raws.map((raw) => [raw._id.toHexString(), raw.receivedAt.getTime()]));
    const ingest = inbound.flatMap((message) => {
      const at = message.rawEventId ? receivedAt.get(message.rawEventId.toHexString()) : undefined;
      return at === undefined ? [] : [message.createdAt.getTime() - at];
    });
    const firstReply = new Map<string, number>();
    const lastReply = new Map<string, number>();
    for (const reply of replies) {
      const key = reply.ticketId!.toHexString();
      firstReply.set(key, Math.min(firstReply.get(key) ?? Infinity, reply.createdAt.getTime()));
      lastReply.set(key, Math.max(lastReply.get(key) ?? 0, reply.createdAt.getTime()));
    }
    const first: number[] = [];
    const last: number[] = [];
    for (const message of inbound) {
      const key = message.ticketId!.toHexString();
      const at = firstReply.get(key);
      if (at === undefined) continue;
      first.push(at - message.createdAt.getTime());
      last.push(lastReply.get(key)! - message.createdAt.getTime());
    }
    return { conversations: CONVERSATIONS, ratePerSecond: RATE, answered: first.length, replyQueuedMs: summary(first), lastReplyQueuedMs: summary(last), ingestMs: summary(ingest) };
  } finally {
    await mongoose.connection.dropDatabase().catch(() => undefined);
    await parley.stop();
  }
}
