import { useEffect, useRef, type ReactNode } from 'react';

export interface ConfirmDialogProps<T> {
  /** What is to be confirmed; the dialog is open while it is set. */
  subject: T | undefined;
  /** Prefix of the title's and body's element ids (they name the dialog for screen readers). */
  id: string;
  title: string;
  body: (subject: T) => ReactNode;
  confirmLabel: string;
  cancelLabel: string;
  /** danger: a deletion; primary: a change that is undone as easily. */
  tone: 'danger' | 'primary';
  onCancel: () => void;
  onConfirm: (subject: T) => void;
}

/** A modal "are you sure" for what cannot be taken back at a click; the safe choice has focus first. */
export function ConfirmDialog<T>({ subject, id, title, body, confirmLabel, cancelLabel, tone, onCancel, onConfirm }: ConfirmDialogProps<T>) {
  const ref = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const open = subject !== undefined;
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      cancelRef.current?.focus();
    }
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} className="confirm-dialog" role="alertdialog" aria-labelledby={`${id}-title`} aria-describedby={`${id}-body`} onClose={onCancel}>
      <h2 id={`${id}-title`}>{title}</h2>
      <p id={`${id}-body`} dir="auto">
        {subject !== undefined ? body(subject) : ''}
      </p>
      <div className="dialog-actions">
        <button type="button" className={tone === 'danger' ? 'button danger' : 'button primary-inline'} onClick={() => subject !== undefined && onConfirm(subject)}>
          {confirmLabel}
        </button>
        <button ref={cancelRef} type="button" className="button secondary" onClick={onCancel}>
          {cancelLabel}
        </button>
      </div>
    </dialog>
  );
}
