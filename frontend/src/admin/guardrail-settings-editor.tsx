import { useId } from 'react';
import { guardrailSettingsSchema, referencePatternProblem, type GuardrailAction, type GuardrailSettings, type GuardrailSettingsInput } from '@parley/common';
import { strings } from '../i18n/strings';

/** The editor's state: lists as the admin types them, policies with "inherit" for "not set". */
export interface GuardrailDraft {
  referencePatterns: string[];
  blocklist: Array<{ phrase: string; action: GuardrailAction }>;
  mentions: 'inherit' | 'allow' | 'warn' | 'block';
  allowedMentions: string;
  allowedLinkDomains: string;
  links: 'inherit' | GuardrailAction;
}

const splitList = (value: string) =>
  value
    .split(/[\s,]+/)
    .map((item) => item.trim())
    .filter(Boolean);

export function draftOf(settings: Partial<GuardrailSettings> | undefined): GuardrailDraft {
  return {
    referencePatterns: settings?.referencePatterns ?? [],
    blocklist: settings?.blocklist ?? [],
    mentions: settings?.mentions ?? 'inherit',
    allowedMentions: (settings?.allowedMentions ?? []).map((handle) => `@${handle}`).join(', '),
    allowedLinkDomains: (settings?.allowedLinkDomains ?? []).join('\n'),
    links: settings?.links ?? 'inherit',
  };
}

/** What the draft saves as (the server validates it again). */
export function settingsOf(draft: GuardrailDraft): GuardrailSettingsInput {
  return {
    referencePatterns: draft.referencePatterns.filter((pattern) => pattern.trim() !== ''),
    blocklist: draft.blocklist.filter((entry) => entry.phrase.trim() !== ''),
    ...(draft.mentions === 'inherit' ? {} : { mentions: draft.mentions }),
    allowedMentions: splitList(draft.allowedMentions),
    allowedLinkDomains: splitList(draft.allowedLinkDomains),
    ...(draft.links === 'inherit' ? {} : { links: draft.links }),
  };
}

/**
 * The draft as the check would use it now: what does not validate yet (a pattern being typed,
 * half a domain) is left out, so "Try it" keeps working while the admin types.
 */
export function checkableSettings(draft: GuardrailDraft): Partial<GuardrailSettings> {
  const input = settingsOf(draft);
  const valid = (list: string[], field: 'allowedMentions' | 'allowedLinkDomains') =>
    list.flatMap((item) => {
      const parsed = guardrailSettingsSchema.shape[field].safeParse([item]);
      return parsed.success ? parsed.data : [];
    });
  return {
    referencePatterns: (input.referencePatterns ?? []).filter((pattern) => referencePatternProblem(pattern) === null),
    blocklist: (input.blocklist ?? []).map((entry) => ({ phrase: entry.phrase.trim(), action: entry.action ?? 'block' })),
    ...(input.mentions ? { mentions: input.mentions } : {}),
    allowedMentions: valid(input.allowedMentions ?? [], 'allowedMentions'),
    allowedLinkDomains: valid(input.allowedLinkDomains ?? [], 'allowedLinkDomains'),
    ...(input.links ? { links: input.links } : {}),
  };
}

interface EditorProps {
  draft: GuardrailDraft;
  onChange: (draft: GuardrailDraft) => void;
  /** "Default (warn)" for the brand, "As brand-wide" for a channel. */
  inheritLabel: string;
}

/** Reference patterns (checked as they are typed), blocklist, mentions and links policy. */
export function GuardrailSettingsEditor({ draft, onChange, inheritLabel }: EditorProps) {
  const id = useId();
  const t = strings.admin.guardrails;
  const set = (patch: Partial<GuardrailDraft>) => onChange({ ...draft, ...patch });
  return (
    <>
      <fieldset>
        <legend>{t.referencePatterns}</legend>
        <p className="muted">{t.referencePatternsHint}</p>
        {draft.referencePatterns.map((pattern, index) => {
          const problem = pattern.trim() === '' ? null : referencePatternProblem(pattern);
          const messageId = `${id}-pattern-${index}-message`;
          return (
            <div key={index}>
              <div className="guardrail-row">
                <label className="visually-hidden" htmlFor={`${id}-pattern-${index}`}>
                  {t.pattern(index)}
                </label>
                <input
                  id={`${id}-pattern-${index}`}
                  type="text"
                  className="pattern-input"
                  value={pattern}
                  spellCheck={false}
                  aria-invalid={problem !== null || undefined}
                  aria-describedby={messageId}
                  onChange={(event) => set({ referencePatterns: draft.referencePatterns.map((old, at) => (at === index ? event.target.value : old)) })}
                />
                <button type="button" className="button secondary small" onClick={() => set({ referencePatterns: draft.referencePatterns.filter((_, at) => at !== index) })}>
                  {t.remove}
                </button>
              </div>
              <p id={messageId} className={problem ? 'field-error' : 'field-ok'} aria-live="polite">
                {problem ? `${t.pattern(index)} ${problem}` : pattern.trim() ? t.patternOk : ''}
              </p>
            </div>
          );
        })}
        <button type="button" className="button secondary small" onClick={() => set({ referencePatterns: [...draft.referencePatterns, ''] })}>
          {t.addPattern}
        </button>
      </fieldset>

      <fieldset>
        <legend>{t.blocklist}</legend>
        <p className="muted">{t.blocklistHint}</p>
        {draft.blocklist.map((entry, index) => (
          <div key={index} className="guardrail-row">
            <label className="visually-hidden" htmlFor={`${id}-phrase-${index}`}>
              {t.phrase(index)}
            </label>
            <input
              id={`${id}-phrase-${index}`}
              type="text"
              value={entry.phrase}
              maxLength={100}
              onChange={(event) => set({ blocklist: draft.blocklist.map((old, at) => (at === index ? { ...old, phrase: event.target.value } : old)) })}
            />
            <select
              aria-label={t.action(index)}
              value={entry.action}
              onChange={(event) => set({ blocklist: draft.blocklist.map((old, at) => (at === index ? { ...old, action: event.target.value as GuardrailAction } : old)) })}
            >
              <option value="warn">{t.actions.warn}</option>
              <option value="block">{t.actions.block}</option>
            </select>
            <button type="button" className="button secondary small" onClick={() => set({ blocklist: draft.blocklist.filter((_, at) => at !== index) })}>
              {t.remove}
            </button>
          </div>
        ))}
        <button type="button" className="button secondary small" onClick={() => set({ blocklist: [...draft.blocklist, { phrase: '', action: 'block' }] })}>
          {t.addPhrase}
        </button>
      </fieldset>

      <fieldset>
        <legend>{t.mentions}</legend>
        <div className="guardrail-row">
          <select aria-label={t.mentions} value={draft.mentions} onChange={(event) => set({ mentions: event.target.value as GuardrailDraft['mentions'] })}>
            <option value="inherit">{inheritLabel}</option>
            <option value="allow">{t.mentionsPolicies.allow}</option>
            <option value="warn">{t.mentionsPolicies.warn}</option>
            <option value="block">{t.mentionsPolicies.block}</option>
          </select>
        </div>
        <label htmlFor={`${id}-mentions`}>{t.allowedMentions}</label>
        <input id={`${id}-mentions`} type="text" value={draft.allowedMentions} placeholder={t.allowedMentionsHint} onChange={(event) => set({ allowedMentions: event.target.value })} />
      </fieldset>

      <fieldset>
        <legend>{t.links}</legend>
        <div className="guardrail-row">
          <select aria-label={t.links} value={draft.links} onChange={(event) => set({ links: event.target.value as GuardrailDraft['links'] })}>
            <option value="inherit">{inheritLabel}</option>
            <option value="warn">{t.linksPolicies.warn}</option>
            <option value="block">{t.linksPolicies.block}</option>
          </select>
        </div>
        <label htmlFor={`${id}-domains`}>{t.allowedLinkDomains}</label>
        <p className="muted">{t.allowedLinkDomainsHint}</p>
        <textarea id={`${id}-domains`} rows={3} value={draft.allowedLinkDomains} onChange={(event) => set({ allowedLinkDomains: event.target.value })} />
      </fieldset>
    </>
  );
}
