import { Schema, model, type Types } from 'mongoose';
import { connectorKindSchema, type ConnectorKind } from '@parley/common';

export const rawEventStatuses = ['pending', 'processed', 'failed'] as const;
export type RawEventStatus = (typeof rawEventStatuses)[number];

/**
 * Every accepted webhook body, stored before the platform gets its 200 and kept until
 * it is processed (or failed, with the reason). A job carries only its id.
 */
export interface RawEventDoc {
  _id: Types.ObjectId;
  channelId: Types.ObjectId;
  kind: ConnectorKind;
  /** The raw body as received (text), so a retry normalizes exactly what arrived. */
  body: string;
  status: RawEventStatus;
  attempts: number;
  error?: string;
  /** Platform items the connector recognised and ignored (likes, typing, unknown types). */
  ignoredTypes?: string[];
  /** Events ingest understood and left alone, with why (the brand's own post that answers no conversation). */
  ignoredEvents?: string[];
  receivedAt: Date;
  processedAt?: Date;
  /** When its processing was last queued; the sweeper looks at pending events queued a while ago. */
  enqueuedAt: Date;
  /**
   * Which job processes it: 0 for the first, one more each time a retry or the sweeper must
   * queue it again after its job finished. One job id per generation, so queueing the same
   * generation twice (a sweep racing the intake, two sweeps) is one job.
   */
  jobGeneration?: number;
}

const rawEventSchema = new Schema<RawEventDoc>({
  channelId: { type: Schema.Types.ObjectId, required: true },
  kind: { type: String, required: true, enum: connectorKindSchema.options },
  body: { type: String, required: true },
  status: { type: String, required: true, enum: rawEventStatuses, default: 'pending' },
  attempts: { type: Number, default: 0 },
  error: String,
  ignoredTypes: { type: [String], default: undefined },
  ignoredEvents: { type: [String], default: undefined },
  receivedAt: { type: Date, required: true },
  processedAt: Date,
  enqueuedAt: { type: Date, required: true },
  jobGeneration: { type: Number },
});
rawEventSchema.index({ status: 1, receivedAt: 1 });

export const RawEvent = model<RawEventDoc>('RawEvent', rawEventSchema, 'rawEvents');
