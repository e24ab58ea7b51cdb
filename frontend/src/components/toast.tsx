import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';
import { strings } from '../i18n/strings';

interface Toast {
  id: number;
  text: string;
}

const ToastContext = createContext<(text: string) => void>(() => undefined);

let nextId = 1;

/** Short messages about things that went wrong out of sight (a rolled-back change); announced politely. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const dismiss = useCallback((id: number) => setToasts((old) => old.filter((toast) => toast.id !== id)), []);
  const show = useCallback(
    (text: string) => {
      const id = nextId++;
      setToasts((old) => [...old, { id, text }]);
      window.setTimeout(() => dismiss(id), 8_000);
    },
    [dismiss],
  );
  return (
    <ToastContext value={show}>
      {children}
      <div className="toasts" role="status" aria-live="polite">
        {toasts.map((toast) => (
          <div key={toast.id} className="toast">
            <span>{toast.text}</span>
            <button type="button" className="button secondary small" onClick={() => dismiss(toast.id)}>
              {strings.toast.dismiss}
            </button>
          </div>
        ))}
      </div>
    </ToastContext>
  );
}

export const useToast = () => useContext(ToastContext);
