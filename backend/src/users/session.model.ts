import { Schema, model, type Types } from 'mongoose';

/**
 * A signed-in browser or API client. The _id is the SHA-256 of the bearer token, so
 * a leaked database does not leak usable tokens and a lookup is an _id lookup.
 * FerretDB has no TTL indexes: the housekeeping queue deletes expired sessions.
 */
export interface SessionDoc {
  _id: string;
  userId: Types.ObjectId;
  expiresAt: Date;
  userAgent?: string;
  ip?: string;
  createdAt: Date;
}

const sessionSchema = new Schema<SessionDoc>(
  {
    _id: { type: String, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    expiresAt: { type: Date, required: true },
    userAgent: String,
    ip: String,
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);
sessionSchema.index({ expiresAt: 1 });
sessionSchema.index({ userId: 1 });

export const Session = model<SessionDoc>('Session', sessionSchema, 'sessions');
