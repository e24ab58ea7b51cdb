import { forwardRef, type ReactNode } from 'react';
import type { GuardrailFinding } from '@parley/common';
import { strings } from '../i18n/strings';
import { FindingExamples } from './hashtag-check';

export const personalDataKinds: ReadonlySet<GuardrailFinding['kind']> = new Set(['email', 'phone', 'card', 'iban', 'reference', 'address']);

/** Findings that still point at what they name in this text (a server's answer to an earlier text may not). */
export function stillPresent(findings: readonly GuardrailFinding[], text: string): GuardrailFinding[] {
  return findings.filter((finding) => text.slice(finding.start, finding.end) === finding.text);
}

/** The composer's own findings with the server's added, each span once. */
export function mergeFindings(local: readonly GuardrailFinding[], server: readonly GuardrailFinding[]): GuardrailFinding[] {
  const key = (finding: GuardrailFinding) => `${finding.kind}:${finding.start}:${finding.end}`;
  const seen = new Set(local.map(key));
  return [...local, ...server.filter((finding) => !seen.has(key(finding)))].sort((a, b) => a.start - b.start || a.end - b.end);
}

/** The text cut into plain runs and marked spans (overlapping spans: the first wins). */
export function highlighted(text: string, findings: readonly GuardrailFinding[]): ReactNode[] {
  const parts: ReactNode[] = [];
  let at = 0;
  for (const finding of [...findings].sort((a, b) => a.start - b.start)) {
    if (finding.start < at) continue;
    if (finding.start > at) parts.push(text.slice(at, finding.start));
    parts.push(
      <mark key={`${finding.kind}-${finding.start}`} className={`guardrail-mark guardrail-${finding.severity}`} data-kind={finding.kind}>
        {text.slice(finding.start, finding.end)}
      </mark>,
    );
    at = finding.end;
  }
  parts.push(text.slice(at));
  return parts;
}

/**
 * A copy of the textarea's text behind it, with each finding marked: the textarea is
 * transparent over it, so the marks appear under the very words the agent typed.
 */
export const HighlightBackdrop = forwardRef<HTMLDivElement, { text: string; findings: readonly GuardrailFinding[] }>(function HighlightBackdrop({ text, findings }, ref) {
  return (
    <div ref={ref} className="guardrail-backdrop" aria-hidden="true" dir="auto">
      {highlighted(text, findings)}
      {/* A final newline in a textarea opens a line; a zero-width space makes the copy open it too. */}
      {'\u200b'}
    </div>
  );
});

interface FindingsListProps {
  id: string;
  findings: readonly GuardrailFinding[];
  /** Shown when personal data was found: "Move to private instead". */
  onMoveToPrivate?: () => void;
  /** Shown when only warnings hold the reply back: "Send anyway" with their confirm keys. */
  onConfirm?: () => void;
  confirming?: boolean;
}

/** The findings under the text, each with its reason, and what the agent can do about them. */
export function FindingsList({ id, findings, onMoveToPrivate, onConfirm, confirming }: FindingsListProps) {
  if (findings.length === 0) return <div id={id} className="visually-hidden" aria-live="polite" />;
  const blocking = findings.some((finding) => finding.severity === 'block');
  const personal = findings.some((finding) => personalDataKinds.has(finding.kind));
  return (
    <div id={id} className={`guardrail-findings ${blocking ? 'guardrail-findings-block' : 'guardrail-findings-warn'}`} aria-live="polite">
      <p className="guardrail-title">
        <strong>{blocking ? strings.guardrails.blockedTitle : strings.guardrails.warnTitle}</strong>
      </p>
      <ul>
        {findings.map((finding) => (
          <li key={`${finding.kind}-${finding.start}-${finding.end}`} className={`guardrail-finding guardrail-finding-${finding.severity}`} data-kind={finding.kind}>
            <mark className={`guardrail-mark guardrail-${finding.severity}`} dir="auto">
              {finding.text}
            </mark>{' '}
            <span>{finding.message}</span>
            <FindingExamples finding={finding} />
          </li>
        ))}
      </ul>
      <div className="composer-actions">
        {personal && onMoveToPrivate && (
          <button type="button" className="button primary-inline guardrail-move" onClick={onMoveToPrivate}>
            {strings.guardrails.moveToPrivate}
          </button>
        )}
        {!blocking && onConfirm && (
          <button type="button" className={`button ${confirming ? 'primary-inline' : 'secondary'}`} onClick={onConfirm}>
            {strings.guardrails.sendAnyway}
          </button>
        )}
      </div>
    </div>
  );
}
