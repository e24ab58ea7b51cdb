import type { VipEntry as VipEntryShape, VipList as VipListShape } from '@parley/common';
import type { VipEntryDoc, VipListDoc } from './vip-lists.model';

export function presentVipList(list: VipListDoc): VipListShape {
  return {
    id: list._id.toHexString(),
    name: list.name,
    kind: list.kind,
    description: list.description,
    entryCount: list.entryCount,
    createdAt: list.createdAt.toISOString(),
    updatedAt: list.updatedAt.toISOString(),
  };
}

export function presentVipEntry(entry: VipEntryDoc): VipEntryShape {
  return {
    id: entry._id.toHexString(),
    listId: entry.listId.toHexString(),
    platform: entry.platform,
    handle: entry.handle,
    externalId: entry.externalId,
    displayName: entry.displayName,
    note: entry.note,
    createdAt: entry.createdAt.toISOString(),
  };
}
