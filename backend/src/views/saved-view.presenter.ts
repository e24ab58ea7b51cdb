import { savedViewFiltersSchema, type SavedView as SavedViewShape, type SavedViewFilters } from '@parley/common';
import type { SavedViewDoc } from './saved-view.model';

/**
 * Only the filters that are set (a stored subdocument may hold nulls or empty lists), checked
 * against the schema the API promises.
 */
function presentFilters(filters: SavedViewFilters): SavedViewFilters {
  const set = Object.entries(filters).filter(([, value]: [string, unknown]) => value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0));
  return savedViewFiltersSchema.parse(Object.fromEntries(set));
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
