import { Schema, model, type Types } from 'mongoose';
import { triageKeywordLevelSchema, type StormSettings, type TriageKeyword } from '@parley/common';

/**
 * The brand's triage settings (GET/PUT /api/triage-settings): one document, `_id: "brand"`,
 * replaced whole on every save. Absent until an admin saves: the defaults apply.
 */
export interface TriageSettingsDoc {
  _id: string;
  keywords: TriageKeyword[];
  storm: StormSettings;
  updatedById: Types.ObjectId | null;
  updatedByName: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export const BRAND_TRIAGE_ID = 'brand';

const triageSettingsSchema = new Schema<TriageSettingsDoc>(
  {
    _id: { type: String, required: true },
    keywords: { type: [{ term: { type: String, required: true }, level: { type: String, required: true, enum: triageKeywordLevelSchema.options }, _id: false }], default: [] },
    storm: { minMentions: Number, deviations: Number, baselineHalfLifeMinutes: Number },
    updatedById: { type: Schema.Types.ObjectId, default: null },
    updatedByName: { type: String, default: null },
  },
  { timestamps: true, minimize: false },
);

export const TriageSettingsModel = model<TriageSettingsDoc>('TriageSettings', triageSettingsSchema, 'triageSettings');
