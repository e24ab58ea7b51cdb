import { Schema, model, type Types } from 'mongoose';
import { connectorKindSchema, type ContactIdentity } from '@parley/common';

/** One customer, with identities on any number of platforms. */
export interface ContactDoc {
  _id: Types.ObjectId;
  name: string;
  avatarUrl?: string;
  identities: ContactIdentity[];
  tags: string[];
  /** Set when this contact was merged into another: reads follow it. */
  mergedInto?: Types.ObjectId;
  createdAt: Date;
  updatedAt: Date;
}

const identitySchema = new Schema<ContactIdentity>(
  {
    kind: { type: String, required: true, enum: connectorKindSchema.options },
    externalId: { type: String, required: true },
    handle: String,
    displayName: String,
    followers: Number,
    verified: Boolean,
    avatarUrl: String,
  },
  { _id: false },
);

const contactSchema = new Schema<ContactDoc>(
  {
    name: { type: String, required: true },
    avatarUrl: String,
    identities: { type: [identitySchema], default: [] },
    tags: { type: [String], default: [] },
    mergedInto: { type: Schema.Types.ObjectId },
  },
  { timestamps: true },
);
contactSchema.index({ 'identities.kind': 1, 'identities.externalId': 1 });

export const Contact = model<ContactDoc>('Contact', contactSchema, 'contacts');

/**
 * Which contact an identity belongs to. The _id is "<kind>:<externalId>", so an
 * identity belongs to exactly one contact (FerretDB does not index array elements,
 * so the contacts collection itself cannot enforce that) and a lookup is by _id.
 */
export interface ContactIdentityKeyDoc {
  _id: string;
  contactId: Types.ObjectId;
}

export const ContactIdentityKey = model<ContactIdentityKeyDoc>(
  'ContactIdentityKey',
  new Schema<ContactIdentityKeyDoc>({ _id: String, contactId: { type: Schema.Types.ObjectId, required: true } }),
  'contactIdentityKeys',
);
