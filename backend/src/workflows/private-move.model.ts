import { Schema, model, type Types } from 'mongoose';
import type { MoveToPrivateState } from '@parley/common';
import { ticketMoveFields, type TicketMoveDoc } from '../tickets/ticket.model';

/**
 * One move of a ticket to a private channel, the record its workflow runs on; the ticket
 * carries a copy for the API and the inbox (TicketDoc.moveToPrivate), written from this one.
 *
 * Its _id, "<ticketId>:<attempt>", is the claim: the move that inserts it is the only one
 * under way (FerretDB's conditional updates are no compare-and-set; an insert under a unique
 * key is). A later move of the same ticket, after this one failed, is attempt + 1.
 */
export interface PrivateMoveDoc extends Omit<TicketMoveDoc, 'state'> {
  _id: string;
  ticketId: Types.ObjectId;
  state: MoveToPrivateState;
  /** The customer message the move answers. */
  targetMessageId: Types.ObjectId;
  /** When the customer first wrote privately after the move started. */
  answeredAt: Date | null;
  /** Why the private path was known closed when the invitation went instead of the private message (fallback "invite"). */
  refusal: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const privateMoveSchema = new Schema<PrivateMoveDoc>(
  {
    _id: { type: String, required: true },
    ticketId: { type: Schema.Types.ObjectId, required: true },
    ...ticketMoveFields,
    targetMessageId: { type: Schema.Types.ObjectId, required: true },
    answeredAt: { type: Date, default: null },
    refusal: { type: String, default: null },
  },
  { timestamps: true },
);
// The sweep looks for moves still under way whose delivery step was interrupted.
privateMoveSchema.index({ state: 1 });

export const PrivateMove = model<PrivateMoveDoc>('PrivateMove', privateMoveSchema, 'privateMoves');

export const privateMoveId = (ticketId: Types.ObjectId, attempt: number) => `${ticketId.toHexString()}:${attempt}`;
