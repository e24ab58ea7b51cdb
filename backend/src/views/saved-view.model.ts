import { Schema, model, type Types } from 'mongoose';
import { prioritySchema, ticketSortSchema, ticketStatusSchema, type SavedViewFilters } from '@parley/common';

export interface SavedViewDoc {
  _id: Types.ObjectId;
  /** Who made it; a shared view stays its maker's, and its name counts among theirs. */
  ownerId: Types.ObjectId;
  name: string;
  filters: SavedViewFilters;
  /** Seen by every user; kept by supervisors and admins. */
  shared: boolean;
  createdAt: Date;
  updatedAt: Date;
}

const filtersSchema = new Schema<SavedViewFilters>(
  {
    // No default: FerretDB and MongoDB alike keep an absent list absent, not [].
    status: { type: [{ type: String, enum: ticketStatusSchema.options }], default: undefined },
    priority: { type: String, enum: prioritySchema.options },
    assignee: String,
    teamId: String,
    channelId: String,
    tag: String,
    q: String,
    sort: { type: String, enum: ticketSortSchema.options },
  },
  { _id: false },
);

const savedViewSchema = new Schema<SavedViewDoc>(
  {
    ownerId: { type: Schema.Types.ObjectId, required: true },
    name: { type: String, required: true },
    filters: { type: filtersSchema, required: true },
    shared: { type: Boolean, required: true, default: false },
  },
  { timestamps: true },
);
// One name per owner; lists are read by equality on ownerId and on shared (FerretDB filters nothing else well).
savedViewSchema.index({ ownerId: 1, name: 1 }, { unique: true });
savedViewSchema.index({ shared: 1 });

export const SavedView = model<SavedViewDoc>('SavedView', savedViewSchema, 'savedViews');
