import { Schema, model, type Types } from 'mongoose';
import type { BusinessHoursInterval } from '@parley/common';

export interface BusinessHoursDoc {
  _id: Types.ObjectId;
  name: string;
  /** IANA time zone the intervals are read in. */
  timezone: string;
  intervals: BusinessHoursInterval[];
  /** Local dates (YYYY-MM-DD) the team is closed. */
  holidays: string[];
  createdAt: Date;
  updatedAt: Date;
}

const intervalSchema = new Schema<BusinessHoursInterval>(
  { day: { type: Number, required: true }, start: { type: String, required: true }, end: { type: String, required: true } },
  { _id: false },
);

const businessHoursSchema = new Schema<BusinessHoursDoc>(
  {
    name: { type: String, required: true },
    timezone: { type: String, required: true },
    intervals: { type: [intervalSchema], default: [] },
    holidays: { type: [String], default: [] },
  },
  { timestamps: true },
);
businessHoursSchema.index({ name: 1 }, { unique: true });

export const BusinessHours = model<BusinessHoursDoc>('BusinessHours', businessHoursSchema, 'businessHours');
