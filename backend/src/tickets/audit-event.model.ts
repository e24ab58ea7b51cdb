import { Schema, model, type Types } from 'mongoose';

/** Who changed what on which ticket, and when. */
export interface AuditEventDoc {
  _id: Types.ObjectId;
  ticketId: Types.ObjectId;
  actorId: Types.ObjectId | null;
  action: string;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
  at: Date;
}

const auditEventSchema = new Schema<AuditEventDoc>({
  ticketId: { type: Schema.Types.ObjectId, required: true },
  actorId: { type: Schema.Types.ObjectId, default: null },
  action: { type: String, required: true },
  before: { type: Schema.Types.Mixed, default: {} },
  after: { type: Schema.Types.Mixed, default: {} },
  at: { type: Date, required: true },
});
auditEventSchema.index({ ticketId: 1, at: 1 });

export const AuditEvent = model<AuditEventDoc>('AuditEvent', auditEventSchema, 'auditEvents');
