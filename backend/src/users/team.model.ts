import { Schema, model, type Types } from 'mongoose';

export interface TeamDoc {
  _id: Types.ObjectId;
  name: string;
  createdAt: Date;
  updatedAt: Date;
}

const teamSchema = new Schema<TeamDoc>({ name: { type: String, required: true, trim: true } }, { timestamps: true });
teamSchema.index({ name: 1 }, { unique: true });

export const Team = model<TeamDoc>('Team', teamSchema, 'teams');
