import { Schema, model, type Types } from 'mongoose';
import type { BlocklistEntry, GuardrailAction } from '@parley/common';

/**
 * The brand-wide guardrails (GET/PUT /api/guardrails): one document, `_id: "brand"`. Replaced
 * whole on every save, so two admins saving at once cannot interleave (the last one wins).
 */
export interface GuardrailSettingsDoc {
  _id: string;
  referencePatterns: string[];
  blocklist: BlocklistEntry[];
  mentions?: 'allow' | 'warn' | 'block' | null;
  allowedMentions: string[];
  allowedLinkDomains: string[];
  links?: GuardrailAction | null;
  updatedById: Types.ObjectId | null;
  updatedByName: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export const BRAND_GUARDRAILS_ID = 'brand';

const guardrailSettingsSchema = new Schema<GuardrailSettingsDoc>(
  {
    _id: { type: String, required: true },
    referencePatterns: { type: [String], default: [] },
    blocklist: { type: [{ phrase: { type: String, required: true }, action: { type: String, required: true, enum: ['warn', 'block'] }, _id: false }], default: [] },
    mentions: { type: String, enum: ['allow', 'warn', 'block', null], default: null },
    allowedMentions: { type: [String], default: [] },
    allowedLinkDomains: { type: [String], default: [] },
    links: { type: String, enum: ['warn', 'block', null], default: null },
    updatedById: { type: Schema.Types.ObjectId, default: null },
    updatedByName: { type: String, default: null },
  },
  { timestamps: true, minimize: false },
);

export const GuardrailSettings = model<GuardrailSettingsDoc>('GuardrailSettings', guardrailSettingsSchema, 'guardrailSettings');
