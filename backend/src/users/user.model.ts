import { Schema, model, type Types } from 'mongoose';
import { roleSchema, type Role } from '@parley/common';

export interface UserDoc {
  _id: Types.ObjectId;
  email: string;
  name: string;
  role: Role;
  teamIds: Types.ObjectId[];
  /** How many open tickets round-robin may give this agent at once. */
  capacity: number;
  active: boolean;
  /** When round-robin last gave this agent a ticket: the longest-waiting agent is next. */
  lastAssignedAt: Date | null;
  passwordHash: string;
  createdAt: Date;
  updatedAt: Date;
}

const userSchema = new Schema<UserDoc>(
  {
    email: { type: String, required: true, lowercase: true, trim: true },
    name: { type: String, required: true, trim: true },
    role: { type: String, required: true, enum: roleSchema.options },
    teamIds: { type: [Schema.Types.ObjectId], default: [] },
    capacity: { type: Number, default: 10, min: 0 },
    active: { type: Boolean, default: true },
    lastAssignedAt: { type: Date, default: null },
    passwordHash: { type: String, required: true },
  },
  { timestamps: true },
);
userSchema.index({ email: 1 }, { unique: true });

export const User = model<UserDoc>('User', userSchema, 'users');
