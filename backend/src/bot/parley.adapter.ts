import { createHash } from 'node:crypto';
import { ActivityTypes, BotAdapter, TurnContext, type Activity, type ConversationReference, type ResourceResponse } from 'botbuilder-core';
import { Types } from 'mongoose';
import { DEFAULT_BOT_HANDOFF_REACH, DEFAULT_BOT_NAME, type BotChannelSettings, type QuickReply } from '@parley/common';
import type { ChannelDoc } from '../channels/channel.model';
import { connectorFor } from '../connectors';
import type { ContactDoc } from '../contacts/contact.model';
import { isDuplicateKeyError } from '../db/errors';
import { AppError, MoveRefused } from '../http/errors';
import type { Actor } from '../tickets/actor';
import type { MessageDoc } from '../tickets/message.model';
import { Ticket, type TicketDoc } from '../tickets/ticket.model';
import { postMessageAs, type TicketDeps } from '../tickets/tickets.service';
import { startMoveToPrivate } from '../workflows/move-to-private.service';
import { invitationFor } from '../workflows/private-invite';
import { MOVE_TO_PRIVATE_EVENT, type HandoffValue, type MoveToPrivateValue, type ParleyChannelData } from './bot.activity';
import { handOff } from './handoff.service';

/** What one turn of the bot is about: the conversation, where it happens, and (for a customer's message) the message. */
export interface BotTurn {
  ticket: TicketDoc;
  channel: ChannelDoc;
  contact: ContactDoc | null;
  settings: BotChannelSettings;
  afterHours: boolean;
  nextOpeningAt: Date | null;
  timezone: string;
  message?: MessageDoc;
}

export const botNameOf = (settings: BotChannelSettings): string => settings.name ?? DEFAULT_BOT_NAME;
export const botActorOf = (settings: BotChannelSettings): Actor => ({ kind: 'bot', name: botNameOf(settings) });

/** The quick-reply payload a customer's message carries (Meta's quick replies and postbacks, the webhook channel's value). */
export function quickReplyValueOf(message: MessageDoc): string | undefined {
  const tag = message.tags.find((candidate) => candidate.startsWith('quick_reply:') || candidate.startsWith('postback:'));
  return tag ? tag.slice(tag.indexOf(':') + 1) : undefined;
}

function channelDataOf(turn: BotTurn): ParleyChannelData {
  const { ticket, channel, message } = turn;
  const visibility = message?.visibility === 'public' || message?.visibility === 'private' ? message.visibility : ticket.origin;
  return {
    visibility,
    ticketId: ticket._id.toHexString(),
    ...(message ? { messageId: message._id.toHexString() } : {}),
    platform: { ...(message ? { externalId: message.externalId } : {}), externalThreadId: message?.externalThreadId ?? null, externalParentId: message?.externalParentId ?? null },
    language: message?.language ?? ticket.language ?? null,
    sentiment: message?.sentiment ?? ticket.sentiment ?? null,
    followers: ticket.reach ?? 0,
    influenceTier: ticket.influenceTier ?? 'standard',
    vip: ticket.influenceTier === 'vip',
    handoffReach: turn.settings.handoffReach ?? DEFAULT_BOT_HANDOFF_REACH,
    afterHours: turn.afterHours,
    nextOpeningAt: turn.afterHours && turn.nextOpeningAt ? turn.nextOpeningAt.toISOString() : null,
    timezone: turn.timezone,
    quickReplies: connectorFor(channel.kind).quickReplies?.[visibility] ?? false,
    botName: botNameOf(turn.settings),
    brandName: turn.settings.brandName ?? channel.name,
  };
}

/** The conversation as Bot Framework names it: the ticket, between the customer and the brand account. */
export function referenceOf(turn: BotTurn): Partial<ConversationReference> {
  return {
    channelId: turn.channel.kind,
    serviceUrl: 'parley://',
    conversation: { id: turn.ticket._id.toHexString(), isGroup: turn.ticket.origin === 'public', conversationType: turn.ticket.origin, name: turn.ticket.subject },
    user: { id: turn.ticket.contactId.toHexString(), name: turn.contact?.name ?? '', role: 'user' },
    bot: { id: turn.channel._id.toHexString(), name: botNameOf(turn.settings), role: 'bot' },
    locale: turn.ticket.language ?? undefined,
  };
}

/** A stored customer message as a Bot Framework message activity. */
export function activityFor(turn: BotTurn & { message: MessageDoc }): Partial<Activity> {
  const { message } = turn;
  const reference = referenceOf(turn);
  const value = quickReplyValueOf(message);
  return {
    type: ActivityTypes.Message,
    id: message._id.toHexString(),
    timestamp: message.sentAt,
    channelId: reference.channelId,
    serviceUrl: reference.serviceUrl,
    conversation: reference.conversation,
    from: reference.user,
    recipient: reference.bot,
    text: message.text,
    attachments: message.attachments.map((attachment) => ({ contentType: attachment.mimeType ?? attachment.type, contentUrl: attachment.url, name: attachment.name ?? attachment.type })),
    locale: message.language ?? undefined,
    ...(value !== undefined ? { value } : {}),
    channelData: channelDataOf(turn),
  };
}

/** An event the adapter raises in a conversation (business hours began), with what Parley knows now. */
export function eventFor(turn: BotTurn, name: string): Partial<Activity> {
  const reference = referenceOf(turn);
  return {
    type: ActivityTypes.Event,
    name,
    channelId: reference.channelId,
    serviceUrl: reference.serviceUrl,
    conversation: reference.conversation,
    from: reference.user,
    recipient: reference.bot,
    channelData: channelDataOf(turn),
  };
}

const sendCount = Symbol('parley.sendCount');
const turnSignal = Symbol('parley.turnSignal');

/**
 * Ties a turn to its job's signal: a turn given up on (it outlasted its timeout, and people may
 * have the conversation by now) says nothing more, whatever it still tries to send.
 */
export function abandonWith(context: TurnContext, signal: AbortSignal | undefined): void {
  if (signal) context.turnState.set(turnSignal, signal);
}

const abandoned = (context: TurnContext) => context.turnState.get<AbortSignal | undefined>(turnSignal)?.aborted === true;

/**
 * The id of the n-th message the bot sends in a turn, derived from what started the turn: a
 * retried bot job replays the turn and finds the replies it stored already, instead of
 * answering the customer twice.
 */
function replyIdOf(context: TurnContext): Types.ObjectId {
  const count = context.turnState.get<number | undefined>(sendCount) ?? 0;
  context.turnState.set(sendCount, count + 1);
  const turnKey = context.activity.id ?? `${context.activity.name ?? 'event'}:${context.activity.conversation.id}:${String(context.activity.timestamp ?? '')}`;
  return new Types.ObjectId(createHash('sha256').update(`bot:${turnKey}:${count}`).digest('hex').slice(0, 24));
}

/** The bot's buttons on a message activity (its suggested actions), as Parley keeps and sends them. */
export const quickRepliesOf = (activity: Partial<Activity>): QuickReply[] =>
  (activity.suggestedActions?.actions ?? [])
    .filter((action) => typeof action.value === 'string' && action.title)
    .map((action) => ({ title: action.title.slice(0, 20), payload: String(action.value).slice(0, 1000) }));

export interface ParleyAdapterDeps extends TicketDeps {
  /** The bot's name and settings for a turn's channel (its actor). */
  settingsOf(channelId: Types.ObjectId): Promise<BotChannelSettings>;
  channelOf(channelId: Types.ObjectId): Promise<ChannelDoc | null>;
}

/**
 * Bot Framework's side of Parley: a customer message becomes an activity the bot answers, and
 * what the bot sends becomes Parley's own — messages by the bot through the one way out (every
 * guardrail and platform window applies; the bot never gets the people's HUMAN_AGENT tag), a
 * hand-off recorded on the ticket, a move of a public conversation to private.
 */
export class ParleyAdapter extends BotAdapter {
  constructor(private readonly deps: ParleyAdapterDeps) {
    super();
  }

  /** Runs one turn of the bot on an activity (a customer message, or an event Parley raised). */
  async processActivity(activity: Partial<Activity>, logic: (context: TurnContext) => Promise<void>, signal?: AbortSignal): Promise<void> {
    const context = new TurnContext(this, activity);
    abandonWith(context, signal);
    await this.runMiddleware(context, logic);
  }

  /** Follows up in a conversation later (business hours began): the logic sends what it has to say. */
  async continueConversation(reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const activity = TurnContext.applyConversationReference({ type: ActivityTypes.Event, name: 'continueConversation' }, reference, true);
    await this.processActivity(activity, logic);
  }

  async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const data = context.activity.channelData as ParleyChannelData;
    const ticketId = new Types.ObjectId(data.ticketId);
    const responses: ResourceResponse[] = [];
    if (abandoned(context)) return activities.map(() => ({ id: '' }));
    for (const activity of activities) {
      let id = '';
      if (activity.type === ActivityTypes.Message) id = await this.post(context, ticketId, data, activity);
      else if (activity.type === ActivityTypes.Handoff) await this.handOff(ticketId, activity.value as HandoffValue);
      else if (activity.type === ActivityTypes.Event && activity.name === MOVE_TO_PRIVATE_EVENT) await this.moveToPrivate(context, ticketId, data, activity.value as MoveToPrivateValue);
      // typing, delay and trace activities mean nothing on a social platform.
      responses.push({ id });
    }
    return responses;
  }

  updateActivity(): Promise<void> {
    return Promise.reject(new Error('The bot does not edit messages once they are sent'));
  }

  deleteActivity(): Promise<void> {
    return Promise.reject(new Error('The bot does not delete messages'));
  }

  private async ticketAndActor(ticketId: Types.ObjectId): Promise<{ ticket: TicketDoc; actor: Actor } | null> {
    const ticket = await Ticket.findById(ticketId).lean<TicketDoc>();
    if (!ticket) return null;
    return { ticket, actor: botActorOf(await this.deps.settingsOf(ticket.channelId)) };
  }

  private async post(context: TurnContext, ticketId: Types.ObjectId, data: ParleyChannelData, activity: Partial<Activity>): Promise<string> {
    const messageId = replyIdOf(context);
    const found = await this.ticketAndActor(ticketId);
    if (!found || !activity.text) return messageId.toHexString();
    // People took the conversation while the bot was thinking: the bot says nothing more.
    if (found.ticket.botState === 'handed_off') return messageId.toHexString();
    const body = { text: activity.text, visibility: data.visibility, ...(data.messageId ? { replyToMessageId: data.messageId } : {}) };
    try {
      await postMessageAs(found.actor, found.ticket, body, this.deps, { messageId, quickReplies: quickRepliesOf(activity) });
    } catch (error) {
      // A replayed turn: this reply is stored already.
      if (!isDuplicateKeyError(error)) throw error;
    }
    return messageId.toHexString();
  }

  private async handOff(ticketId: Types.ObjectId, value: HandoffValue): Promise<void> {
    const found = await this.ticketAndActor(ticketId);
    if (found) await handOff(ticketId, value.reason, value.learnt, found.actor, this.deps);
  }

  /**
   * The bot needs what may not be said in public: the move-to-private workflow answers in public
   * and opens the private conversation; where the platform has no way to open one, a public
   * invitation to write privately.
   */
  private async moveToPrivate(context: TurnContext, ticketId: Types.ObjectId, data: ParleyChannelData, value: MoveToPrivateValue): Promise<void> {
    const found = await this.ticketAndActor(ticketId);
    if (!found || found.ticket.botState === 'handed_off' || found.ticket.moveToPrivate) return;
    try {
      await startMoveToPrivate(found.actor, found.ticket, { publicText: value.publicText, privateText: value.privateText, fallback: 'invite', ...(data.messageId ? { replyToMessageId: data.messageId } : {}) }, this.deps);
    } catch (error) {
      if (!(error instanceof MoveRefused)) throw error;
      const channel = await this.deps.channelOf(found.ticket.channelId);
      if (!channel) return;
      await this.post(context, ticketId, data, { type: ActivityTypes.Message, text: await invitationFor(found.ticket, channel) });
    }
  }
}

/** An error of ours a retry cannot cure (a guardrail refused the bot's words, a reply too long): hand over instead. */
export const isRefusal = (error: unknown): boolean => error instanceof AppError && error.status < 500;
