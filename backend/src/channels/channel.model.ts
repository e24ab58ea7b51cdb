import { Schema, model, type Types } from 'mongoose';
import { channelStatusSchema, connectorKindSchema, type ChannelStatus, type ConnectorKind } from '@parley/common';

/** A connected brand account on one platform. Credentials are stored encrypted. */
export interface ChannelDoc {
  _id: Types.ObjectId;
  kind: ConnectorKind;
  name: string;
  externalAccountId: string;
  status: ChannelStatus;
  /** Why the channel is not active (a platform's words on an expired token), for admins. */
  statusReason?: string | null;
  /** Set when an admin removed the channel: hidden, disabled, its conversations kept. */
  deletedAt?: Date | null;
  /** AES-256-GCM ciphertext of the credentials object; never returned by the API. */
  credentialsEncrypted?: string;
  settings: Record<string, unknown>;
  teamId?: Types.ObjectId;
  /** Where polling resumes (platform since-ids, pagination tokens); survives restarts. */
  pollCursor?: Record<string, string>;
  createdAt: Date;
  updatedAt: Date;
}

const channelSchema = new Schema<ChannelDoc>(
  {
    kind: { type: String, required: true, enum: connectorKindSchema.options },
    name: { type: String, required: true, trim: true },
    externalAccountId: { type: String, required: true },
    status: { type: String, required: true, enum: channelStatusSchema.options, default: 'active' },
    statusReason: { type: String, default: null },
    deletedAt: { type: Date, default: null },
    credentialsEncrypted: String,
    settings: { type: Schema.Types.Mixed, default: {} },
    teamId: { type: Schema.Types.ObjectId },
    pollCursor: { type: Schema.Types.Mixed },
  },
  { timestamps: true, minimize: false },
);
channelSchema.index({ kind: 1, externalAccountId: 1 }, { unique: true });

export const Channel = model<ChannelDoc>('Channel', channelSchema, 'channels');
