import { useId, useState } from 'react';
import { errorAt, splitList } from './rule-draft';

export type ServerError = { field?: string; message: string } | null;

/** A server error under the inputs it is about (its field falls under `path`), without the field path it starts with. */
export function FieldError({ id, error, path }: { id: string; error: ServerError; path: string }) {
  const message = errorAt(error, path);
  if (!message || !error) return null;
  const words = error.field && message.startsWith(`${error.field} `) ? message.slice(error.field.length + 1) : message;
  return (
    <p id={id} className="field-error" role="alert">
      {words.charAt(0).toUpperCase() + words.slice(1)}
    </p>
  );
}

interface ListInputProps {
  label: string;
  value: readonly string[];
  onChange: (value: string[]) => void;
  by: 'comma' | 'line';
  invalid: boolean;
  describedBy?: string;
  disabled?: boolean;
}

/** A list typed as text (commas or lines); what was typed stays as typed while the list follows it. */
export function ListInput({ label, value, onChange, by, invalid, describedBy, disabled }: ListInputProps) {
  const [text, setText] = useState(() => value.join(by === 'comma' ? ', ' : '\n'));
  const id = useId();
  const change = (next: string) => {
    setText(next);
    onChange(splitList(next, by));
  };
  return (
    <span className="rule-value">
      <label htmlFor={id}>{label}</label>
      {by === 'line' ? (
        <textarea id={id} rows={Math.max(2, Math.min(6, text.split('\n').length + 1))} value={text} onChange={(event) => change(event.target.value)} aria-invalid={invalid || undefined} aria-describedby={describedBy} disabled={disabled} dir="auto" />
      ) : (
        <input id={id} type="text" value={text} onChange={(event) => change(event.target.value)} aria-invalid={invalid || undefined} aria-describedby={describedBy} disabled={disabled} />
      )}
    </span>
  );
}

interface ChoicesProps<T extends string> {
  legend: string;
  options: ReadonlyArray<{ value: T; label: string }>;
  value: readonly T[];
  onChange: (value: T[]) => void;
  invalid: boolean;
  describedBy?: string;
  disabled?: boolean;
}

/** Several of a few: checkboxes in a fieldset. */
export function Choices<T extends string>({ legend, options, value, onChange, invalid, describedBy, disabled }: ChoicesProps<T>) {
  const toggle = (option: T, on: boolean) => onChange(on ? [...value.filter((item) => item !== option), option] : value.filter((item) => item !== option));
  return (
    <fieldset className={`rule-choices${invalid ? ' invalid' : ''}`} aria-describedby={describedBy} disabled={disabled}>
      <legend>{legend}</legend>
      {options.map((option) => (
        <label key={option.value} className="filter-check">
          <input type="checkbox" checked={value.includes(option.value)} onChange={(event) => toggle(option.value, event.target.checked)} />
          <span dir="auto">{option.label}</span>
        </label>
      ))}
    </fieldset>
  );
}

interface SelectProps {
  label: string;
  value: string;
  options: ReadonlyArray<{ value: string; label: string }>;
  onChange: (value: string) => void;
  invalid?: boolean;
  describedBy?: string;
  disabled?: boolean;
  placeholder?: string;
}

export function LabelledSelect({ label, value, options, onChange, invalid, describedBy, disabled, placeholder }: SelectProps) {
  const id = useId();
  return (
    <span className="rule-value">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)} aria-invalid={invalid || undefined} aria-describedby={describedBy} disabled={disabled}>
        {placeholder !== undefined && <option value="">{placeholder}</option>}
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </span>
  );
}

interface TextInputProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  invalid?: boolean;
  describedBy?: string;
  disabled?: boolean;
  multiline?: boolean;
  type?: 'text' | 'number';
}

export function LabelledInput({ label, value, onChange, invalid, describedBy, disabled, multiline, type = 'text' }: TextInputProps) {
  const id = useId();
  const common = { id, value, 'aria-invalid': invalid || undefined, 'aria-describedby': describedBy, disabled, dir: 'auto' as const };
  return (
    <span className={`rule-value${multiline ? ' wide' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {multiline ? <textarea rows={3} {...common} onChange={(event) => onChange(event.target.value)} /> : <input type={type} {...common} onChange={(event) => onChange(event.target.value)} />}
    </span>
  );
}
