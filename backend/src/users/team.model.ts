import { Schema, model, type Types } from 'mongoose';

export interface TeamDoc {
  _id: Types.ObjectId;
  name: string;
  /** New tickets of this team go round-robin to its online agents under their capacity. */
  autoAssign: boolean;
  createdAt: Date;
  updatedAt: Date;
}

const teamSchema = new Schema<TeamDoc>(
  { name: { type: String, required: true, trim: true }, autoAssign: { type: Boolean, default: false } },
  { timestamps: true },
);
teamSchema.index({ name: 1 }, { unique: true });

export const Team = model<TeamDoc>('Team', teamSchema, 'teams');
