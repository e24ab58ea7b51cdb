import { Schema, model, type Types } from 'mongoose';

/**
 * A customer's repost of one of the brand's own posts: not a message to answer, a sign of
 * loyalty the ambassadors' list counts. _id "<channelId>:<platform id of the repost>", so a
 * re-delivered webhook counts it once.
 */
export interface ShareDoc {
  _id: string;
  channelId: Types.ObjectId;
  contactId: Types.ObjectId;
  /** The brand's post that was shared, by its platform id. */
  sharedPostId: string | null;
  sentAt: Date;
}

const shareSchema = new Schema<ShareDoc>(
  {
    _id: { type: String, required: true },
    channelId: { type: Schema.Types.ObjectId, required: true },
    contactId: { type: Schema.Types.ObjectId, required: true },
    sharedPostId: { type: String, default: null },
    sentAt: { type: Date, required: true },
  },
  { versionKey: false },
);
shareSchema.index({ sentAt: -1 });

export const Share = model<ShareDoc>('Share', shareSchema, 'shares');
