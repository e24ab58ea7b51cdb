import type { z } from 'zod';
import type { SavedViewFilters, SavedViewUpdate, savedViewInputSchema } from '@parley/common';
import { withConflict } from '../db/errors';
import { Forbidden, NotFound } from '../http/errors';
import { User, type UserDoc } from '../users/user.model';
import { SavedView, type SavedViewDoc } from './saved-view.model';

/** A saved view with its owner's current name, ready for the presenter. */
export interface SavedViewWithOwner {
  view: SavedViewDoc;
  ownerName: string;
}

const NAME_TAKEN = 'You already have a saved filter with this name';

const keepsSharedViews = (user: UserDoc) => user.role === 'supervisor' || user.role === 'admin';

function assertMayShare(user: UserDoc): void {
  if (!keepsSharedViews(user)) throw new Forbidden('Only supervisors and admins keep shared filters');
}

async function withOwners(views: SavedViewDoc[]): Promise<SavedViewWithOwner[]> {
  const ownerIds = [...new Set(views.map((view) => view.ownerId.toHexString()))];
  const owners = ownerIds.length === 0 ? [] : await User.find({ _id: { $in: ownerIds } }, { name: 1 }).lean<Pick<UserDoc, '_id' | 'name'>[]>();
  const names = new Map(owners.map((owner) => [owner._id.toHexString(), owner.name]));
  return views.map((view) => ({ view, ownerName: names.get(view.ownerId.toHexString()) ?? '' }));
}

/** The user's own views and every shared one, by name. Two equality queries merged here: FerretDB handles $or poorly. */
export async function listSavedViews(user: UserDoc): Promise<SavedViewWithOwner[]> {
  const [own, shared] = await Promise.all([
    SavedView.find({ ownerId: user._id }).limit(500).lean<SavedViewDoc[]>(),
    SavedView.find({ shared: true }).limit(500).lean<SavedViewDoc[]>(),
  ]);
  const byId = new Map([...own, ...shared].map((view) => [view._id.toHexString(), view]));
  const views = [...byId.values()].sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }) || a._id.toHexString().localeCompare(b._id.toHexString()));
  return withOwners(views);
}

export async function createSavedView(user: UserDoc, input: z.output<typeof savedViewInputSchema>): Promise<SavedViewWithOwner> {
  if (input.shared) assertMayShare(user);
  const created = await withConflict(() => SavedView.create({ ownerId: user._id, name: input.name, filters: input.filters, shared: input.shared }), NAME_TAKEN, 'name');
  return { view: created.toObject<SavedViewDoc>(), ownerName: user.name };
}

/**
 * The view a user may change: their own personal one, or — for supervisors and admins —
 * any shared one. Someone else's personal view does not exist for them (404, not 403).
 */
async function changeableView(user: UserDoc, id: string): Promise<SavedViewDoc> {
  const view = /^[a-f0-9]{24}$/.test(id) ? await SavedView.findById(id).lean<SavedViewDoc>() : null;
  const own = view?.ownerId.equals(user._id) ?? false;
  if (!view || (!own && !view.shared)) throw new NotFound('Saved filter');
  if (view.shared) assertMayShare(user);
  return view;
}

export async function updateSavedView(user: UserDoc, id: string, patch: SavedViewUpdate): Promise<SavedViewWithOwner> {
  const view = await changeableView(user, id);
  if (patch.shared) assertMayShare(user);
  const set: { name?: string; filters?: SavedViewFilters; shared?: boolean } = {};
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.filters !== undefined) set.filters = patch.filters;
  if (patch.shared !== undefined) set.shared = patch.shared;
  const updated = await withConflict(() => SavedView.findByIdAndUpdate(view._id, { $set: set }, { returnDocument: 'after', runValidators: true }).lean<SavedViewDoc>(), NAME_TAKEN, 'name');
  if (!updated) throw new NotFound('Saved filter');
  const [withOwner] = await withOwners([updated]);
  return withOwner ?? { view: updated, ownerName: '' };
}

export async function deleteSavedView(user: UserDoc, id: string): Promise<void> {
  const view = await changeableView(user, id);
  const deleted = await SavedView.deleteOne({ _id: view._id });
  if (deleted.deletedCount === 0) throw new NotFound('Saved filter');
}
