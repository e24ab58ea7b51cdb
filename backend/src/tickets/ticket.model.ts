import { Schema, model, type Types } from 'mongoose';
import {
  connectorKindSchema,
  influenceTierSchema,
  moveToPrivateStateSchema,
  prioritySchema,
  prioritySourceSchema,
  sentimentLabelSchema,
  handoffReasonSchema,
  ticketBotStateSchema,
  ticketStatusSchema,
  type BotLearnt,
  type HandoffReason,
  type TicketBotState,
  type ConnectorKind,
  type InfluenceTier,
  type MoveToPrivateState,
  type Priority,
  type PrioritySource,
  type Sentiment,
  type SlaClocksValue,
  type SlaPauseStatus,
  type TicketStatus,
} from '@parley/common';

/** A ticket's SLA clocks and the policy and schedule they count under. */
export interface TicketSlaDoc extends SlaClocksValue {
  policyId: Types.ObjectId | null;
  policyName: string | null;
  businessHoursId: Types.ObjectId | null;
  /** The statuses that pause the resolution clock, as the policy had them when the ticket opened (absent on older tickets). */
  pauseStatuses?: SlaPauseStatus[];
  /** The policy's warnAtShare when the ticket opened (absent on older tickets: the default). */
  warnAtShare?: number;
}

/**
 * The ticket's copy of its latest move to private (workflows/private-move.model.ts holds the
 * move itself): what GET /api/tickets/:id and every ticket event show.
 */
export interface TicketMoveDoc {
  /** Which move of this ticket it is (1, 2, …): its PrivateMove is "<ticketId>:<attempt>". */
  attempt: number;
  state: MoveToPrivateState;
  publicMessageId: Types.ObjectId;
  privateMessageId: Types.ObjectId | null;
  invitationMessageId: Types.ObjectId | null;
  startedAt: Date;
  startedBy: { kind: 'user' | 'rule' | 'policy' | 'system' | 'bot'; id: Types.ObjectId | null; name: string };
  reason: string | null;
}

/** The fields of a move to private, as the ticket keeps its copy and the move's own record (workflows/private-move.model.ts) stores them. */
export const ticketMoveFields = {
  attempt: { type: Number, required: true },
  state: { type: String, required: true, enum: moveToPrivateStateSchema.options },
  publicMessageId: { type: Schema.Types.ObjectId, required: true },
  privateMessageId: { type: Schema.Types.ObjectId, default: null },
  invitationMessageId: { type: Schema.Types.ObjectId, default: null },
  startedAt: { type: Date, required: true },
  startedBy: { kind: { type: String, required: true }, id: { type: Schema.Types.ObjectId, default: null }, name: { type: String, required: true } },
  reason: { type: String, default: null },
};

/** The bot's hand-off of the conversation to people (bot/handoff.service.ts). */
export interface TicketHandoffDoc {
  at: Date;
  reason: HandoffReason;
  summary: string;
  learnt: BotLearnt;
}

export interface TicketDoc {
  _id: Types.ObjectId;
  number: number;
  subject: string;
  status: TicketStatus;
  priority: Priority;
  /** priority as a number (low 0 … urgent 3), for sorting. */
  priorityRank: number;
  /** Why it has that priority (triage's reasons, or who set it). Absent on tickets older than triage. */
  priorityReason?: string | null;
  /** Who set the priority; triage changes it only while it is its own (absent: triage). */
  prioritySource?: PrioritySource;
  /** The language of the customer's latest messages (ISO 639-1 or "und"). */
  language?: string | null;
  /** The ticket's sentiment (ticketSentimentOf sentimentRecent). */
  sentiment?: Sentiment | null;
  /** The sentiments of the customer's latest messages, newest first (at most RECENT_SENTIMENTS). */
  sentimentRecent?: Sentiment[];
  /** The customer's influence tier and followers when the latest message arrived. */
  influenceTier?: InfluenceTier;
  reach?: number;
  channelId: Types.ObjectId;
  channelKind: ConnectorKind;
  origin: 'public' | 'private';
  contactId: Types.ObjectId;
  teamId: Types.ObjectId | null;
  assigneeId: Types.ObjectId | null;
  /**
   * assigneeId as a string, "none" when unassigned: FerretDB pushes an equality on a string
   * down to its database, never one on null, and "unassigned" is one of the busiest views.
   * Written with assigneeId, always (assigneeFields).
   */
  assigneeKey: string;
  tags: string[];
  unreadCount: number;
  messageCount: number;
  lastMessageAt: Date;
  lastMessagePreview: string;
  solvedAt?: Date;
  /** The platform id of the message the ticket was opened for: already counted at creation. */
  openingExternalId?: string;
  /**
   * The SLA clocks (TicketSlaDoc) as JSON (sla/sla.codec.ts); absent on tickets opened while
   * no policy applied. A string, not a subdocument: FerretDB decodes every field of every
   * ticket a list reads, and three nested clocks doubled the time of a 5,000-ticket list
   * (measured: 681 → 1,437 ms on PostgreSQL; 887 ms as a string). Nothing queries inside it:
   * slaDueRank and slaNextCheckAt carry what lists and timers filter and sort on.
   */
  slaClocks?: string;
  /**
   * The earliest due time of what the SLA says is still owed (a missed target included) in
   * epoch ms, NO_SLA_DUE when nothing is: a number, so "due soonest" sorts and pages like
   * priorityRank, the most overdue first.
   */
  slaDueRank: number;
  /**
   * When the next running clock falls due (epoch ms; NO_SLA_DUE or absent when none runs):
   * when the breach timer fires, and what the sweeper looks for.
   */
  slaNextCheckAt?: number;
  /**
   * When the next running clock warns (epoch ms, sla-clock.ts warnAtOf; NO_SLA_DUE or absent
   * when none runs): what the sweeper looks for when a warning's job was lost. It may name a
   * warning already given until the next warning check moves it on.
   */
  slaNextWarnAt?: number;
  moveToPrivate?: TicketMoveDoc;
  /** Whether the bot holds the conversation (absent: it never spoke here). */
  botState?: TicketBotState;
  handoff?: TicketHandoffDoc | null;
  /** What the bot learnt so far in a conversation it holds (its hand-off copies it). */
  botLearnt?: BotLearnt;
  /** The first reply to the customer by anyone (the bot included), and the first by a person: the bot's report measures. */
  firstResponseAt?: Date | null;
  firstHumanResponseAt?: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** slaDueRank and slaNextCheckAt when nothing is due. */
export const NO_SLA_DUE = Number.MAX_SAFE_INTEGER;

const sentimentSubschema = new Schema<Sentiment>(
  { score: { type: Number, required: true }, label: { type: String, required: true, enum: sentimentLabelSchema.options } },
  { _id: false },
);

const ticketSchema = new Schema<TicketDoc>(
  {
    number: { type: Number, required: true },
    subject: { type: String, required: true },
    status: { type: String, required: true, enum: ticketStatusSchema.options, default: 'new' },
    priority: { type: String, required: true, enum: prioritySchema.options, default: 'normal' },
    priorityRank: { type: Number, required: true, default: 1 },
    priorityReason: { type: String, default: null },
    prioritySource: { type: String, enum: prioritySourceSchema.options, default: 'triage' },
    language: { type: String, default: null },
    sentiment: { type: sentimentSubschema, default: undefined },
    sentimentRecent: { type: [sentimentSubschema], default: undefined },
    influenceTier: { type: String, enum: influenceTierSchema.options, default: 'standard' },
    reach: { type: Number, default: 0 },
    channelId: { type: Schema.Types.ObjectId, required: true },
    channelKind: { type: String, required: true, enum: connectorKindSchema.options },
    origin: { type: String, required: true, enum: ['public', 'private'] },
    contactId: { type: Schema.Types.ObjectId, required: true },
    teamId: { type: Schema.Types.ObjectId, default: null },
    assigneeId: { type: Schema.Types.ObjectId, default: null },
    assigneeKey: { type: String, required: true, default: 'none' },
    tags: { type: [String], default: [] },
    unreadCount: { type: Number, default: 0 },
    messageCount: { type: Number, default: 0 },
    lastMessageAt: { type: Date, required: true },
    lastMessagePreview: { type: String, default: '' },
    solvedAt: Date,
    openingExternalId: String,
    slaClocks: String,
    slaDueRank: { type: Number, required: true, default: NO_SLA_DUE },
    slaNextCheckAt: { type: Number, default: NO_SLA_DUE },
    slaNextWarnAt: { type: Number, default: NO_SLA_DUE },
    moveToPrivate: {
      type: new Schema<TicketMoveDoc>(ticketMoveFields, { _id: false }),
      default: undefined,
    },
    botState: { type: String, enum: ticketBotStateSchema.options, default: undefined },
    handoff: {
      type: new Schema<TicketHandoffDoc>(
        {
          at: { type: Date, required: true },
          reason: { type: String, required: true, enum: handoffReasonSchema.options },
          summary: { type: String, default: '' },
          learnt: { intent: { type: String, default: null }, reference: { type: String, default: null }, email: { type: String, default: null }, language: { type: String, default: null } },
        },
        { _id: false },
      ),
      default: undefined,
    },
    botLearnt: {
      type: new Schema<BotLearnt>({ intent: { type: String, default: null }, reference: { type: String, default: null }, email: { type: String, default: null }, language: { type: String, default: null } }, { _id: false }),
      default: undefined,
    },
    firstResponseAt: { type: Date, default: undefined },
    firstHumanResponseAt: { type: Date, default: undefined },
  },
  { timestamps: true },
);
ticketSchema.index({ number: 1 }, { unique: true });
ticketSchema.index({ assigneeKey: 1, status: 1, lastMessageAt: -1 });
ticketSchema.index({ teamId: 1, status: 1, lastMessageAt: -1 });
ticketSchema.index({ contactId: 1, lastMessageAt: -1 });
ticketSchema.index({ channelId: 1, status: 1, lastMessageAt: -1 });
ticketSchema.index({ status: 1, teamId: 1, slaDueRank: 1 });

/** The assignee as both fields store it: set them together, never one alone. */
export function assigneeFields(assigneeId: Types.ObjectId | null): { assigneeId: Types.ObjectId | null; assigneeKey: string } {
  return { assigneeId, assigneeKey: assigneeId ? assigneeId.toHexString() : 'none' };
}

export const priorityRank = (priority: Priority): number => prioritySchema.options.indexOf(priority);

export const Ticket = model<TicketDoc>('Ticket', ticketSchema, 'tickets');

/** Every write to a ticket document runs under this lock (see lib/locks.ts for why). */
export const ticketLock = (ticketId: Types.ObjectId) => `ticket:${ticketId.toHexString()}`;

/**
 * Which ticket a platform conversation belongs to: _id "<channelId>:<thread key>".
 * Concurrent messages of one thread race for the same key, so they join one ticket.
 */
export interface TicketThreadDoc {
  _id: string;
  ticketId: Types.ObjectId;
}

export const TicketThread = model<TicketThreadDoc>(
  'TicketThread',
  new Schema<TicketThreadDoc>({ _id: String, ticketId: { type: Schema.Types.ObjectId, required: true } }),
  'ticketThreads',
);
