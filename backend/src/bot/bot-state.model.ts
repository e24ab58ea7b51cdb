import { Schema, model } from 'mongoose';

/**
 * The bot's user and conversation state (botbuilder's Storage, bot-state.storage.ts): one
 * document per storage key, the item as JSON (its shape is the bot's, not ours) and the eTag
 * that guards it.
 */
export interface BotStateDoc {
  _id: string;
  eTag: string;
  item: string;
  updatedAt: Date;
}

export const BotState = model<BotStateDoc>(
  'BotState',
  new Schema<BotStateDoc>({ _id: String, eTag: { type: String, required: true }, item: { type: String, required: true }, updatedAt: { type: Date, required: true } }, { versionKey: false }),
  'botState',
);
