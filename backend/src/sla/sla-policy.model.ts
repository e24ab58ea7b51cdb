import { Schema, model, type Types } from 'mongoose';
import { DEFAULT_WARN_AT_SHARE, influenceTierSchema, slaOriginSchema, slaPauseStatuses, type InfluenceTier, type SlaEscalation, type SlaOrigin, type SlaPauseStatus, type SlaTargets } from '@parley/common';

type Priorities = 'low' | 'normal' | 'high' | 'urgent';

export interface SlaPolicyDoc {
  _id: Types.ObjectId;
  name: string;
  active: boolean;
  /** Where it is tried among the policies, lower first (absent on policies stored before orders: migrations.ts sets it). */
  order?: number;
  /** The schedule its targets count in; null: around the clock. */
  businessHoursId: Types.ObjectId | null;
  /** Conditions, each empty (or absent on older policies): any. The ticket's channel. */
  channelIds: Types.ObjectId[];
  /** The ticket began in public or in private. */
  origins?: SlaOrigin[];
  /** The ticket's team when it opened. */
  teamIds?: Types.ObjectId[];
  /** The author's influence tier when the ticket opened. */
  influenceTiers?: InfluenceTier[];
  /** The statuses that pause the resolution clock (absent on older policies: pending and on hold). */
  pauseStatuses?: SlaPauseStatus[];
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
    order: { type: Number },
    businessHoursId: { type: Schema.Types.ObjectId, default: null },
    channelIds: { type: [Schema.Types.ObjectId], default: [] },
    origins: { type: [{ type: String, enum: slaOriginSchema.options }], default: [] },
    teamIds: { type: [Schema.Types.ObjectId], default: [] },
    influenceTiers: { type: [{ type: String, enum: influenceTierSchema.options }], default: [] },
    pauseStatuses: { type: [{ type: String, enum: slaPauseStatuses }], default: ['pending', 'on_hold'] },
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
