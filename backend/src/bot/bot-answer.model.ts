import { Schema, model, type Types } from 'mongoose';
import type { BotAnswerVisibility, BotLanguage } from '@parley/common';

/** One knowledge-base entry: the ways customers ask it, per language, and its answer per language. */
export interface BotAnswerDoc {
  _id: Types.ObjectId;
  /** A short key for reports and the hand-off summary ("baggage"): one entry per intent. */
  intent: string;
  questions: Array<{ language: BotLanguage; text: string }>;
  answers: Array<{ language: BotLanguage; text: string }>;
  visibility: BotAnswerVisibility;
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}

const languageText = { language: { type: String, required: true }, text: { type: String, required: true }, _id: false };

const botAnswerSchema = new Schema<BotAnswerDoc>(
  {
    intent: { type: String, required: true },
    questions: { type: [languageText], required: true },
    answers: { type: [languageText], required: true },
    visibility: { type: String, required: true, enum: ['public', 'private', 'both'] },
    active: { type: Boolean, required: true },
  },
  { timestamps: true },
);
botAnswerSchema.index({ intent: 1 }, { unique: true });

export const BotAnswer = model<BotAnswerDoc>('BotAnswer', botAnswerSchema, 'botAnswers');
