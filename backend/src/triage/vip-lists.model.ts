import { Schema, model, type Types } from 'mongoose';
import { connectorKindSchema, vipListKindSchema, type ConnectorKind, type VipListKind } from '@parley/common';

/** One of the brand's lists of people who matter: VIPs or press. */
export interface VipListDoc {
  _id: Types.ObjectId;
  name: string;
  /** The name lowercased: unique, so two lists never differ only by case (FerretDB has no collation). */
  nameKey: string;
  kind: VipListKind;
  description: string;
  /** Counted again after every change of the list's entries (vip-lists.service.ts). */
  entryCount: number;
  createdBy: Types.ObjectId | null;
  createdAt: Date;
  updatedAt: Date;
}

const vipListSchema = new Schema<VipListDoc>(
  {
    name: { type: String, required: true },
    nameKey: { type: String, required: true },
    kind: { type: String, required: true, enum: vipListKindSchema.options },
    description: { type: String, default: '' },
    entryCount: { type: Number, required: true, default: 0 },
    createdBy: { type: Schema.Types.ObjectId, default: null },
  },
  { timestamps: true },
);
vipListSchema.index({ nameKey: 1 }, { unique: true });

export const VipList = model<VipListDoc>('VipList', vipListSchema, 'vipLists');

/** One account on a list: a handle, the platform's id for it, or both. */
export interface VipEntryDoc {
  _id: Types.ObjectId;
  listId: Types.ObjectId;
  platform: ConnectorKind;
  /**
   * What makes the entry one: `id:<externalId>` when the platform's id is known (it survives a
   * rename), else `h:<handle lowercased>`. Unique per list and platform, so an import retried,
   * or two people adding the same account, store it once.
   */
  key: string;
  handle: string | null;
  externalId: string | null;
  displayName: string | null;
  note: string | null;
  createdAt: Date;
}

const vipEntrySchema = new Schema<VipEntryDoc>(
  {
    listId: { type: Schema.Types.ObjectId, required: true },
    platform: { type: String, required: true, enum: connectorKindSchema.options },
    key: { type: String, required: true },
    handle: { type: String, default: null },
    externalId: { type: String, default: null },
    displayName: { type: String, default: null },
    note: { type: String, default: null },
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);
// A plain compound index on real fields: FerretDB has no partial or sparse indexes.
vipEntrySchema.index({ listId: 1, platform: 1, key: 1 }, { unique: true });

export const VipEntry = model<VipEntryDoc>('VipEntry', vipEntrySchema, 'vipEntries');

/** The key of an account by its handle: handles match without case. */
export const handleKey = (handle: string) => `h:${handle.toLowerCase()}`;
export const externalIdKey = (externalId: string) => `id:${externalId}`;

/** The key an entry is stored under: its platform id when known, else its handle. */
export function entryKey(entry: { handle?: string | null | undefined; externalId?: string | null | undefined }): string {
  if (entry.externalId) return externalIdKey(entry.externalId);
  if (entry.handle) return handleKey(entry.handle);
  throw new Error('a VIP entry needs a handle or an external id');
}
