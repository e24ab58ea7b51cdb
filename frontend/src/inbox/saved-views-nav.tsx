import { useState } from 'react';
import { NavLink, useNavigate } from 'react-router';
import type { SavedView } from '@parley/common';
import { ApiError } from '../api/client';
import { useDeleteSavedView } from '../api/saved-views.queries';
import { savedViewId } from '../api/views';
import { ConfirmDialog } from '../components/confirm-dialog';
import { useToast } from '../components/toast';
import { strings } from '../i18n/strings';
import { RenameSavedViewDialog } from './rename-saved-view-dialog';

interface SavedViewsNavProps {
  views: SavedView[];
  meId: string;
  /** Supervisors and admins keep (and rename) the shared filters. */
  canKeepShared: boolean;
  currentViewId: string;
}

/** The "Saved filters" part of the left pane: each one a link, shared ones marked, your own ones deletable. */
export function SavedViewsNav({ views, meId, canKeepShared, currentViewId }: SavedViewsNavProps) {
  const [confirming, setConfirming] = useState<SavedView>();
  const [renaming, setRenaming] = useState<SavedView>();
  const remove = useDeleteSavedView();
  const navigate = useNavigate();
  const toast = useToast();

  const confirmDelete = (view: SavedView) => {
    setConfirming(undefined);
    remove.mutate(view.id, {
      onSuccess: () => {
        toast(strings.savedViews.deleted(view.name));
        if (currentViewId === savedViewId(view.id)) void navigate('/inbox/mine');
        // The button that had focus is gone: the section (or, when it went, the views) take it.
        window.requestAnimationFrame(() => (document.getElementById('saved-views-heading') ?? document.getElementById('views-heading'))?.focus());
      },
      onError: (error) => toast(strings.savedViews.deleteFailed(error instanceof ApiError ? error.message : String(error))),
    });
  };

  return (
    <>
      <h2 className="nav-heading" id="saved-views-heading" tabIndex={-1}>
        {strings.savedViews.heading}
      </h2>
      <ul className="saved-views">
        {views.map((view) => (
          <li key={view.id} className="saved-view">
            <NavLink to={`/inbox/${savedViewId(view.id)}`} title={view.shared ? strings.savedViews.sharedBy(view.ownerName) : undefined}>
              <span dir="auto" className="saved-view-name">
                {view.name}
              </span>
              {view.shared && <span className="badge shared">{strings.savedViews.shared}</span>}
            </NavLink>
            {(view.ownerId === meId || (view.shared && canKeepShared)) && (
              <button type="button" className="saved-view-action" aria-label={strings.savedViews.rename(view.name)} title={strings.savedViews.rename(view.name)} onClick={() => setRenaming(view)}>
                ✎
              </button>
            )}
            {view.ownerId === meId && (
              <button type="button" className="saved-view-delete" aria-label={strings.savedViews.delete(view.name)} title={strings.savedViews.delete(view.name)} disabled={remove.isPending} onClick={() => setConfirming(view)}>
                ×
              </button>
            )}
          </li>
        ))}
      </ul>
      <ConfirmDialog
        subject={confirming}
        id="delete-saved-view"
        title={strings.savedViews.deleteTitle}
        body={(view) => strings.savedViews.deleteBody(view.name)}
        confirmLabel={strings.savedViews.deleteConfirm}
        cancelLabel={strings.savedViews.cancel}
        tone="danger"
        onCancel={() => setConfirming(undefined)}
        onConfirm={confirmDelete}
      />
      <RenameSavedViewDialog view={renaming} onClose={() => setRenaming(undefined)} />
    </>
  );
}

