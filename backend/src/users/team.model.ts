import { Schema, model, type Types } from 'mongoose';

/** Whose public replies wait for a supervisor: the team's agents (all, or those listed). */
export interface PublicReplyApprovalDoc {
  required: boolean;
  /** Empty: every agent of the team. Otherwise only these (members of the team). */
  agentIds: Types.ObjectId[];
}

export interface TeamDoc {
  _id: Types.ObjectId;
  name: string;
  /** New tickets of this team go round-robin to its online agents under their capacity. */
  autoAssign: boolean;
  /** Absent on teams stored before approvals existed: no approval needed. */
  publicReplyApproval?: PublicReplyApprovalDoc;
  createdAt: Date;
  updatedAt: Date;
}

const teamSchema = new Schema<TeamDoc>(
  {
    name: { type: String, required: true, trim: true },
    autoAssign: { type: Boolean, default: false },
    publicReplyApproval: {
      type: new Schema<PublicReplyApprovalDoc>(
        { required: { type: Boolean, default: false }, agentIds: { type: [Schema.Types.ObjectId], default: [] } },
        { _id: false },
      ),
      default: undefined,
    },
  },
  { timestamps: true },
);
teamSchema.index({ name: 1 }, { unique: true });

export const Team = model<TeamDoc>('Team', teamSchema, 'teams');
