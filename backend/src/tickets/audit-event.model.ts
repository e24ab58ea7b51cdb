import { Schema, model, type Types } from 'mongoose';

/** Who changed what on which ticket, and when. */
export interface AuditEventDoc {
  _id: Types.ObjectId;
  ticketId: Types.ObjectId;
  /** The user, rule or policy that acted (see actor.ts); null for Parley itself. */
  actorId: Types.ObjectId | null;
  /** What actorId names; absent on events recorded before actors had kinds (a user, or Parley when actorId is null). */
  actorKind?: 'user' | 'rule' | 'policy' | 'system' | 'bot';
  /** The actor's name when it acted, so the trail reads without lookups and survives renames. */
  actorName?: string;
  action: string;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
  at: Date;
}

const auditEventSchema = new Schema<AuditEventDoc>({
  ticketId: { type: Schema.Types.ObjectId, required: true },
  actorId: { type: Schema.Types.ObjectId, default: null },
  actorKind: { type: String, enum: ['user', 'rule', 'policy', 'system', 'bot'] },
  actorName: { type: String },
  action: { type: String, required: true },
  before: { type: Schema.Types.Mixed, default: {} },
  after: { type: Schema.Types.Mixed, default: {} },
  at: { type: Date, required: true },
});
auditEventSchema.index({ ticketId: 1, at: 1 });

export const AuditEvent = model<AuditEventDoc>('AuditEvent', auditEventSchema, 'auditEvents');
