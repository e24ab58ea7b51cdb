import type { Ref } from 'react';

interface TextFieldProps {
  id: string;
  label: string;
  type: 'text' | 'email' | 'password';
  name: string;
  autoComplete: string;
  value: string;
  onChange: (value: string) => void;
  /** The server's message about this field, shown under it and announced with it. */
  error?: string;
  inputRef?: Ref<HTMLInputElement>;
}

export function TextField({ id, label, type, name, autoComplete, value, onChange, error, inputRef }: TextFieldProps) {
  const errorId = `${id}-error`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        ref={inputRef}
        type={type}
        name={name}
        autoComplete={autoComplete}
        required
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
      />
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
