import { Schema, model, type Types } from 'mongoose';
import { deliveryStateSchema, sentimentLabelSchema, type Attachment, type DeliveryState, type Engagement, type QuickReply, type Sentiment } from '@parley/common';

export type IngestState = 'claimed' | 'done';

/** A reply's way through a supervisor's approval (see approval.service.ts). */
export interface MessageApprovalDoc {
  state: 'pending' | 'approved' | 'rejected';
  requestedAt: Date;
  decidedAt: Date | null;
  decidedById: Types.ObjectId | null;
  decidedByName: string | null;
  comment: string | null;
}

export interface MessageDoc {
  _id: Types.ObjectId;
  ticketId: Types.ObjectId | null;
  channelId: Types.ObjectId;
  direction: 'inbound' | 'outbound';
  visibility: 'public' | 'private' | 'note' | 'bot';
  text: string;
  attachments: Attachment[];
  contactId: Types.ObjectId | null;
  authorUserId: Types.ObjectId | null;
  /** The agent's name when they wrote: threads show who answered without a users lookup. */
  authorName?: string | null;
  /** Set on the bot's messages (authorUserId null): the thread marks them as the bot's. */
  authorType?: 'bot';
  /** The buttons the bot offered with this message (sent where the platform has them). */
  quickReplies?: QuickReply[];
  /** The platform's id; "parley:<_id>" for an outbound message the platform has not accepted yet. */
  externalId: string;
  externalThreadId: string | null;
  externalParentId: string | null;
  deliveryState: DeliveryState;
  failureReason: string | null;
  /** Only on a reply that needed a supervisor's approval. */
  approval?: MessageApprovalDoc | null;
  deleted: boolean;
  /** Earlier texts of an edited message, oldest first. */
  previousTexts: string[];
  language: string | null;
  /** A customer message's sentiment as triage read it (absent on our own messages and while triage is pending). */
  sentiment?: Sentiment | null;
  /** What the platform counted on a customer's public post when it arrived. */
  engagement?: Engagement | null;
  /** Triage could not read this customer message as it was stored: a triage job reads it again. */
  triagePending?: boolean;
  tags: string[];
  sentAt: Date;
  rawEventId: Types.ObjectId | null;
  /** The delivery job of a reply when it is not the first (whose id is the message id): see outbound.queue.ts. */
  deliveryJobId?: string;
  /** Inbound ingest progress: a message "claimed" but not "done" is finished by a replay. */
  ingestState: IngestState;
  /**
   * An outbound message the brand wrote outside Parley (the platform's app, another tool),
   * stored from its echo. Such a copy gives way to Parley's own message if the platform
   * turns out to have echoed that one (our send's answer names the same id).
   */
  sentOutsideParley?: boolean;
  /**
   * The guardrail warnings the agent confirmed for this public reply (their confirmKeys): the
   * outbound processor checks the message again before sending and lets these through.
   */
  guardrailConfirmed?: string[];
  /** The move to private this message is a step of (its PrivateMove id, "<ticketId>:<attempt>"). */
  moveId?: string;
  /** Never sent before this message is: until then it is `waiting` (a move's private message after its public acknowledgement). */
  sendAfter?: Types.ObjectId;
  createdAt: Date;
  updatedAt: Date;
}

const messageSchema = new Schema<MessageDoc>(
  {
    ticketId: { type: Schema.Types.ObjectId, default: null },
    channelId: { type: Schema.Types.ObjectId, required: true },
    direction: { type: String, required: true, enum: ['inbound', 'outbound'] },
    visibility: { type: String, required: true, enum: ['public', 'private', 'note', 'bot'] },
    text: { type: String, default: '' },
    attachments: { type: [{ type: { type: String }, url: String, name: String, mimeType: String, _id: false }], default: [] },
    contactId: { type: Schema.Types.ObjectId, default: null },
    authorUserId: { type: Schema.Types.ObjectId, default: null },
    authorName: { type: String, default: null },
    authorType: { type: String, enum: ['bot'], default: undefined },
    quickReplies: { type: [{ title: String, payload: String, _id: false }], default: undefined },
    externalId: { type: String, required: true },
    externalThreadId: { type: String, default: null },
    externalParentId: { type: String, default: null },
    deliveryState: { type: String, required: true, enum: deliveryStateSchema.options },
    failureReason: { type: String, default: null },
    approval: {
      type: new Schema<MessageApprovalDoc>(
        {
          state: { type: String, required: true, enum: ['pending', 'approved', 'rejected'] },
          requestedAt: { type: Date, required: true },
          decidedAt: { type: Date, default: null },
          decidedById: { type: Schema.Types.ObjectId, default: null },
          decidedByName: { type: String, default: null },
          comment: { type: String, default: null },
        },
        { _id: false },
      ),
      default: undefined,
    },
    deleted: { type: Boolean, default: false },
    previousTexts: { type: [String], default: [] },
    language: { type: String, default: null },
    sentiment: {
      type: new Schema<Sentiment>({ score: { type: Number, required: true }, label: { type: String, required: true, enum: sentimentLabelSchema.options } }, { _id: false }),
      default: undefined,
    },
    engagement: {
      type: new Schema<Engagement>({ likes: Number, replies: Number, reposts: Number, quotes: Number }, { _id: false }),
      default: undefined,
    },
    triagePending: { type: Boolean, default: undefined },
    tags: { type: [String], default: [] },
    sentAt: { type: Date, required: true },
    rawEventId: { type: Schema.Types.ObjectId, default: null },
    ingestState: { type: String, required: true, enum: ['claimed', 'done'], default: 'done' },
    deliveryJobId: { type: String },
    sentOutsideParley: { type: Boolean, default: undefined },
    guardrailConfirmed: { type: [String], default: undefined },
    moveId: { type: String, default: undefined },
    sendAfter: { type: Schema.Types.ObjectId, default: undefined },
  },
  { timestamps: true },
);
// A re-delivered webhook hits this index and stores nothing new. Every message has an
// externalId (MongoDB indexes a missing field as null, and partial indexes are not
// available on FerretDB), so an outbound one carries "parley:<_id>" until it is sent.
messageSchema.index({ channelId: 1, externalId: 1 }, { unique: true });
messageSchema.index({ ticketId: 1, createdAt: 1 });
// Replies waiting for delivery, for the sweep that re-queues those whose job was lost.
messageSchema.index({ deliveryState: 1 });
// Public mentions by time, for the ambassadors' list.
messageSchema.index({ visibility: 1, sentAt: -1 });

export const Message = model<MessageDoc>('Message', messageSchema, 'messages');
