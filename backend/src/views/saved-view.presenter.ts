import type { SavedView as SavedViewShape, SavedViewFilters } from '@parley/common';
import type { SavedViewDoc } from './saved-view.model';

/** Only the filters that are set, so the answer passes the strict schema whatever the stored subdocument holds. */
function presentFilters(filters: SavedViewFilters): SavedViewFilters {
  const present: SavedViewFilters = {};
  if (filters.status && filters.status.length > 0) present.status = [...filters.status];
  if (filters.priority) present.priority = filters.priority;
  if (filters.assignee) present.assignee = filters.assignee;
  if (filters.teamId) present.teamId = filters.teamId;
  if (filters.channelId) present.channelId = filters.channelId;
  if (filters.tag) present.tag = filters.tag;
  if (filters.q) present.q = filters.q;
  return present;
}

export function presentSavedView(doc: SavedViewDoc, ownerName: string): SavedViewShape {
  return {
    id: doc._id.toHexString(),
    name: doc.name,
    filters: presentFilters(doc.filters),
    shared: doc.shared,
    ownerId: doc.ownerId.toHexString(),
    ownerName,
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
  };
}
