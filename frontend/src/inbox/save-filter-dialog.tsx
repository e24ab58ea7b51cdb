import { useEffect, useId, useRef, useState } from 'react';
import type { SavedView, TicketListQuery } from '@parley/common';
import { ApiError } from '../api/client';
import { useCreateSavedView } from '../api/saved-views.queries';
import { strings } from '../i18n/strings';
import { filtersOfQuery } from './filters';

interface SaveFilterDialogProps {
  open: boolean;
  /** The list's query as shown: the view's filters, the bar's and the search. */
  query: TicketListQuery;
  /** Supervisors and admins may share the filter with the team. */
  canShare: boolean;
  onClose: () => void;
  onSaved: (view: SavedView) => void;
}

const NAME_MAX = 60;

/** Asks a name (and, for supervisors and admins, whether to share) and saves the list's filters on the server. */
export function SaveFilterDialog({ open, query, canShare, onClose, onSaved }: SaveFilterDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const ids = useId();
  const [name, setName] = useState('');
  const [shared, setShared] = useState(false);
  const [nameError, setNameError] = useState<string>();
  const [formError, setFormError] = useState<string>();
  const create = useCreateSavedView();
  const nameInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      setName('');
      setShared(false);
      setNameError(undefined);
      setFormError(undefined);
      // The name field is the dialog's first control: showModal focuses it.
      dialog.showModal();
    }
    if (!open && dialog.open) dialog.close();
  }, [open]);

  const submit = () => {
    const trimmed = name.trim();
    setFormError(undefined);
    if (!trimmed) return showNameError(strings.filters.nameRequired);
    if (trimmed.length > NAME_MAX) return showNameError(strings.filters.nameTooLong);
    setNameError(undefined);
    create.mutate(
      { name: trimmed, filters: filtersOfQuery(query), shared: canShare && shared },
      {
        onSuccess: (view) => {
          onClose();
          onSaved(view);
        },
        onError: (error) => {
          if (error instanceof ApiError && error.status === 409) return showNameError(strings.filters.nameTaken);
          if (error instanceof ApiError && error.field === 'name') return showNameError(error.message);
          setFormError(strings.filters.saveFailed(error instanceof ApiError ? error.message : String(error)));
        },
      },
    );
  };

  function showNameError(message: string) {
    setNameError(message);
    nameInput.current?.focus();
  }

  const nameId = `${ids}-name`;
  const nameErrorId = `${ids}-name-error`;
  return (
    <dialog ref={ref} className="save-filter-dialog" aria-labelledby={`${ids}-title`} aria-describedby={`${ids}-hint`} onClose={onClose}>
      <form
        method="dialog"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <h2 id={`${ids}-title`}>{strings.filters.saveTitle}</h2>
        <p id={`${ids}-hint`} className="muted">
          {strings.filters.saveHint}
        </p>
        {formError && (
          <p className="form-error" role="alert">
            {formError}
          </p>
        )}
        <div className="field">
          <label htmlFor={nameId}>{strings.filters.name}</label>
          <input
            id={nameId}
            ref={nameInput}
            name="name"
            type="text"
            autoComplete="off"
            dir="auto"
            value={name}
            onChange={(event) => setName(event.target.value)}
            aria-invalid={nameError ? true : undefined}
            aria-describedby={nameError ? nameErrorId : undefined}
          />
          {nameError && (
            <p id={nameErrorId} className="field-error" role="alert">
              {nameError}
            </p>
          )}
        </div>
        {canShare && (
          <div className="field">
            <label className="filter-check">
              <input type="checkbox" name="shared" checked={shared} onChange={(event) => setShared(event.target.checked)} aria-describedby={`${ids}-share-hint`} />
              {strings.filters.share}
            </label>
            <span id={`${ids}-share-hint`} className="muted filter-share-hint">
              {strings.filters.shareHint}
            </span>
          </div>
        )}
        <div className="dialog-actions">
          <button type="submit" className="button primary-inline" disabled={create.isPending}>
            {create.isPending ? strings.filters.saving : strings.filters.saveSubmit}
          </button>
          <button type="button" className="button secondary" onClick={onClose}>
            {strings.filters.cancel}
          </button>
        </div>
      </form>
    </dialog>
  );
}
