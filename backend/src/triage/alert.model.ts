import { Schema, model, type Types } from 'mongoose';
import { connectorKindSchema, influenceTierSchema, type StormPost, type StormScope } from '@parley/common';

type StormPostDoc = Omit<StormPost, 'messageId' | 'ticketId' | 'contactId' | 'sentAt'> & { messageId: Types.ObjectId; ticketId: Types.ObjectId; contactId: Types.ObjectId; sentAt: Date };

/** A storm of negative mentions (triage/storms.ts): one document per storm, active until it is over. */
export interface AlertDoc {
  _id: Types.ObjectId;
  kind: 'storm';
  scope: StormScope;
  /** Other scopes whose storm is this one (the brand's, when the hashtag's storm is most of it). */
  relatedScopes?: StormScope[];
  state: 'active' | 'over';
  startedAt: Date;
  endedAt: Date | null;
  startCount: number;
  peakCount: number;
  baseline: { mean: number; deviation: number };
  threshold: number;
  mentions: number;
  totalReach: number;
  topHashtags: Array<{ tag: string; count: number }>;
  posts: StormPostDoc[];
  createdAt: Date;
  updatedAt: Date;
}

const postSchema = new Schema<StormPostDoc>(
  {
    messageId: { type: Schema.Types.ObjectId, required: true },
    ticketId: { type: Schema.Types.ObjectId, required: true },
    contactId: { type: Schema.Types.ObjectId, required: true },
    channelKind: { type: String, required: true, enum: connectorKindSchema.options },
    author: { type: String, required: true },
    followers: { type: Number, required: true },
    tier: { type: String, required: true, enum: influenceTierSchema.options },
    text: { type: String, default: '' },
    sentAt: { type: Date, required: true },
  },
  { _id: false },
);

const alertSchema = new Schema<AlertDoc>(
  {
    kind: { type: String, required: true, enum: ['storm'] },
    scope: { type: { type: String, required: true, enum: ['brand', 'hashtag', 'keyword'] }, value: { type: String, required: true } },
    relatedScopes: { type: [{ type: { type: String }, value: String, _id: false }], default: [] },
    state: { type: String, required: true, enum: ['active', 'over'] },
    startedAt: { type: Date, required: true },
    endedAt: { type: Date, default: null },
    startCount: { type: Number, required: true },
    peakCount: { type: Number, required: true },
    baseline: { mean: Number, deviation: Number },
    threshold: { type: Number, required: true },
    mentions: { type: Number, required: true },
    totalReach: { type: Number, default: 0 },
    topHashtags: { type: [{ tag: String, count: Number, _id: false }], default: [] },
    posts: { type: [postSchema], default: [] },
  },
  { timestamps: true },
);
alertSchema.index({ state: 1 });

export const Alert = model<AlertDoc>('Alert', alertSchema, 'alerts');
