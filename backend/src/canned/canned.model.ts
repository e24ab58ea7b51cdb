import { Schema, model, type Types } from 'mongoose';

export interface CannedResponseDoc {
  _id: Types.ObjectId;
  /** What an agent types after `/` in the composer. */
  shortcut: string;
  title: string;
  /** May hold {{first_name}} and {{agent_name}}, filled in by the composer. */
  text: string;
  /** The same reply in other languages. */
  translations?: Array<{ language: string; text: string }>;
  createdAt: Date;
  updatedAt: Date;
}

const cannedResponseSchema = new Schema<CannedResponseDoc>(
  {
    shortcut: { type: String, required: true },
    title: { type: String, required: true },
    text: { type: String, required: true },
    translations: { type: [{ language: { type: String, required: true }, text: { type: String, required: true }, _id: false }], default: [] },
  },
  { timestamps: true },
);
cannedResponseSchema.index({ shortcut: 1 }, { unique: true });

export const CannedResponse = model<CannedResponseDoc>('CannedResponse', cannedResponseSchema, 'cannedResponses');
