import { Schema, model, type Types } from 'mongoose';

/** A recent public post with the hashtag, as the warning shows it. */
export interface HashtagExampleDoc {
  messageId: Types.ObjectId;
  ticketId: Types.ObjectId | null;
  text: string;
  authorName: string | null;
  authorHandle: string | null;
  sentAt: Date;
}

/**
 * What Parley knows of one hashtag on one channel: _id "<channelId>:<tag>" (the tag
 * normalized, without its sign), so the check before a public reply is one _id lookup per
 * hashtag in it, never a scan of messages. Written under a short Redis lock per document
 * (FerretDB applies updates read-modify-write), by the hashtag listener: at ingest for
 * inbound public posts, and when our public reply is confirmed sent.
 */
export interface HashtagStatDoc {
  _id: string;
  channelId: Types.ObjectId;
  tag: string;
  /** Sent public replies of the brand with it (Parley's and those written outside it). */
  brandUses: number;
  brandFirstUsedAt: Date | null;
  brandLastUsedAt: Date | null;
  /** The last few of those replies' ids: a reply confirmed twice (echo, then the send's answer) counts once. */
  brandMessageIds: Types.ObjectId[];
  /**
   * Inbound public posts with it per hour ("h<hours since the epoch>" → count), only the
   * hours of the window: older ones are dropped at each write.
   */
  inboundHours: Record<string, number>;
  inboundLastAt: Date | null;
  /** The latest inbound public posts with it, newest first. */
  examples: HashtagExampleDoc[];
  updatedAt: Date;
}

const exampleSchema = new Schema<HashtagExampleDoc>(
  {
    messageId: { type: Schema.Types.ObjectId, required: true },
    ticketId: { type: Schema.Types.ObjectId, default: null },
    text: { type: String, required: true },
    authorName: { type: String, default: null },
    authorHandle: { type: String, default: null },
    sentAt: { type: Date, required: true },
  },
  { _id: false },
);

const hashtagStatSchema = new Schema<HashtagStatDoc>(
  {
    _id: String,
    channelId: { type: Schema.Types.ObjectId, required: true },
    tag: { type: String, required: true },
    brandUses: { type: Number, default: 0 },
    brandFirstUsedAt: { type: Date, default: null },
    brandLastUsedAt: { type: Date, default: null },
    brandMessageIds: { type: [Schema.Types.ObjectId], default: [] },
    inboundHours: { type: Schema.Types.Mixed, default: {} },
    inboundLastAt: { type: Date, default: null },
    examples: { type: [exampleSchema], default: [] },
    updatedAt: { type: Date, required: true },
  },
  { minimize: false, versionKey: false },
);

export const HashtagStat = model<HashtagStatDoc>('HashtagStat', hashtagStatSchema, 'hashtagStats');

export const hashtagStatId = (channelId: Types.ObjectId | string, tag: string) => `${typeof channelId === 'string' ? channelId : channelId.toHexString()}:${tag}`;
export const hashtagLock = (statId: string) => `hashtag:${statId}`;
