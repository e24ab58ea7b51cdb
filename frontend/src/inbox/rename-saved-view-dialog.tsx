import { useEffect, useId, useRef, useState } from 'react';
import type { SavedView } from '@parley/common';
import { ApiError } from '../api/client';
import { useUpdateSavedView } from '../api/saved-views.queries';
import { strings } from '../i18n/strings';

/** Renames a saved filter; a name taken or refused is said next to the field. */
export function RenameSavedViewDialog({ view, onClose }: { view: SavedView | undefined; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const ids = useId();
  const [name, setName] = useState('');
  const [error, setError] = useState<string>();
  const update = useUpdateSavedView();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (view && !dialog.open) {
      setName(view.name);
      setError(undefined);
      dialog.showModal();
    }
    if (!view && dialog.open) dialog.close();
  }, [view]);

  const submit = () => {
    if (!view) return;
    const wanted = name.trim();
    if (!wanted) {
      setError(strings.savedViews.nameRequired);
      return;
    }
    update.mutate(
      { id: view.id, patch: { name: wanted } },
      {
        onSuccess: onClose,
        onError: (failure) => setError(failure instanceof ApiError ? failure.message : String(failure)),
      },
    );
  };

  return (
    <dialog ref={ref} className="confirm-dialog" aria-labelledby={`${ids}-title`} onClose={onClose}>
      <form
        method="dialog"
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <h2 id={`${ids}-title`}>{strings.savedViews.renameTitle}</h2>
        <label htmlFor={`${ids}-name`}>{strings.savedViews.name}</label>
        <input
          id={`${ids}-name`}
          value={name}
          maxLength={60}
          dir="auto"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${ids}-error` : undefined}
          onChange={(event) => setName(event.target.value)}
        />
        {error && (
          <p id={`${ids}-error`} className="form-error" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="submit" className="button" disabled={update.isPending}>
            {strings.savedViews.renameConfirm}
          </button>
          <button type="button" className="button secondary" onClick={onClose}>
            {strings.savedViews.cancel}
          </button>
        </div>
      </form>
    </dialog>
  );
}
