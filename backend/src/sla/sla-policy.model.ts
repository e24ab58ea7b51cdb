import { Schema, model, type Types } from 'mongoose';
import { DEFAULT_WARN_AT_SHARE, type SlaEscalation, type SlaTargets } from '@parley/common';

type Priorities = 'low' | 'normal' | 'high' | 'urgent';

export interface SlaPolicyDoc {
  _id: Types.ObjectId;
  name: string;
  active: boolean;
  /** The schedule its targets count in; null: around the clock. */
  businessHoursId: Types.ObjectId | null;
  /** The channels it covers; empty: every channel no other active policy names. */
  channelIds: Types.ObjectId[];
  targets: Record<Priorities, SlaTargets>;
  /** The bot's reply counts as a first response (absent on older policies: no). */
  countBotReplies?: boolean;
  /** Warnings and escalation (absent on older policies: the defaults in common/src/sla.ts). */
  warnAtShare?: number;
  escalation?: SlaEscalationDoc;
  createdAt: Date;
  updatedAt: Date;
}

export type SlaEscalationDoc = Omit<SlaEscalation, 'reassignTeamId'> & { reassignTeamId: Types.ObjectId | null };

const escalationSchema = new Schema<SlaEscalationDoc>(
  {
    notify: { type: Boolean, default: true },
    raisePriority: { type: Boolean, default: false },
    reassignTeamId: { type: Schema.Types.ObjectId, default: null },
    unassignAbsent: { type: Boolean, default: false },
  },
  { _id: false },
);

const targetsSchema = new Schema<SlaTargets>(
  {
    firstResponseMinutes: { type: Number, default: null },
    nextResponseMinutes: { type: Number, default: null },
    resolutionMinutes: { type: Number, default: null },
  },
  { _id: false },
);

const slaPolicySchema = new Schema<SlaPolicyDoc>(
  {
    name: { type: String, required: true },
    active: { type: Boolean, required: true, default: true },
    businessHoursId: { type: Schema.Types.ObjectId, default: null },
    channelIds: { type: [Schema.Types.ObjectId], default: [] },
    targets: {
      low: { type: targetsSchema, required: true },
      normal: { type: targetsSchema, required: true },
      high: { type: targetsSchema, required: true },
      urgent: { type: targetsSchema, required: true },
    },
    countBotReplies: { type: Boolean, default: false },
    warnAtShare: { type: Number, default: DEFAULT_WARN_AT_SHARE },
    escalation: { type: escalationSchema, default: () => ({}) },
  },
  { timestamps: true },
);
slaPolicySchema.index({ name: 1 }, { unique: true });

export const SlaPolicy = model<SlaPolicyDoc>('SlaPolicy', slaPolicySchema, 'slaPolicies');
