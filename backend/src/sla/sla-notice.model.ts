import { Schema, model, type Types } from 'mongoose';
import type { SlaMetric } from '@parley/common';
import { isDuplicateKeyError } from '../db/errors';

export type SlaNoticeKind = 'warning' | 'breached';

/**
 * One SLA warning or breach that was announced. Its _id, `<ticketId>:<clock>:<dueAt ms>:<kind>`,
 * makes the announcement exactly-once: on FerretDB an insert under a unique _id is the one
 * reliable race, so a retried job, a second worker or the sweep after a restart cannot repeat it.
 */
export interface SlaNoticeDoc {
  _id: string;
  ticketId: Types.ObjectId;
  clock: SlaMetric;
  kind: SlaNoticeKind;
  dueAt: Date;
  at: Date;
}

const slaNoticeSchema = new Schema<SlaNoticeDoc>(
  {
    _id: { type: String, required: true },
    ticketId: { type: Schema.Types.ObjectId, required: true },
    clock: { type: String, required: true },
    kind: { type: String, enum: ['warning', 'breached'], required: true },
    dueAt: { type: Date, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
slaNoticeSchema.index({ ticketId: 1 });

export const SlaNotice = model<SlaNoticeDoc>('SlaNotice', slaNoticeSchema, 'slaNotices');

export const slaNoticeId = (ticketId: Types.ObjectId, clock: SlaMetric, dueAt: Date, kind: SlaNoticeKind) => `${ticketId.toHexString()}:${clock}:${dueAt.getTime()}:${kind}`;

/** Records a notice; answers false when it was recorded before (someone else announces it, or did). */
export async function recordSlaNotice(ticketId: Types.ObjectId, clock: SlaMetric, dueAt: Date, kind: SlaNoticeKind, now = new Date()): Promise<boolean> {
  try {
    await SlaNotice.create({ _id: slaNoticeId(ticketId, clock, dueAt, kind), ticketId, clock, kind, dueAt, at: now });
    return true;
  } catch (error) {
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
}
