import type { TurnContext } from 'botbuilder-core';
import { Types } from 'mongoose';
import { activeTicketStatuses, isWithinBusinessHours, nextOpeningAfter, type BotLearnt, type TicketStatus } from '@parley/common';
import type { ChannelDoc } from '../channels/channel.model';
import { cachedChannel } from '../channels/channels.service';
import { Contact, type ContactDoc } from '../contacts/contact.model';
import { rejectAfter } from '../lib/async';
import { startPeriodic } from '../queue/periodic';
import type { RedisHandle } from '../redis';
import { Message, type MessageDoc } from '../tickets/message.model';
import { Ticket, type TicketDoc } from '../tickets/ticket.model';
import type { TicketDeps } from '../tickets/tickets.service';
import { isCustomerMessage } from '../workflows/rules.engine';
import { BotEvents } from './bot.activity';
import { botHoursOf, botSettingsOf } from './bot-settings';
import { botTakes, handOff, learntOf, noLearnt, rememberLearnt } from './handoff.service';
import { ParleyAdapter, abandonWith, activityFor, botActorOf, eventFor, isRefusal, referenceOf, type BotTurn } from './parley.adapter';

/** The bot's turn for a customer message, or (opening) the team coming on shift in a conversation the bot holds. */
export type BotJob = { kind: 'message'; messageId: string; ticketId: string } | { kind: 'opening' | 'resume'; ticketId: string };

/** An agent handed a conversation back to the bot (the api's request): the worker tells the bot. */
export async function queueBotResume(queues: TicketDeps['queues'], ticketId: Types.ObjectId): Promise<void> {
  await queues.queue<BotJob>('bot').add({ kind: 'resume', ticketId: ticketId.toHexString() }, { attempts: 3, backoff: { type: 'fixed', delay: 1_000 } });
}

export const botJobId = (messageId: Types.ObjectId) => `bot:${messageId.toHexString()}`;
const openingJobId = (ticketId: Types.ObjectId, at: Date) => `bot-open:${ticketId.toHexString()}:${at.getTime()}`;

/** What runs the conversation: the Bot Framework bot (parley.bot.ts), or any ActivityHandler. */
export interface BotLogic {
  run(context: TurnContext): Promise<void>;
  /** What the bot has learnt in the conversation, after a turn (the ticket keeps it for a person's take-over). */
  learntOf?(context: TurnContext): Promise<BotLearnt>;
}

export interface BotWorkerDeps extends TicketDeps {
  bot: BotLogic;
  redis: RedisHandle;
  prefix: string;
  /** How long one turn may take before the bot counts as broken and people take over. */
  turnTimeoutMs?: number;
  /** The clock (tests simulate after hours with it). */
  now?: () => Date;
  /** How often conversations the bot holds are checked for the team coming on shift (lost timers). */
  sweepEveryMs?: number;
}

const isActive = (status: TicketStatus) => (activeTicketStatuses as readonly TicketStatus[]).includes(status);

/**
 * Whether the bot answers this customer message: never once people have the conversation;
 * in a conversation it holds, until the team comes on shift (after_hours); and it takes a new
 * one nobody has answered when the team is off shift, or always first where set so.
 */
export function botDecision(ticket: TicketDoc, turn: BotTurn): 'answer' | 'opening' | 'skip' {
  const { mode } = turn.settings;
  if (!isActive(ticket.status) || ticket.botState === 'handed_off' || mode === 'off') return 'skip';
  if (ticket.botState === 'active') return mode === 'after_hours' && !turn.afterHours ? 'opening' : 'answer';
  if (ticket.firstHumanResponseAt) return 'skip';
  return mode === 'always_first' || turn.afterHours ? 'answer' : 'skip';
}

export interface BotWorker {
  adapter: ParleyAdapter;
  /** Runs the bot's turn for a stored customer message (what the bot job does). */
  runMessage(messageId: Types.ObjectId, signal?: AbortSignal): Promise<'answered' | 'skipped'>;
  /** The team came on shift: the bot says a person is next and hands over. */
  runOpening(ticketId: Types.ObjectId, signal?: AbortSignal): Promise<void>;
  /** Tells the bot its hand-off is undone (an agent handed the conversation back). */
  resume(ticketId: Types.ObjectId): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The worker's side of the bot: every customer message ingest stored on a channel whose bot is
 * on is queued as a `bot` job (never run in the webhook request); one turn per conversation at
 * a time; a turn that throws or outlasts its timeout on its last attempt, or that a guardrail
 * refuses, hands the conversation to people, so a broken bot never leaves a customer unanswered
 * and unqueued.
 */
export function startBotWorker(deps: BotWorkerDeps): BotWorker {
  const now = deps.now ?? (() => new Date());
  const channelOf = (channelId: Types.ObjectId) => cachedChannel(channelId);
  const settingsOf = async (channelId: Types.ObjectId) => botSettingsOf(await channelOf(channelId));
  const adapter = new ParleyAdapter({ ...deps, channelOf, settingsOf });
  // A turn's error fails its job (retried, then handed over), never a reply to the customer.
  adapter.onTurnError = (_context, error) => Promise.reject(error);
  const queue = deps.queues.queue<BotJob>('bot');

  async function turnOf(ticket: TicketDoc, channel: ChannelDoc, message?: MessageDoc): Promise<BotTurn> {
    const settings = botSettingsOf(channel);
    const [hours, contact] = await Promise.all([botHoursOf(channel, settings), Contact.findById(ticket.contactId).lean<ContactDoc>()]);
    const at = now();
    const afterHours = hours ? !isWithinBusinessHours(at, hours) : false;
    return { ticket, channel, contact, settings, afterHours, nextOpeningAt: afterHours ? nextOpeningAfter(at, hours) : null, timezone: hours?.timezone ?? 'UTC', ...(message ? { message } : {}) };
  }

  async function scheduleOpening(turn: BotTurn): Promise<void> {
    if (!turn.nextOpeningAt || turn.settings.mode !== 'after_hours') return;
    const delay = Math.max(0, turn.nextOpeningAt.getTime() - now().getTime());
    await queue.add({ kind: 'opening', ticketId: turn.ticket._id.toHexString() }, { jobId: openingJobId(turn.ticket._id, turn.nextOpeningAt), delay, attempts: 3 });
  }

  const lockOf = (ticketId: Types.ObjectId) => `bot:${ticketId.toHexString()}`;

  /** One turn of a conversation at a time: the ticket and where it happens as they are now, or `missing` when either is gone. */
  async function inConversation<T>(ticketId: Types.ObjectId, message: MessageDoc | undefined, missing: T, work: (ticket: TicketDoc, turn: BotTurn) => Promise<T>): Promise<T> {
    return deps.locks.withLock(lockOf(ticketId), async () => {
      const ticket = await Ticket.findById(ticketId).lean<TicketDoc>();
      const channel = ticket ? await channelOf(ticket.channelId) : null;
      if (!ticket || !channel) return missing;
      return work(ticket, await turnOf(ticket, channel, message));
    });
  }

  async function opening(ticket: TicketDoc, turn: BotTurn, signal: AbortSignal | undefined): Promise<void> {
    await adapter.continueConversation(referenceOf(turn), async (context) => {
      abandonWith(context, signal);
      Object.assign(context.activity, eventFor(turn, BotEvents.businessHoursOpen));
      await deps.bot.run(context);
    });
    // Should the bot not have handed over, people take the conversation anyway: they are here now.
    if (signal?.aborted) return;
    await handOff(ticket._id, 'business_hours', learntOf(ticket), botActorOf(turn.settings), deps);
  }

  async function runMessage(messageId: Types.ObjectId, signal?: AbortSignal): Promise<'answered' | 'skipped'> {
    const message = await Message.findById(messageId).lean<MessageDoc>();
    if (!message?.ticketId || !isCustomerMessage(message)) return 'skipped';
    const ticketId = message.ticketId;
    return inConversation<'answered' | 'skipped'>(ticketId, message, 'skipped', async (ticket, turn) => {
      const decision = botDecision(ticket, turn);
      if (decision === 'skip') return 'skipped';
      if (decision === 'opening') {
        await opening(ticket, turn, signal);
        return 'answered';
      }
      const held = ticket.botState === 'active' ? ticket : await botTakes(ticket._id, botActorOf(turn.settings), deps, { from: 'none' });
      if (held?.botState !== 'active') return 'skipped';
      let learnt: BotLearnt | null = null;
      await adapter.processActivity(activityFor({ ...turn, ticket: held, message }), async (context) => {
        await deps.bot.run(context);
        learnt = (await deps.bot.learntOf?.(context)) ?? null;
      }, signal);
      if (signal?.aborted) return 'answered';
      if (learnt && JSON.stringify(learnt) !== JSON.stringify(held.botLearnt ?? null)) await rememberLearnt(ticketId, learnt, deps);
      await scheduleOpening(turn);
      return 'answered';
    });
  }

  async function runOpening(ticketId: Types.ObjectId, signal?: AbortSignal): Promise<void> {
    await inConversation(ticketId, undefined, undefined, async (ticket, turn) => {
      if (ticket.botState !== 'active' || !isActive(ticket.status)) return;
      // Only an after-hours bot gives way to the team; one that always answers first keeps its conversations.
      if (turn.settings.mode !== 'after_hours') return;
      // The schedule changed since the timer was set: wait for the new opening.
      if (turn.afterHours) return scheduleOpening(turn);
      await opening(ticket, turn, signal);
    });
  }

  async function resume(ticketId: Types.ObjectId): Promise<void> {
    await inConversation(ticketId, undefined, undefined, async (_ticket, turn) => {
      await adapter.processActivity(eventFor(turn, BotEvents.resume), (context) => deps.bot.run(context));
    });
  }

  const timeoutMs = deps.turnTimeoutMs ?? 20_000;
  deps.queues.process<BotJob>('bot', 4, async (job) => {
    const ticketId = new Types.ObjectId(job.data.ticketId);
    const { data } = job;
    const turn = new AbortController();
    const work: Promise<unknown> = data.kind === 'message' ? runMessage(new Types.ObjectId(data.messageId), turn.signal) : data.kind === 'opening' ? runOpening(ticketId, turn.signal) : resume(ticketId);
    try {
      return await rejectAfter(work, timeoutMs);
    } catch (error) {
      // A turn given up on says nothing more when it ends (the retry, or people, answer instead).
      turn.abort();
      const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (last || isRefusal(error)) {
        const ticket = await Ticket.findById(ticketId, { channelId: 1, botLearnt: 1, language: 1 }).lean<Pick<TicketDoc, 'channelId' | 'botLearnt' | 'language'>>();
        const channel = ticket ? await channelOf(ticket.channelId) : null;
        await handOff(ticketId, 'bot_failed', ticket ? learntOf(ticket) : noLearnt(), botActorOf(botSettingsOf(channel)), deps);
        deps.log.warn({ ticketId: job.data.ticketId, err: error }, 'the bot failed; people have the conversation');
        if (isRefusal(error)) return 'handed over';
      }
      throw error;
    }
  });

  const queueTurn = async (messageId: Types.ObjectId, ticketId: Types.ObjectId, message: MessageDoc, ticket: TicketDoc | undefined) => {
    if (!isCustomerMessage(message)) return;
    // Most channels have no bot: no job for their messages.
    const channel = await channelOf(message.channelId);
    if (botSettingsOf(channel).mode === 'off' && ticket?.botState !== 'active') return;
    if (ticket?.botState === 'handed_off') return;
    await queue.add({ kind: 'message', messageId: messageId.toHexString(), ticketId: ticketId.toHexString() }, { jobId: botJobId(messageId), attempts: 2, backoff: { type: 'fixed', delay: 2_000 } });
  };
  const offCreated = deps.events.on('message.created', ({ messageId, ticketId, message, ticket }) => {
    if (!message) return;
    queueTurn(messageId, ticketId, message, ticket).catch((error: unknown) => deps.log.error({ err: error, messageId: messageId.toHexString() }, 'could not queue the bot'));
  });

  // Conversations the bot holds whose opening timer was lost (Redis restarted empty): checked every few minutes.
  const sweep = async () => {
    const held = await Ticket.find({ botState: 'active' }, { _id: 1 }).limit(500).lean();
    for (const { _id } of held) await queue.add({ kind: 'opening', ticketId: _id.toHexString() }, { jobId: `bot-open:${_id.toHexString()}:sweep:${Math.floor(now().getTime() / 60_000)}`, attempts: 1 });
    return held.length;
  };
  const periodic = startPeriodic([{ name: 'bot-openings', everyMs: deps.sweepEveryMs ?? 300_000, run: sweep }], deps.redis.client, deps.prefix, deps.log);

  return {
    adapter,
    runMessage,
    runOpening,
    resume,
    stop: async () => {
      offCreated();
      await periodic.stop();
    },
  };
}
