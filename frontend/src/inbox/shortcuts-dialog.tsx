import { useEffect, useRef } from 'react';
import { strings } from '../i18n/strings';

/** The list of keyboard shortcuts (a modal <dialog>: it traps focus and gives it back when closed). */
export function ShortcutsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} className="shortcuts-dialog" aria-labelledby="shortcuts-title" onClose={onClose}>
      <h2 id="shortcuts-title">{strings.shortcuts.title}</h2>
      <dl>
        {strings.shortcuts.list.map(([keys, what]) => (
          <div key={keys} className="shortcut">
            <dt>
              <kbd>{keys}</kbd>
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
      <button type="button" className="button secondary" onClick={onClose} autoFocus>
        {strings.shortcuts.close}
      </button>
    </dialog>
  );
}
